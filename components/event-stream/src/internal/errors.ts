import { Schema } from "effect"

/** The event type is not in the registry the log was built with (N3-R10). Nothing was written. */
export class UnknownEventType extends Schema.TaggedError<UnknownEventType>()("UnknownEventType", {
  type: Schema.String,
  runId: Schema.String
}) {
  override get message() {
    return `unknown event type "${this.type}" for run ${this.runId}`
  }
}

/** The envelope or payload does not match its schema (N3-R10). `pointer` is a JSON pointer into the event. */
export class InvalidEvent extends Schema.TaggedError<InvalidEvent>()("InvalidEvent", {
  type: Schema.String,
  runId: Schema.String,
  pointer: Schema.String,
  reason: Schema.String
}) {
  override get message() {
    return `invalid ${this.type} event for run ${this.runId} at ${this.pointer || "/"}: ${this.reason}`
  }
}

/** Optimistic concurrency: the run's head seq is not what the writer expected. Nothing was written. */
export class SeqConflict extends Schema.TaggedError<SeqConflict>()("SeqConflict", {
  runId: Schema.String,
  expectedSeq: Schema.Number,
  actualSeq: Schema.Number
}) {
  override get message() {
    return `run ${this.runId}: expected head seq ${this.expectedSeq}, found ${this.actualSeq}`
  }
}

/**
 * The store itself failed: `unavailable` (cannot open), `corrupt` (not a Gauntlet store, damaged file or row),
 * `io` (a read or write failed), `busy` (locked past the timeout).
 */
export class StoreFailure extends Schema.TaggedError<StoreFailure>()("StoreFailure", {
  reason: Schema.Literal("unavailable", "corrupt", "io", "busy"),
  store: Schema.String,
  detail: Schema.String
}) {
  override get message() {
    return `event store ${this.store}: ${this.reason}: ${this.detail}`
  }
}

/** Every error `append`/`appendBatch` can fail with. */
export type AppendError = UnknownEventType | InvalidEvent | SeqConflict | StoreFailure

/**
 * An event-type registry cannot be built: two specs share a `type` (`duplicate`), a type name is not
 * `<domain>/<name>` (`bad-type`), or a version is not a positive integer (`bad-version`).
 */
export class InvalidEventTypeSpec extends Schema.TaggedError<InvalidEventTypeSpec>()("InvalidEventTypeSpec", {
  type: Schema.String,
  reason: Schema.Literal("duplicate", "bad-type", "bad-version"),
  detail: Schema.String
}) {
  override get message() {
    return `event type "${this.type}": ${this.reason}: ${this.detail}`
  }
}
