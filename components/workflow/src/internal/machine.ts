import { Either, Schema } from "effect"
import { IllegalTransition } from "./errors.js"

/** A run's lifecycle state (the `status` of its checkpoint and projection). */
export const RunState = Schema.Literal(
  "pending",
  "running",
  "awaiting-approval",
  "paused",
  "completed",
  "failed",
  "cancelled"
)
/** A run's lifecycle state. */
export type RunState = typeof RunState.Type

/**
 * What moves a run between states. Phases never set a state: they report `phase-succeeded`, `phase-failed`
 * (terminal failure) or `escalate` (inner loop exhausted) and the table decides.
 */
export const RunTrigger = Schema.Literal(
  "start",
  "phase-succeeded",
  "complete",
  "phase-failed",
  "escalate",
  "approve",
  "reject",
  "pause",
  "resume",
  "recover",
  "cancel",
  "budget-exhausted"
)
/** What moves a run between states. */
export type RunTrigger = typeof RunTrigger.Type

/** One row of the transition table. */
export const Transition = Schema.Struct({ from: RunState, event: RunTrigger, to: RunState })
/** One row of the transition table. */
export type Transition = typeof Transition.Type

/** States a run never leaves. */
export const TERMINAL_STATES: ReadonlyArray<RunState> = ["completed", "failed", "cancelled"]

/** True when the state is terminal. */
export const isTerminal = (state: RunState): boolean => TERMINAL_STATES.includes(state)

/**
 * The run lifecycle table (N2-R24). `recover` continues a `running` run whose process stopped (crash, interrupt)
 * from its last checkpoint; `resume` continues a `paused` one. Terminal states have no outgoing rows.
 */
export const RUN_TRANSITIONS: ReadonlyArray<Transition> = [
  { from: "pending", event: "start", to: "running" },
  { from: "pending", event: "cancel", to: "cancelled" },
  { from: "running", event: "phase-succeeded", to: "running" },
  { from: "running", event: "complete", to: "completed" },
  { from: "running", event: "phase-failed", to: "failed" },
  { from: "running", event: "escalate", to: "awaiting-approval" },
  { from: "running", event: "budget-exhausted", to: "failed" },
  { from: "running", event: "pause", to: "paused" },
  { from: "running", event: "cancel", to: "cancelled" },
  { from: "running", event: "recover", to: "running" },
  { from: "awaiting-approval", event: "approve", to: "running" },
  { from: "awaiting-approval", event: "reject", to: "failed" },
  { from: "awaiting-approval", event: "cancel", to: "cancelled" },
  { from: "paused", event: "resume", to: "running" },
  { from: "paused", event: "cancel", to: "cancelled" }
]

/** The next state for `event` in `state`, or `IllegalTransition` when the table has no such row. */
export const transition = (
  table: ReadonlyArray<Transition>,
  state: string,
  event: string,
  runId?: string
): Either.Either<RunState, IllegalTransition> => {
  const row = table.find((t) => t.from === state && t.event === event)
  return row === undefined
    ? Either.left(new IllegalTransition({ from: state, event, ...(runId === undefined ? {} : { runId }) }))
    : Either.right(row.to)
}
