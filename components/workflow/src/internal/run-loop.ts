import { commit, phaseScope, reserve } from "@gauntlet/budget"
import { type FailureClass, fingerprintOf } from "@gauntlet/failure"
import { onlyApprovalRequired } from "@gauntlet/gate"
import { Deferred, Effect, Either, Option, Ref } from "effect"
import { agentFeedback, runAttempt, strategyOf } from "./attempt.js"
import { type PhaseProgress, phaseOf, type RunCheckpoint, withPhase } from "./checkpoint.js"
import type { CompiledPhase } from "./compile.js"
import type { Control, EngineDeps } from "./deps.js"
import { firstBlockingGate, gateEvents, gateFeedback } from "./gating.js"
import { transition } from "./machine.js"
import type { RunOutcome } from "./outcome.js"
import { completeRun, escalate, failRun, skipPhase } from "./phase-endings.js"
import { commitStep, type RunHandle, type StepEvent } from "./recorder.js"
import { evaluateSkip } from "./skip.js"
import { cancelFrom, outcomeOf, pauseFrom } from "./stops.js"

const roundMicro = (usd: number): number => Math.round(usd * 1_000_000) / 1_000_000

/**
 * One attempt of a phase's inner loop: reserve the worst case, record `phase/started` + `agent/started`, invoke,
 * gate, charge the actual, then record the attempt's ending — the phase succeeded, the run failed terminally, the
 * phase escalated, or (None) the loop goes on with feedback. A cancel request interrupts the attempt.
 */
const phaseAttempt = Effect.fn("WorkflowEngine.phaseAttempt")(function* (
  deps: EngineDeps,
  handle: RunHandle,
  control: Control,
  phase: CompiledPhase
) {
  // Resolved before anything is reserved or recorded: a registry that lost the agent or a gate changes nothing.
  const agent = yield* deps.agents.get(phase.agent)
  const gates = yield* deps.gates.resolve(phase.gates)
  const cp = yield* Ref.get(handle.checkpoint)
  const progress = phaseOf(cp, phase.name)
  const attempt = progress.attempts + 1
  const inRound = attempt - progress.roundStart
  const callId = `${phase.name}#${attempt}`
  const estimate = phase.estimate ?? { iterations: 1 }
  const reserved = reserve(cp.budget, { scope: phaseScope(phase.name), id: callId, estimate })
  if (Either.isLeft(reserved)) {
    const error = reserved.left
    if (error._tag === "InvalidBudgetRequest") return yield* Effect.die(error)
    return Option.some(
      yield* failRun(deps, handle, {
        cp,
        trigger: "budget-exhausted",
        phase,
        attempt: progress.attempts,
        failureClass: "resource",
        reason: error.message,
        events: []
      })
    )
  }
  const agentInstanceId = `${handle.runId}/${phase.name}/${attempt}`
  const running: PhaseProgress = { ...progress, status: "running", attempts: attempt }
  yield* commitStep(deps.journal, handle, {
    events: [
      { type: "phase/started", payload: { phase: phase.name, attempt, agent: phase.agent } },
      { type: "agent/started", payload: { agent: phase.agent, agentInstanceId, phase: phase.name } }
    ],
    next: { ...withPhase(cp, running), currentPhase: phase.name, budget: reserved.right },
    phases: [phase.name]
  })
  const prior = Object.fromEntries(
    cp.phases.filter((p) => p.status === "succeeded").map((p) => [p.name, p.output ?? null])
  )
  const attemptWork = runAttempt({
    runId: handle.runId,
    phase,
    agent,
    gates,
    context: {
      runId: handle.runId,
      phase: phase.name,
      attempt,
      input: { run: cp.input, phases: prior },
      feedback: progress.feedback,
      strategy: strategyOf(progress.round, inRound)
    }
  })
  const raced = yield* Effect.raceFirst(
    attemptWork.pipe(Effect.map((result) => ({ cancelled: false as const, result }))),
    Deferred.await(control.cancel).pipe(Effect.map((request) => ({ cancelled: true as const, request })))
  )
  if (raced.cancelled) return Option.some(yield* cancelFrom(deps, handle, raced.request))
  const result = raced.result
  const after = yield* Ref.get(handle.checkpoint)
  const charged =
    result.kind === "output"
      ? {
          tokens: result.output.usage.inputTokens + result.output.usage.outputTokens,
          costUsd: roundMicro(result.output.usage.costUsd),
          wallMs: result.durationMs,
          iterations: 1
        }
      : {
          tokens: estimate.tokens ?? 0,
          costUsd: roundMicro(estimate.costUsd ?? 0),
          wallMs: result.durationMs,
          iterations: 1
        }
  const budget = commit(after.budget, { id: callId, actual: charged })
  const base: RunCheckpoint = { ...after, budget }
  if (result.kind === "agent-failed") {
    const agentEvent: StepEvent = {
      type: "agent/failed",
      payload: {
        agent: phase.agent,
        agentInstanceId,
        failureClass: result.failureClass,
        reason: result.reason,
        retryCount: attempt - 1,
        charged
      }
    }
    if (result.terminal) {
      return Option.some(
        yield* failRun(deps, handle, {
          cp: base,
          trigger: "phase-failed",
          phase,
          attempt,
          failureClass: result.failureClass,
          reason: result.reason,
          events: [agentEvent]
        })
      )
    }
    return yield* repairOrEscalate(deps, handle, {
      cp: base,
      phase,
      feedback: agentFeedback(phase.agent, result.failureClass, result.reason),
      failureClass: result.failureClass,
      reason: result.reason,
      events: [agentEvent]
    })
  }
  const agentEvent: StepEvent = {
    type: "agent/completed",
    payload: {
      agent: phase.agent,
      agentInstanceId,
      durationMs: result.agentMs,
      artifacts: result.output.artifacts.map((a) => a.digest),
      charged
    }
  }
  const gated = gateEvents(phase.name, result.report)
  if (result.report.passed) {
    const done: PhaseProgress = {
      ...phaseOf(base, phase.name),
      status: "succeeded",
      feedback: [],
      output: result.output.output,
      artifacts: result.output.artifacts.map((a) => a.digest)
    }
    const status = yield* transition(
      handle.compiled.transitions,
      base.status,
      "phase-succeeded",
      handle.runId
    )
    yield* commitStep(deps.journal, handle, {
      events: [
        agentEvent,
        ...gated,
        {
          type: "phase/completed",
          payload: { phase: phase.name, attempt, durationMs: result.durationMs, artifacts: done.artifacts }
        }
      ],
      next: { ...withPhase(base, done), status },
      phases: [phase.name]
    })
    return Option.none<RunOutcome>()
  }
  const blocking = firstBlockingGate(result.report)
  // A gate that blocks only because policy rules require approval asks a person at once: repair cannot satisfy it.
  const failedVerdicts = result.report.verdicts.filter((v) => v.status === "fail" || v.status === "error")
  if (
    failedVerdicts.length > 0 &&
    failedVerdicts.every((v) => v.status === "fail") &&
    onlyApprovalRequired(failedVerdicts.flatMap((v) => v.violations))
  ) {
    const rules = failedVerdicts
      .flatMap((v) => v.violations)
      .filter((v) => v.action === "require-approval")
      .map((v) => (v.packId === undefined ? v.ruleId : `${v.ruleId} (${v.packId}@${v.packVersion ?? "?"})`))
    const progress = phaseOf(base, phase.name)
    const why = `policy requires approval: ${[...new Set(rules)].join(", ")}`
    return Option.some(
      yield* escalate(deps, handle, {
        cp: base,
        phase,
        progress: { ...progress, feedback: gateFeedback(result.report) },
        failureClass: "policy",
        lastReason: why,
        why,
        ...(blocking === undefined ? {} : { gate: blocking.gate }),
        events: [agentEvent, ...gated]
      })
    )
  }
  return yield* repairOrEscalate(deps, handle, {
    cp: base,
    phase,
    feedback: gateFeedback(result.report),
    failureClass: blocking?.failureClass ?? "policy",
    reason: blocking?.reason ?? "the gates did not pass",
    ...(blocking === undefined ? {} : { gate: blocking.gate }),
    events: [agentEvent, ...gated]
  })
})

/** After a failed attempt: another attempt with the feedback while the round has attempts left, else escalate. */
const repairOrEscalate = Effect.fn("WorkflowEngine.repairOrEscalate")(function* (
  deps: EngineDeps,
  handle: RunHandle,
  options: {
    readonly cp: RunCheckpoint
    readonly phase: CompiledPhase
    readonly feedback: ReadonlyArray<PhaseProgress["feedback"][number]>
    readonly failureClass: FailureClass
    readonly reason: string
    readonly gate?: string
    readonly events: ReadonlyArray<StepEvent>
  }
) {
  const before = phaseOf(options.cp, options.phase.name)
  // The failure is what the next attempt is told: the reason and every violation fed back (rule and message).
  const fingerprint = fingerprintOf({
    failureClass: options.failureClass,
    message: [options.reason, ...options.feedback.map((f) => `${f.ruleId ?? f.source}: ${f.message}`)].join(
      "\n"
    ),
    ...(options.gate === undefined ? {} : { location: `gate:${options.gate}` })
  })
  const repeats = before.lastFailure?.fingerprint === fingerprint ? before.lastFailure.repeats + 1 : 1
  const progress: PhaseProgress = {
    ...before,
    feedback: options.feedback,
    lastFailure: { fingerprint, repeats }
  }
  const limit = options.phase.stagnationLimit
  const stagnant = limit !== undefined && repeats >= limit
  if (stagnant || progress.attempts - progress.roundStart >= options.phase.maxAttempts) {
    return Option.some(
      yield* escalate(deps, handle, {
        cp: options.cp,
        phase: options.phase,
        progress,
        failureClass: options.failureClass,
        lastReason: stagnant
          ? `stagnant: the same failure ${repeats} times in a row (${fingerprint}): ${options.reason}`
          : options.reason,
        ...(options.gate === undefined ? {} : { gate: options.gate }),
        events: options.events
      })
    )
  }
  yield* commitStep(deps.journal, handle, {
    events: options.events,
    next: withPhase(options.cp, progress),
    phases: [options.phase.name]
  })
  return Option.none<RunOutcome>()
})

/**
 * Drives a `running` run until it stops: a terminal state, `awaiting-approval`, or `paused`. Control requests are
 * honoured at attempt boundaries (pause) or immediately (cancel).
 */
export const driveRun = Effect.fn("WorkflowEngine.driveRun")(function* (
  deps: EngineDeps,
  handle: RunHandle,
  control: Control
) {
  while (true) {
    const cp = yield* Ref.get(handle.checkpoint)
    if (cp.status !== "running") return outcomeOf(handle.runId, cp)
    const cancel = yield* Deferred.poll(control.cancel)
    if (Option.isSome(cancel)) return yield* cancelFrom(deps, handle, yield* cancel.value)
    const pause = yield* Ref.get(control.pause)
    if (pause !== undefined) return yield* pauseFrom(deps, handle, pause)
    const nextPhase = handle.compiled.phases.find((p) => {
      const status = phaseOf(cp, p.name).status
      return status !== "succeeded" && status !== "skipped"
    })
    if (nextPhase === undefined) return yield* completeRun(deps, handle)
    const progress = phaseOf(cp, nextPhase.name)
    if (
      progress.attempts === 0 &&
      nextPhase.optional === true &&
      nextPhase.skipIf !== undefined &&
      evaluateSkip(nextPhase.skipIf, cp.input)
    ) {
      yield* skipPhase(deps, handle, nextPhase)
      continue
    }
    const stopped = yield* phaseAttempt(deps, handle, control, nextPhase)
    if (Option.isSome(stopped)) return stopped.value
  }
})
