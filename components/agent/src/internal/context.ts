import { Schema } from "effect"

/** A non-empty string (ids, phase names, messages). */
const Text = Schema.String.pipe(Schema.minLength(1))

/**
 * How the inner loop is approaching this attempt: `direct` (the first try, or a plain repair), `alternative` (a
 * different approach after repeated failures), `escalated` (a stronger model or a human-assisted attempt).
 */
export const Strategy = Schema.Literal("direct", "alternative", "escalated").annotations({
  identifier: "AgentStrategy"
})

/** One of the three attempt strategies. */
export type Strategy = typeof Strategy.Type

/** One item of feedback fed back to the agent: which gate or check said what, and about which rule. */
export const Feedback = Schema.Struct({
  source: Text,
  message: Text,
  ruleId: Schema.optional(Text)
}).annotations({ identifier: "AgentFeedback" })

/** One item of feedback. */
export type Feedback = typeof Feedback.Type

/**
 * What an agent is asked to do: the run, the phase (and DAG task), the 1-based attempt of the inner loop, the phase
 * input (JSON), the feedback of previous attempts (gate violations, failures) and the strategy of this attempt.
 */
export const PhaseContext = Schema.Struct({
  runId: Text,
  phase: Text,
  attempt: Schema.Int.pipe(Schema.greaterThanOrEqualTo(1)),
  taskId: Schema.optional(Text),
  input: Schema.Unknown,
  feedback: Schema.Array(Feedback),
  strategy: Strategy
}).annotations({ identifier: "PhaseContext" })

/** What an agent is asked to do. */
export type PhaseContext = typeof PhaseContext.Type
