/**
 * @module @gauntlet/dag
 * The DAG executor (DESIGN §4 "Workflow execution"): a validated task graph run event-driven — a node starts the
 * moment its dependencies succeed — with priorities, bounded concurrency, named resource locks, exclusive file
 * globs, retries of retryable failure classes on an exponential schedule, per-attempt timeouts, cancellation, and
 * skip propagation with cause chains. Emits `task/*` events through a callback.
 */

/** Decoding untrusted JSON into a DAG spec, with a JSON pointer on error. */
export { decodeDagSpec } from "./internal/decode.js"
/** Typed errors: validation errors, the node failure executors raise, bad run options. */
export {
  CycleDetected,
  type DagValidationError,
  DuplicateNodeId,
  EmptyGraph,
  InvalidDagSpec,
  InvalidRunOption,
  NodeFailure,
  UnknownDependency
} from "./internal/errors.js"
/** Task event schemas emitted while a DAG runs. */
export {
  TaskCancelled,
  TaskEvent,
  TaskFailed,
  TaskReady,
  TaskRetried,
  TaskSkipped,
  TaskStarted,
  TaskSucceeded
} from "./internal/events.js"
/** The conservative file-glob overlap test used to keep nodes with exclusive files apart. */
export {
  type CompiledGlob,
  compileGlob,
  globListsMayOverlap,
  globsMayOverlap
} from "./internal/file-globs.js"
/** Validating and compiling a DAG (iterative; 100,000 nodes are fine). */
export { compileDag, type ValidDag, validateDag } from "./internal/graph.js"
/** Run results: per-node status, attempts, outputs, failures, cause chains and timing. */
export type { DagResult, DagStatus, NodeResult, NodeStatus } from "./internal/result.js"
/** The retry schedule of a policy and the retryability rule (disposition `retryable`). */
export { isRetryable, NO_RETRY, retrySchedule } from "./internal/retry.js"
/** Running a DAG. */
export { type RunDagOptions, runDag } from "./internal/run.js"
/** DAG spec schemas and types: nodes, retry policy, the whole graph. */
export { DagNode, DagSpec, NodeId, RetryPolicy } from "./internal/spec.js"
/** Turning anything an executor threw or failed with into a classified NodeFailure. */
export { toNodeFailure } from "./internal/to-node-failure.js"
