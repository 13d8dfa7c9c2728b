import { FailureClass } from "@gauntlet/failure"
import { Schema } from "effect"

const Attempt = Schema.Int.pipe(Schema.greaterThanOrEqualTo(1))

/** A node's dependencies have all succeeded (or it has none): it is waiting for a slot and its resources. */
export const TaskReady = Schema.Struct({
  type: Schema.Literal("task/ready"),
  nodeId: Schema.String
})

/** An attempt of a node starts (attempt 1 when dispatched; later attempts after a `task/retried` delay). */
export const TaskStarted = Schema.Struct({
  type: Schema.Literal("task/started"),
  nodeId: Schema.String,
  attempt: Attempt
})

/** An attempt failed with a retryable class; attempt `attempt + 1` starts after `delayMs`. */
export const TaskRetried = Schema.Struct({
  type: Schema.Literal("task/retried"),
  nodeId: Schema.String,
  attempt: Attempt,
  delayMs: Schema.Number,
  failureClass: FailureClass,
  reason: Schema.String
})

/** The node succeeded on `attempt`; `durationMs` spans from its first start to now. */
export const TaskSucceeded = Schema.Struct({
  type: Schema.Literal("task/succeeded"),
  nodeId: Schema.String,
  attempt: Attempt,
  durationMs: Schema.Number
})

/** The node failed for good on `attempt` (not retryable, or attempts exhausted). */
export const TaskFailed = Schema.Struct({
  type: Schema.Literal("task/failed"),
  nodeId: Schema.String,
  attempt: Attempt,
  failureClass: FailureClass,
  reason: Schema.String,
  durationMs: Schema.Number
})

/** The node will not run: `causeChain` is `[failedNode, …intermediate skipped nodes]` leading to it. */
export const TaskSkipped = Schema.Struct({
  type: Schema.Literal("task/skipped"),
  nodeId: Schema.String,
  causeChain: Schema.Array(Schema.String)
})

/** The run was cancelled before the node finished; `attempt` is 0 when it never started. */
export const TaskCancelled = Schema.Struct({
  type: Schema.Literal("task/cancelled"),
  nodeId: Schema.String,
  attempt: Schema.Int.pipe(Schema.greaterThanOrEqualTo(0))
})

/** Every event the executor emits, discriminated by `type` (`task/started`, …), the EventLog event type they map to. */
export const TaskEvent = Schema.Union(
  TaskReady,
  TaskStarted,
  TaskRetried,
  TaskSucceeded,
  TaskFailed,
  TaskSkipped,
  TaskCancelled
).annotations({ identifier: "TaskEvent", title: "DAG task event" })

/** A task event. */
export type TaskEvent = typeof TaskEvent.Type
