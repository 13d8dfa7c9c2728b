import { FailureClass } from "@gauntlet/failure"
import { Schema } from "effect"
import { RunState } from "./machine.js"

/**
 * Where a run stopped when `start`, `resume`, `approve`, `reject`, `pause` or `cancel` returned: a terminal state,
 * `awaiting-approval` (with the approval id), or `paused`. Failed runs carry their class and reason.
 */
export const RunOutcome = Schema.Struct({
  runId: Schema.String,
  workflowId: Schema.String,
  status: RunState,
  phase: Schema.optional(Schema.String),
  failureClass: Schema.optional(FailureClass),
  reason: Schema.optional(Schema.String),
  approvalId: Schema.optional(Schema.String)
})
/** Where a run stopped. */
export type RunOutcome = typeof RunOutcome.Type
