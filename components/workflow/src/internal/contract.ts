import type { UnknownAgent } from "@gauntlet/agent"
import type { StoreFailure } from "@gauntlet/event-stream"
import type { UnknownGate } from "@gauntlet/gate"
import type {
  ApprovalMethod,
  DuplicateRun,
  InvalidCheckpoint,
  RecordError,
  RunNotFound
} from "@gauntlet/run-store"
import type { CircuitOpen } from "@gauntlet/supervision"
import type { Effect } from "effect"
import type {
  ApprovalDecided,
  ApprovalNotFound,
  CorruptCheckpoint,
  IllegalTransition,
  InvalidRequest,
  InvalidWorkflow,
  RunActive,
  RunFinished,
  SpecChanged
} from "./errors.js"
import type { RunOutcome } from "./outcome.js"
import type { RunProjection } from "./projection.js"

/** What `start` takes: a definition (decoded and compiled here), the run input (JSON) and an optional run id. */
export interface StartRequest {
  readonly definition: unknown
  readonly input?: unknown
  readonly runId?: string
  /** Who started the run (the `workflow/started` actor); default `kernel`. */
  readonly by?: string
}

/** What `resume` takes. */
export interface ResumeOptions {
  /** Resume even when the definition + input digest changed (recorded as `forced: true`). */
  readonly force?: boolean
  /** The definition as it is now (default: the stored one); its digest with the input is checked. */
  readonly definition?: unknown
  /** The input as it is now (default: the stored one). */
  readonly input?: unknown
  /** Who resumes (default `kernel`). */
  readonly by?: string
}

/** An approval decision: who, why, and how (human, rule or policy). */
export interface Decision {
  readonly by: string
  readonly reason: string
  readonly method: ApprovalMethod
}

/** Every error the engine's operations can fail with (typed; nothing was written past the last checkpoint). */
export type WorkflowEngineError =
  | InvalidWorkflow
  | InvalidRequest
  | UnknownAgent
  | UnknownGate
  | IllegalTransition
  | RunFinished
  | RunActive
  | SpecChanged
  | CorruptCheckpoint
  | ApprovalNotFound
  | ApprovalDecided
  | RunNotFound
  | DuplicateRun
  | InvalidCheckpoint
  | RecordError
  | StoreFailure
  | CircuitOpen

/** The workflow engine (N2): runs, resumes and controls governed workflow runs. */
export interface WorkflowEngineShape {
  /** Compiles the definition, creates the run and drives it until it stops (terminal, awaiting approval, paused). */
  readonly start: (request: StartRequest) => Effect.Effect<RunOutcome, WorkflowEngineError>
  /** Continues a paused or interrupted run from its checkpoint (never repeating a completed phase). */
  readonly resume: (runId: string, options?: ResumeOptions) => Effect.Effect<RunOutcome, WorkflowEngineError>
  /** Approves a pending escalation and continues the run from the escalated phase with a fresh attempt budget. */
  readonly approve: (approvalId: string, decision: Decision) => Effect.Effect<RunOutcome, WorkflowEngineError>
  /** Rejects a pending escalation: the run ends `failed` with class `policy`. */
  readonly reject: (approvalId: string, decision: Decision) => Effect.Effect<RunOutcome, WorkflowEngineError>
  /** Pauses a run (an executing run stops at its next attempt boundary); returns where it stopped. */
  readonly pause: (
    runId: string,
    by: string,
    reason?: string
  ) => Effect.Effect<RunOutcome, WorkflowEngineError>
  /** Cancels a run (an executing attempt is interrupted); returns where it stopped. */
  readonly cancel: (
    runId: string,
    by: string,
    reason?: string
  ) => Effect.Effect<RunOutcome, WorkflowEngineError>
  /** The run's projection, derived from its checkpoint. */
  readonly projection: (
    runId: string
  ) => Effect.Effect<RunProjection, RunNotFound | CorruptCheckpoint | StoreFailure>
}
