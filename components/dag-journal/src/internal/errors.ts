import { type FailureClass, FailureClassId } from "@gauntlet/failure"
import { Schema } from "effect"

/**
 * `runDagDurably` was called for a run that already has node rows: running it from scratch would execute
 * succeeded nodes again. Resume it with `resumeDagDurably` instead. Nothing was written.
 */
export class RunAlreadyStarted extends Schema.TaggedError<RunAlreadyStarted>()("RunAlreadyStarted", {
  runId: Schema.String,
  nodeRows: Schema.Number
}) {
  get [FailureClassId](): FailureClass {
    return "concurrency"
  }

  override get message() {
    return `run ${this.runId} already has ${this.nodeRows} node checkpoint rows; resume it instead of starting it again`
  }
}

/** A succeeded node's stored output does not decode with the caller's `outputSchema`; nothing was run. */
export class UndecodableNodeOutput extends Schema.TaggedError<UndecodableNodeOutput>()(
  "UndecodableNodeOutput",
  {
    runId: Schema.String,
    nodeId: Schema.String,
    reason: Schema.String
  }
) {
  get [FailureClassId](): FailureClass {
    return "data-integrity"
  }

  override get message() {
    return `run ${this.runId}: the checkpointed output of node "${this.nodeId}" does not decode: ${this.reason}`
  }
}
