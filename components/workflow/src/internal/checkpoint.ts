import { Feedback } from "@gauntlet/agent"
import { BudgetState, makeBudgetState } from "@gauntlet/budget"
import { FailureClass } from "@gauntlet/failure"
import { Either, Schema } from "effect"
import type { CompiledWorkflow } from "./compile.js"
import { WorkflowDefinition } from "./definition.js"
import { CorruptCheckpoint } from "./errors.js"
import { RunState } from "./machine.js"
import { firstIssue } from "./pointer.js"

/** Where a phase stands inside a run. `escalated`: its inner loop is exhausted and an approval is pending. */
export const PhaseStatus = Schema.Literal("pending", "running", "succeeded", "failed", "skipped", "escalated")
/** Where a phase stands inside a run. */
export type PhaseStatus = typeof PhaseStatus.Type

/** One phase's durable progress. */
export const PhaseProgress = Schema.Struct({
  name: Schema.String,
  status: PhaseStatus,
  /** Attempts started so far (all rounds). */
  attempts: Schema.Int.pipe(Schema.nonNegative()),
  /** 0 for the first round of attempts; +1 after each approval of an escalation. */
  round: Schema.Int.pipe(Schema.nonNegative()),
  /** `attempts` when the current round began. */
  roundStart: Schema.Int.pipe(Schema.nonNegative()),
  /** What the next attempt is told about the previous one's failure. */
  feedback: Schema.Array(Feedback),
  /** Fingerprint of the last failed attempt's failure and how many consecutive attempts failed with it. */
  lastFailure: Schema.optional(
    Schema.Struct({ fingerprint: Schema.String, repeats: Schema.Int.pipe(Schema.positive()) })
  ),
  /** The accepted output (succeeded phases). */
  output: Schema.optional(Schema.Unknown),
  /** Digests of the accepted artifacts. */
  artifacts: Schema.Array(Schema.String)
})
/** One phase's durable progress. */
export type PhaseProgress = typeof PhaseProgress.Type

/** Why a run failed. */
export const RunFailure = Schema.Struct({
  failureClass: FailureClass,
  reason: Schema.String,
  phase: Schema.optional(Schema.String)
})
/** Why a run failed. */
export type RunFailure = typeof RunFailure.Type

/** The format tag of the engine's checkpoint state. */
export const CHECKPOINT_FORMAT = "gauntlet.workflow.checkpoint/1"

/**
 * The engine-owned state of a run (`RunRecord.state`): the definition and input it runs (their digest is the spec
 * digest), its lifecycle state, each phase's progress, the budget (spent and open reservations), the pending
 * approval and, once failed, why.
 */
export const RunCheckpoint = Schema.Struct({
  format: Schema.Literal(CHECKPOINT_FORMAT),
  workflowId: Schema.String,
  definition: WorkflowDefinition,
  input: Schema.Unknown,
  specDigest: Schema.String,
  status: RunState,
  currentPhase: Schema.NullOr(Schema.String),
  phases: Schema.Array(PhaseProgress),
  budget: BudgetState,
  pendingApproval: Schema.NullOr(Schema.String),
  failure: Schema.optional(RunFailure),
  startedAtMs: Schema.Number
})
/** The engine-owned state of a run. */
export type RunCheckpoint = typeof RunCheckpoint.Type

const decodeCheckpoint = Schema.decodeUnknownEither(RunCheckpoint)

/** Decodes a stored checkpoint state; anything else is `CorruptCheckpoint` with the pointer. */
export const decodeRunCheckpoint = (
  runId: string,
  state: unknown
): Either.Either<RunCheckpoint, CorruptCheckpoint> =>
  Either.mapLeft(decodeCheckpoint(state), (error) => new CorruptCheckpoint({ runId, ...firstIssue(error) }))

/** A fresh phase progress row. */
const freshPhase = (name: string): PhaseProgress => ({
  name,
  status: "pending",
  attempts: 0,
  round: 0,
  roundStart: 0,
  feedback: [],
  artifacts: []
})

/** The budget of a new run: the workflow's run limits and each phase's limits. */
const initialBudget = (compiled: CompiledWorkflow): BudgetState =>
  makeBudgetState({
    run: compiled.definition.budget,
    phases: Object.fromEntries(
      compiled.phases.flatMap((p) => (p.budget === undefined ? [] : [[p.name, p.budget] as const]))
    )
  })

/** The checkpoint of a run that has not started yet. */
export const initialCheckpoint = (options: {
  readonly compiled: CompiledWorkflow
  readonly input: unknown
  readonly specDigest: string
  readonly startedAtMs: number
}): RunCheckpoint => ({
  format: CHECKPOINT_FORMAT,
  workflowId: options.compiled.definition.id,
  definition: options.compiled.definition,
  input: options.input,
  specDigest: options.specDigest,
  status: "pending",
  currentPhase: null,
  phases: options.compiled.phases.map((p) => freshPhase(p.name)),
  budget: initialBudget(options.compiled),
  pendingApproval: null,
  startedAtMs: options.startedAtMs
})

/**
 * The phases of a (possibly changed) definition with the progress carried over by name: used by a forced resume,
 * where the definition may have gained, lost or reordered phases.
 */
export const rebasePhases = (
  compiled: CompiledWorkflow,
  previous: ReadonlyArray<PhaseProgress>
): ReadonlyArray<PhaseProgress> =>
  compiled.phases.map((p) => previous.find((q) => q.name === p.name) ?? freshPhase(p.name))

/** Replaces one phase's progress. */
export const withPhase = (checkpoint: RunCheckpoint, progress: PhaseProgress): RunCheckpoint => ({
  ...checkpoint,
  phases: checkpoint.phases.map((p) => (p.name === progress.name ? progress : p))
})

/** One phase's progress (a defect when the phase is not in the checkpoint: the engine only asks for its own). */
export const phaseOf = (checkpoint: RunCheckpoint, name: string): PhaseProgress => {
  const found = checkpoint.phases.find((p) => p.name === name)
  if (found === undefined) throw new Error(`phase ${name} is not in the checkpoint`)
  return found
}
