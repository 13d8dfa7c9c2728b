import { type FailureClass, FailureClassId } from "@gauntlet/failure"
import { Schema } from "effect"

/**
 * A circuit breaker is open: `consecutiveFailures` runs failed in a row (≥ `threshold`), so new runs are refused
 * until it is reset (or, with a cooldown, until a trial run is admitted). Failure class `resource`.
 */
export class CircuitOpen extends Schema.TaggedError<CircuitOpen>()("CircuitOpen", {
  name: Schema.String,
  consecutiveFailures: Schema.Number,
  threshold: Schema.Number
}) {
  get [FailureClassId](): FailureClass {
    return "resource"
  }

  override get message() {
    return `circuit ${this.name} is open: ${this.consecutiveFailures} consecutive failed runs (threshold ${this.threshold}); new runs are refused`
  }
}

/** `what` did not finish within `ms` milliseconds and was interrupted. Failure class `timeout`. */
export class TimedOut extends Schema.TaggedError<TimedOut>()("TimedOut", {
  what: Schema.String,
  ms: Schema.Number
}) {
  get [FailureClassId](): FailureClass {
    return "timeout"
  }

  override get message() {
    return `${this.what} timed out after ${this.ms} ms`
  }
}

/** A subprocess could not be started (`command` not found, bad `cwd`, …). Failure class `tool-error`. */
export class SpawnFailed extends Schema.TaggedError<SpawnFailed>()("SpawnFailed", {
  command: Schema.String,
  reason: Schema.String
}) {
  get [FailureClassId](): FailureClass {
    return "tool-error"
  }

  override get message() {
    return `cannot start ${this.command}: ${this.reason}`
  }
}
