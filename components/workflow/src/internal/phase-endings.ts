import { currentIsoTime } from "@gauntlet/canonical"
import type { FailureClass } from "@gauntlet/failure"
import { Clock, Effect, Ref } from "effect"
import { type PhaseProgress, phaseOf, type RunCheckpoint, withPhase } from "./checkpoint.js"
import type { CompiledPhase } from "./compile.js"
import type { EngineDeps } from "./deps.js"
import { transition } from "./machine.js"
import { commitStep, type RunHandle, type StepEvent } from "./recorder.js"
import { callTerminalHook, outcomeOf } from "./stops.js"

/** Ends the run `failed` through `trigger` (`phase-failed`, `budget-exhausted`) and calls the terminal hook. */
export const failRun = Effect.fn("WorkflowEngine.failRun")(function* (
  deps: EngineDeps,
  handle: RunHandle,
  options: {
    readonly cp: RunCheckpoint
    readonly trigger: "phase-failed" | "budget-exhausted"
    readonly phase: CompiledPhase
    readonly attempt: number
    readonly failureClass: FailureClass
    readonly reason: string
    readonly events: ReadonlyArray<StepEvent>
  }
) {
  const { cp, phase, failureClass, reason } = options
  const status = yield* transition(handle.compiled.transitions, cp.status, options.trigger, handle.runId)
  const progress = phaseOf(cp, phase.name)
  const next: RunCheckpoint = {
    ...withPhase(cp, { ...progress, status: "failed" }),
    status,
    currentPhase: phase.name,
    failure: { failureClass, reason, phase: phase.name }
  }
  const now = yield* Clock.currentTimeMillis
  yield* commitStep(deps.journal, handle, {
    events: [
      ...options.events,
      {
        type: "phase/failed",
        payload: { phase: phase.name, attempt: Math.max(1, options.attempt), failureClass, reason }
      },
      {
        type: "workflow/failed",
        payload: {
          failureClass,
          reason,
          phase: phase.name,
          durationMs: Math.max(0, Math.trunc(now - cp.startedAtMs))
        }
      }
    ],
    next,
    phases: [phase.name]
  })
  const outcome = outcomeOf(handle.runId, next)
  yield* callTerminalHook(deps, outcome)
  return outcome
})

/** Escalates an exhausted phase: records the approval request; the run waits in `awaiting-approval`. */
export const escalate = Effect.fn("WorkflowEngine.escalate")(function* (
  deps: EngineDeps,
  handle: RunHandle,
  options: {
    readonly cp: RunCheckpoint
    readonly phase: CompiledPhase
    readonly progress: PhaseProgress
    readonly failureClass: FailureClass
    readonly lastReason: string
    /** Why the phase escalates when it is not an exhausted loop (e.g. a policy rule that requires approval). */
    readonly why?: string
    readonly gate?: string
    readonly events: ReadonlyArray<StepEvent>
  }
) {
  const { cp, phase, progress } = options
  const status = yield* transition(handle.compiled.transitions, cp.status, "escalate", handle.runId)
  const approvalId = yield* deps.ids.next
  const tried = progress.attempts - progress.roundStart
  const reason =
    options.why === undefined
      ? `phase ${phase.name}: inner loop exhausted after ${tried} attempt(s); last failure: ${options.lastReason}`
      : `phase ${phase.name}: ${options.why}`
  const next: RunCheckpoint = {
    ...withPhase(cp, { ...progress, status: "escalated" }),
    status,
    pendingApproval: approvalId
  }
  yield* commitStep(deps.journal, handle, {
    events: [
      ...options.events,
      {
        type: "phase/failed",
        payload: { phase: phase.name, attempt: progress.attempts, failureClass: options.failureClass, reason }
      },
      {
        type: "approval/requested",
        payload: {
          approvalId,
          subject: `phase:${phase.name}`,
          reason,
          ...(options.gate === undefined ? {} : { gate: options.gate })
        }
      },
      { type: "run/paused", payload: { reason: "awaiting approval", pausedBy: "kernel", approvalId } }
    ],
    next,
    phases: [phase.name],
    approvals: [
      {
        approvalId,
        runId: handle.runId,
        phase: phase.name,
        reason,
        requestedAt: yield* currentIsoTime,
        status: "pending"
      }
    ]
  })
  return outcomeOf(handle.runId, next)
})

/** Completes the run: records `workflow/completed` and calls the terminal hook. */
export const completeRun = Effect.fn("WorkflowEngine.completeRun")(function* (
  deps: EngineDeps,
  handle: RunHandle
) {
  const cp = yield* Ref.get(handle.checkpoint)
  const status = yield* transition(handle.compiled.transitions, cp.status, "complete", handle.runId)
  const now = yield* Clock.currentTimeMillis
  const next: RunCheckpoint = { ...cp, status, currentPhase: null }
  yield* commitStep(deps.journal, handle, {
    events: [
      { type: "workflow/completed", payload: { durationMs: Math.max(0, Math.trunc(now - cp.startedAtMs)) } }
    ],
    next
  })
  const outcome = outcomeOf(handle.runId, next)
  yield* callTerminalHook(deps, outcome)
  return outcome
})

/** Skips an optional phase whose `skipIf` holds. */
export const skipPhase = Effect.fn("WorkflowEngine.skipPhase")(function* (
  deps: EngineDeps,
  handle: RunHandle,
  phase: CompiledPhase
) {
  const cp = yield* Ref.get(handle.checkpoint)
  const status = yield* transition(handle.compiled.transitions, cp.status, "phase-succeeded", handle.runId)
  const progress: PhaseProgress = { ...phaseOf(cp, phase.name), status: "skipped" }
  yield* commitStep(deps.journal, handle, {
    events: [
      { type: "phase/skipped", payload: { phase: phase.name, reason: "skipIf holds for the run input" } }
    ],
    next: { ...withPhase(cp, progress), status, currentPhase: phase.name },
    phases: [phase.name]
  })
})
