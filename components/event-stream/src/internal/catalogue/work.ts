import { Schema } from "effect"
import { defineEventType } from "../registry.js"
import { Attempt, DurationMs, failureFields, GateLayer, Text, Violation } from "./fields.js"

/** A DAG task's dependencies all succeeded: it may start. */
export const taskReady = defineEventType({
  type: "task/ready",
  version: 1,
  description: "Every dependency of a task succeeded; it joined the frontier.",
  payload: Schema.Struct({ taskId: Text, dependencies: Schema.Array(Text) })
})

/** A task attempt began. */
export const taskStarted = defineEventType({
  type: "task/started",
  version: 1,
  description: "A task attempt began (its locks are held).",
  payload: Schema.Struct({ taskId: Text, attempt: Attempt, agentInstanceId: Schema.optional(Text) })
})

/** A task succeeded. */
export const taskSucceeded = defineEventType({
  type: "task/succeeded",
  version: 1,
  description: "A task attempt succeeded; dependents may become ready.",
  payload: Schema.Struct({ taskId: Text, attempt: Attempt, durationMs: DurationMs })
})

/** A task failed (terminally, or before a retry). */
export const taskFailed = defineEventType({
  type: "task/failed",
  version: 1,
  description: "A task attempt failed; `task/retried` follows when the class and budget allow a retry.",
  payload: Schema.Struct({
    taskId: Text,
    attempt: Attempt,
    ...failureFields,
    durationMs: Schema.optional(DurationMs)
  })
})

/** A task will not run because a dependency failed or was skipped. */
export const taskSkipped = defineEventType({
  type: "task/skipped",
  version: 1,
  description:
    "A task will not run; `causeChain` lists task ids from the root failure to the direct dependency.",
  payload: Schema.Struct({ taskId: Text, reason: Text, causeChain: Schema.Array(Text) })
})

/** A failed task is scheduled again. */
export const taskRetried = defineEventType({
  type: "task/retried",
  version: 1,
  description: "A failed task is scheduled for another attempt after a delay.",
  payload: Schema.Struct({ taskId: Text, attempt: Attempt, reason: Text, delayMs: DurationMs })
})

/** A gate began checking. */
export const gateStarted = defineEventType({
  type: "gate/started",
  version: 1,
  description: "A gate began checking a phase's output.",
  payload: Schema.Struct({ gate: Text, layer: GateLayer, phase: Schema.optional(Text) })
})

/** A gate passed. */
export const gatePassed = defineEventType({
  type: "gate/passed",
  version: 1,
  description: "A gate passed (warnings may still be listed).",
  payload: Schema.Struct({
    gate: Text,
    layer: GateLayer,
    durationMs: DurationMs,
    warnings: Schema.optional(Schema.Array(Violation))
  })
})

/** A gate failed (violations found, or it failed closed). */
export const gateFailed = defineEventType({
  type: "gate/failed",
  version: 1,
  description: "A gate failed: blocking violations, or the check itself threw, timed out or was malformed.",
  payload: Schema.Struct({
    gate: Text,
    layer: GateLayer,
    ...failureFields,
    violations: Schema.Array(Violation),
    failedClosed: Schema.Boolean,
    durationMs: Schema.optional(DurationMs)
  })
})
