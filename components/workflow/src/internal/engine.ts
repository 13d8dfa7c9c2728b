import { digestOf } from "@gauntlet/canonical"
import { canonicalJson } from "@gauntlet/event-stream"
import { RunNotFound } from "@gauntlet/run-store"
import { Clock, Deferred, Effect, Option, Ref } from "effect"
import {
  decodeRunCheckpoint,
  initialCheckpoint,
  type PhaseProgress,
  phaseOf,
  type RunCheckpoint,
  rebasePhases,
  withPhase
} from "./checkpoint.js"
import { type CompiledWorkflow, compileWorkflow } from "./compile.js"
import type { Decision, ResumeOptions, StartRequest, WorkflowEngineShape } from "./contract.js"
import type { ControlRequest, EngineDeps } from "./deps.js"
import {
  ApprovalDecided,
  ApprovalNotFound,
  InvalidRequest,
  RunActive,
  RunFinished,
  SpecChanged
} from "./errors.js"
import { controlOf, execute, makeHandle } from "./execute.js"
import { isTerminal, transition } from "./machine.js"
import { projectionOfCheckpoint } from "./projection.js"
import { commitStep, type RunHandle, type StepEvent } from "./recorder.js"
import { callTerminalHook, cancelFrom, chargeInterruptedCalls, outcomeOf, pauseFrom } from "./stops.js"

const requireText = (field: string, value: string) =>
  value.trim() === ""
    ? Effect.fail(new InvalidRequest({ field, reason: "must be a non-empty string" }))
    : Effect.void

const requireJson = (field: string, value: unknown) =>
  canonicalJson(value) === undefined
    ? Effect.fail(new InvalidRequest({ field, reason: "must be a JSON value" }))
    : Effect.void

/** Checks that every agent and gate the compiled workflow names is registered in this engine. */
const checkRegistered = (deps: EngineDeps, compiled: CompiledWorkflow) =>
  Effect.gen(function* () {
    for (const phase of compiled.phases) {
      yield* deps.agents.get(phase.agent)
      yield* deps.gates.resolve(phase.gates)
    }
    return compiled
  })

/** Compiles and checks that every agent and gate the definition names is registered. */
const compileChecked = (deps: EngineDeps, definition: unknown) =>
  Effect.flatMap(compileWorkflow(definition), (compiled) => checkRegistered(deps, compiled))

const specDigestOf = (compiled: CompiledWorkflow, input: unknown) =>
  digestOf({ definition: compiled.definition, input })

/** The `workflow/started` event of a run. */
const startedEvent = (
  compiled: CompiledWorkflow,
  specDigest: string,
  input: unknown,
  by: string
): StepEvent => ({
  type: "workflow/started",
  actor: by,
  payload: {
    workflow: compiled.definition.id,
    workflowVersion: compiled.definition.version,
    specDigest,
    ...(typeof input === "object" && input !== null && !Array.isArray(input)
      ? { inputs: input as Record<string, unknown> }
      : {})
  }
})

/** Loads a stored run: its record, decoded checkpoint and compiled definition. */
const loadRun = (deps: EngineDeps, runId: string) =>
  Effect.gen(function* () {
    const record = yield* deps.store.get(runId)
    if (Option.isNone(record)) return yield* new RunNotFound({ runId })
    const checkpoint = yield* decodeRunCheckpoint(runId, record.value.state)
    const compiled = yield* compileWorkflow(checkpoint.definition)
    return { record: record.value, checkpoint, compiled }
  })

/** Makes the engine's operations over its captured services. */
const withoutLastFailure = ({ lastFailure: _, ...progress }: PhaseProgress): PhaseProgress => progress

/** Drives a run and records its terminal outcome in the circuit breaker, when the engine has one. */
const executeRecorded = (deps: EngineDeps, handle: RunHandle) =>
  Effect.tap(execute(deps, handle), (outcome) =>
    deps.breaker === undefined || (outcome.status !== "completed" && outcome.status !== "failed")
      ? Effect.void
      : deps.breaker.recordRunOutcome(outcome.status === "completed")
  )

export const makeEngine = (deps: EngineDeps): WorkflowEngineShape => {
  const start = Effect.fn("WorkflowEngine.start")(function* (request: StartRequest) {
    if (deps.breaker !== undefined) yield* deps.breaker.admit
    const input = request.input ?? {}
    yield* requireJson("input", input)
    const compiled = yield* compileChecked(deps, request.definition)
    const runId = request.runId ?? (yield* deps.ids.next)
    const specDigest = specDigestOf(compiled, input)
    const pending = initialCheckpoint({
      compiled,
      input,
      specDigest,
      startedAtMs: yield* Clock.currentTimeMillis
    })
    const created = yield* deps.store.create({
      runId,
      workflowId: compiled.definition.id,
      workflowVersion: compiled.definition.version,
      specDigest,
      status: "pending",
      state: pending
    })
    const handle = yield* makeHandle({ runId, compiled, checkpoint: pending, version: created.version })
    const status = yield* transition(compiled.transitions, pending.status, "start", runId)
    yield* commitStep(deps.journal, handle, {
      events: [startedEvent(compiled, specDigest, input, request.by ?? "kernel")],
      next: { ...pending, status }
    })
    return yield* executeRecorded(deps, handle)
  })

  const resume = Effect.fn("WorkflowEngine.resume")(function* (runId: string, options: ResumeOptions = {}) {
    const by = options.by ?? "kernel"
    const { record, checkpoint, compiled: stored } = yield* loadRun(deps, runId)
    if (isTerminal(checkpoint.status)) return yield* new RunFinished({ runId, status: checkpoint.status })
    if ((yield* controlOf(deps, runId)) !== undefined) return yield* new RunActive({ runId })
    const input = options.input ?? checkpoint.input
    if (options.input !== undefined) yield* requireJson("input", options.input)
    const compiled =
      options.definition === undefined
        ? yield* checkRegistered(deps, stored)
        : yield* compileChecked(deps, options.definition)
    const actual = specDigestOf(compiled, input)
    const changed = actual !== checkpoint.specDigest
    if (changed && options.force !== true) {
      return yield* new SpecChanged({ runId, expected: checkpoint.specDigest, actual })
    }
    const trigger =
      checkpoint.status === "paused" ? "resume" : checkpoint.status === "pending" ? "start" : "recover"
    const status = yield* transition(compiled.transitions, checkpoint.status, trigger, runId)
    const base: RunCheckpoint = changed
      ? {
          ...checkpoint,
          definition: compiled.definition,
          input,
          specDigest: actual,
          phases: rebasePhases(compiled, checkpoint.phases)
        }
      : checkpoint
    const handle = yield* makeHandle({ runId, compiled, checkpoint: base, version: record.version })
    const charged = chargeInterruptedCalls(
      handle,
      base,
      "unknown",
      "the run stopped while the agent ran; its worst case is charged"
    )
    const reason =
      trigger === "resume"
        ? "resumed after a pause"
        : "recovered from the last checkpoint after the run stopped"
    // A run whose creation committed but whose start did not (the store failed in between) starts now.
    const resumedEvent =
      trigger === "start"
        ? startedEvent(compiled, actual, input, by)
        : {
            type: "run/resumed",
            actor: by,
            payload: {
              reason: changed ? `${reason} (forced: the spec changed)` : reason,
              resumedBy: by,
              ...(base.currentPhase === null ? {} : { fromPhase: base.currentPhase }),
              specDigest: actual,
              ...(changed ? { forced: true } : {})
            }
          }
    yield* commitStep(deps.journal, handle, {
      events: [...charged.events, resumedEvent],
      next: { ...base, status, budget: charged.budget },
      phases: base.phases.map((p) => p.name)
    })
    return yield* executeRecorded(deps, handle)
  })

  const decide = (verdict: "approve" | "reject") =>
    Effect.fn(`WorkflowEngine.${verdict}`)(function* (approvalId: string, decision: Decision) {
      yield* requireText("by", decision.by)
      yield* requireText("reason", decision.reason)
      const approval = yield* deps.store.approval(approvalId)
      if (Option.isNone(approval)) return yield* new ApprovalNotFound({ approvalId })
      if (approval.value.status !== "pending") {
        return yield* new ApprovalDecided({ approvalId, status: approval.value.status })
      }
      const runId = approval.value.runId
      const { record, checkpoint, compiled } = yield* loadRun(deps, runId)
      if (isTerminal(checkpoint.status)) return yield* new RunFinished({ runId, status: checkpoint.status })
      const status = yield* transition(compiled.transitions, checkpoint.status, verdict, runId)
      const handle = yield* makeHandle({ runId, compiled, checkpoint, version: record.version })
      const decidedAt = yield* Effect.map(Clock.currentTimeMillis, (ms) => new Date(ms).toISOString())
      const decided = {
        ...approval.value,
        status: verdict === "approve" ? ("approved" as const) : ("rejected" as const),
        decidedBy: decision.by,
        method: decision.method,
        justification: decision.reason,
        decidedAt
      }
      const progress = phaseOf(checkpoint, approval.value.phase)
      if (verdict === "approve") {
        yield* commitStep(deps.journal, handle, {
          events: [
            {
              type: "approval/granted",
              actor: decision.by,
              payload: {
                approvalId,
                approver: decision.by,
                method: decision.method,
                comment: decision.reason
              }
            },
            {
              type: "run/resumed",
              actor: decision.by,
              payload: {
                reason: `approval ${approvalId} granted`,
                resumedBy: decision.by,
                fromPhase: progress.name,
                specDigest: checkpoint.specDigest
              }
            }
          ],
          next: {
            // A new round starts its stagnation count afresh (no `lastFailure`): a human chose to try again.
            ...withPhase(checkpoint, {
              ...withoutLastFailure(progress),
              status: "running",
              round: progress.round + 1,
              roundStart: progress.attempts
            }),
            status,
            pendingApproval: null
          },
          phases: [progress.name],
          approvals: [decided]
        })
        return yield* executeRecorded(deps, handle)
      }
      const reason = `approval ${approvalId} rejected by ${decision.by} (${decision.method}): ${decision.reason}`
      const next: RunCheckpoint = {
        ...withPhase(checkpoint, { ...progress, status: "failed" }),
        status,
        pendingApproval: null,
        failure: { failureClass: "policy", reason, phase: progress.name }
      }
      yield* commitStep(deps.journal, handle, {
        events: [
          {
            type: "approval/rejected",
            actor: decision.by,
            payload: { approvalId, approver: decision.by, method: decision.method, reason: decision.reason }
          },
          {
            type: "workflow/failed",
            actor: decision.by,
            payload: { failureClass: "policy", reason, phase: progress.name }
          }
        ],
        next,
        phases: [progress.name],
        approvals: [decided]
      })
      const outcome = outcomeOf(runId, next)
      yield* callTerminalHook(deps, outcome)
      return outcome
    })

  /** Sends a control request to an executing run, or applies it to the stored checkpoint. */
  const control = (kind: "pause" | "cancel") =>
    Effect.fn(`WorkflowEngine.${kind}`)(function* (runId: string, by: string, reason?: string) {
      yield* requireText("by", by)
      const request: ControlRequest = {
        by,
        reason: reason ?? `${kind === "pause" ? "paused" : "cancelled"} by ${by}`
      }
      const active = yield* controlOf(deps, runId)
      if (active !== undefined) {
        if (kind === "pause") yield* Ref.set(active.pause, request)
        else yield* Deferred.succeed(active.cancel, request)
        return yield* Deferred.await(active.done).pipe(
          Effect.catchAllCause(() =>
            loadRun(deps, runId).pipe(Effect.map(({ checkpoint }) => outcomeOf(runId, checkpoint)))
          )
        )
      }
      const { record, checkpoint, compiled } = yield* loadRun(deps, runId)
      if (isTerminal(checkpoint.status)) return yield* new RunFinished({ runId, status: checkpoint.status })
      const handle: RunHandle = yield* makeHandle({ runId, compiled, checkpoint, version: record.version })
      return kind === "pause"
        ? yield* pauseFrom(deps, handle, request)
        : yield* cancelFrom(deps, handle, request)
    })

  const projection = Effect.fn("WorkflowEngine.projection")(function* (runId: string) {
    const record = yield* deps.store.get(runId)
    if (Option.isNone(record)) return yield* new RunNotFound({ runId })
    return projectionOfCheckpoint(runId, yield* decodeRunCheckpoint(runId, record.value.state))
  })

  return {
    start,
    resume,
    approve: decide("approve"),
    reject: decide("reject"),
    pause: control("pause"),
    cancel: control("cancel"),
    projection
  }
}
