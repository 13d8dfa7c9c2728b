import { chargeOpenReservations, openReservations } from "@gauntlet/budget"
import type { FailureClass } from "@gauntlet/failure"
import { Effect, Ref } from "effect"
import type { RunCheckpoint } from "./checkpoint.js"
import type { ControlRequest, EngineDeps } from "./deps.js"
import { transition } from "./machine.js"
import type { RunOutcome } from "./outcome.js"
import { commitStep, type RunHandle, type StepEvent } from "./recorder.js"

/** The outcome a checkpoint stands at. */
export const outcomeOf = (runId: string, cp: RunCheckpoint): RunOutcome => ({
  runId,
  workflowId: cp.workflowId,
  status: cp.status,
  ...(cp.currentPhase === null ? {} : { phase: cp.currentPhase }),
  ...(cp.failure === undefined ? {} : { failureClass: cp.failure.failureClass, reason: cp.failure.reason }),
  ...(cp.pendingApproval === null ? {} : { approvalId: cp.pendingApproval })
})

const callIdPattern = /^(.*)#(\d+)$/

/**
 * Charges every open reservation at its worst case (a call whose outcome was never recorded may have been paid for:
 * budgets never under-count) and returns the `agent/failed` events that say so.
 */
export const chargeInterruptedCalls = (
  handle: RunHandle,
  cp: RunCheckpoint,
  failureClass: FailureClass,
  reason: string
): { readonly events: ReadonlyArray<StepEvent>; readonly budget: RunCheckpoint["budget"] } => {
  const events = openReservations(cp.budget).map((r): StepEvent => {
    const match = callIdPattern.exec(r.id)
    const phase = match?.[1] ?? r.id
    const agent = handle.compiled.phases.find((p) => p.name === phase)?.agent ?? "unknown"
    return {
      type: "agent/failed",
      payload: {
        agent,
        agentInstanceId: `${handle.runId}/${phase}/${match?.[2] ?? "0"}`,
        failureClass,
        reason,
        charged: {
          tokens: r.estimate.tokens,
          costUsd: r.estimate.costMicroUsd / 1_000_000,
          wallMs: r.estimate.wallMs,
          iterations: r.estimate.iterations
        }
      }
    }
  })
  return { events, budget: chargeOpenReservations(cp.budget) }
}

/** Calls the terminal hook; its failures are logged and never change the run. */
export const callTerminalHook = (deps: EngineDeps, outcome: RunOutcome) =>
  deps.hook
    .onTerminal(outcome)
    .pipe(
      Effect.catchAllCause((cause) =>
        Effect.logWarning("terminal hook failed", cause).pipe(Effect.annotateLogs("runId", outcome.runId))
      )
    )

/** Cancels the run from its current checkpoint: charges interrupted calls, records `workflow/cancelled`. */
export const cancelFrom = Effect.fn("WorkflowEngine.cancelFrom")(function* (
  deps: EngineDeps,
  handle: RunHandle,
  request: ControlRequest
) {
  const cp = yield* Ref.get(handle.checkpoint)
  const status = yield* transition(handle.compiled.transitions, cp.status, "cancel", handle.runId)
  const charged = chargeInterruptedCalls(
    handle,
    cp,
    "timeout",
    `cancelled by ${request.by} while the agent ran`
  )
  const next: RunCheckpoint = { ...cp, status, budget: charged.budget, pendingApproval: null }
  yield* commitStep(deps.journal, handle, {
    events: [
      ...charged.events,
      {
        type: "workflow/cancelled",
        actor: request.by,
        payload: {
          reason: request.reason,
          cancelledBy: request.by,
          ...(cp.currentPhase === null ? {} : { phase: cp.currentPhase })
        }
      }
    ],
    next,
    phases: cp.currentPhase === null ? [] : [cp.currentPhase]
  })
  const outcome = outcomeOf(handle.runId, next)
  yield* callTerminalHook(deps, outcome)
  return outcome
})

/** Pauses the run at a boundary: records `run/paused`. */
export const pauseFrom = Effect.fn("WorkflowEngine.pauseFrom")(function* (
  deps: EngineDeps,
  handle: RunHandle,
  request: ControlRequest
) {
  const cp = yield* Ref.get(handle.checkpoint)
  const status = yield* transition(handle.compiled.transitions, cp.status, "pause", handle.runId)
  const next: RunCheckpoint = { ...cp, status }
  yield* commitStep(deps.journal, handle, {
    events: [
      { type: "run/paused", actor: request.by, payload: { reason: request.reason, pausedBy: request.by } }
    ],
    next
  })
  return outcomeOf(handle.runId, next)
})
