import { type FailureClass, FailureClassId } from "@gauntlet/failure"
import { Schema } from "effect"

/**
 * Optimistic concurrency: the run's checkpoint version is not the one the writer expected (another writer, e.g. a
 * second process resuming the same run, committed first). Nothing was written.
 */
export class CheckpointConflict extends Schema.TaggedError<CheckpointConflict>()("CheckpointConflict", {
  runId: Schema.String,
  expectedVersion: Schema.Number,
  actualVersion: Schema.Number
}) {
  get [FailureClassId](): FailureClass {
    return "concurrency"
  }

  override get message() {
    return `run ${this.runId}: expected checkpoint version ${this.expectedVersion}, found ${this.actualVersion}`
  }
}

/** The run has no checkpoint (it was never created in this store). Nothing was written. */
export class RunNotFound extends Schema.TaggedError<RunNotFound>()("RunNotFound", {
  runId: Schema.String
}) {
  get [FailureClassId](): FailureClass {
    return "data-integrity"
  }

  override get message() {
    return `run ${this.runId} has no checkpoint in this store`
  }
}

/** `create` was called for a run id that already has a checkpoint. Nothing was written. */
export class DuplicateRun extends Schema.TaggedError<DuplicateRun>()("DuplicateRun", {
  runId: Schema.String
}) {
  get [FailureClassId](): FailureClass {
    return "concurrency"
  }

  override get message() {
    return `run ${this.runId} already exists`
  }
}

/**
 * A checkpoint write is malformed: a node or approval of another run, a value that is not JSON, a schema mismatch,
 * or an approval decision that is incomplete or changes an already decided approval. `pointer` (RFC 6901) is into
 * the `record`/`create` input. Nothing was written.
 */
export class InvalidCheckpoint extends Schema.TaggedError<InvalidCheckpoint>()("InvalidCheckpoint", {
  runId: Schema.String,
  pointer: Schema.String,
  reason: Schema.String
}) {
  get [FailureClassId](): FailureClass {
    return "data-integrity"
  }

  override get message() {
    return `invalid checkpoint for run ${this.runId} at ${this.pointer || "/"}: ${this.reason}`
  }
}
