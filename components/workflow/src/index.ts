/**
 * @module @gauntlet/workflow
 * The workflow engine (spec N2 "Workflow definitions", "Run state machine", "Inner loop", "Approvals and control"):
 * workflow definitions (JSON/YAML, errors with JSON pointers), their compilation into an explicit run state
 * machine, the engine that drives runs through the inner loop (agent → gates → repair → escalate) with budgets,
 * approvals, pause/resume/cancel and crash recovery from atomic checkpoints, and the run projection (a pure fold of
 * the run's events that equals the one derived from its checkpoint).
 */

/** The engine's durable checkpoint state and the phase progress it holds. */
export {
  CHECKPOINT_FORMAT,
  decodeRunCheckpoint,
  PhaseProgress,
  PhaseStatus,
  RunCheckpoint,
  RunFailure
} from "./internal/checkpoint.js"
/** Compiling a definition into its machine. */
export {
  type CompiledPhase,
  type CompiledWorkflow,
  compileWorkflow,
  type PhaseStep
} from "./internal/compile.js"
/** The engine's requests, operations and error union. */
export type {
  Decision,
  ResumeOptions,
  StartRequest,
  WorkflowEngineError,
  WorkflowEngineShape
} from "./internal/contract.js"
/** Workflow definition schemas (the types), defaults and the software-factory mandatory phases. */
export {
  CallEstimate,
  DEFAULT_MAX_ATTEMPTS,
  PhaseDefinition,
  PhaseName,
  SkipPredicate,
  SOFTWARE_FACTORY_MANDATORY,
  WorkflowDefinition,
  WorkflowFamily
} from "./internal/definition.js"
/** Typed errors of the engine and the definitions. */
export {
  ApprovalDecided,
  ApprovalNotFound,
  CorruptCheckpoint,
  IllegalTransition,
  InvalidRequest,
  InvalidWorkflow,
  RunActive,
  RunFinished,
  SpecChanged
} from "./internal/errors.js"
/** Parsing and loading workflow files (JSON or YAML). */
export { loadWorkflowFile, parseWorkflow, type WorkflowFormat } from "./internal/load.js"
/** The run lifecycle: states, triggers, the transition table and `transition`. */
export {
  isTerminal,
  RUN_TRANSITIONS,
  RunState,
  RunTrigger,
  TERMINAL_STATES,
  Transition,
  transition
} from "./internal/machine.js"
/** Where a run stopped. */
export { RunOutcome } from "./internal/outcome.js"
/** The run projection: a pure fold of events, and the same view from a checkpoint. */
export {
  foldRunEvents,
  type PhaseView,
  projectionOfCheckpoint,
  type RunProjection,
  type SpentView
} from "./internal/projection.js"
/** Evaluating `skipIf` predicates over a run input. */
export { evaluateSkip } from "./internal/skip.js"
/** The terminal hook service (evidence plugs in here). */
export { TerminalHook, type TerminalHookShape } from "./internal/TerminalHook.js"
/** The workflow engine service and its layer; the optional circuit breaker over whole runs. */
export { RunCircuitBreaker, WorkflowEngine } from "./internal/WorkflowEngine.js"
