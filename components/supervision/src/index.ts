/**
 * @module @gauntlet/supervision
 * Supervision for runs and nodes (spec N2 "Supervision"): a circuit breaker over runs, a stagnation detector that
 * tells a stuck node from one waiting on a long subprocess, timeouts that interrupt, graceful shutdown on
 * SIGTERM/SIGINT, and process-group spawning and killing so an interrupted node's subprocesses really end. The
 * process-group helpers use `node:child_process`; everything else is pure Effect.
 */

/** The circuit breaker over whole runs. */
export {
  type CircuitBreaker,
  type CircuitBreakerOptions,
  type CircuitState,
  makeCircuitBreaker
} from "./internal/circuit-breaker.js"
/** Supervision errors: `CircuitOpen` (resource), `TimedOut` (timeout), `SpawnFailed` (tool-error). */
export { CircuitOpen, SpawnFailed, TimedOut } from "./internal/errors.js"
/** Process groups: spawn a subprocess as a group leader bound to a scope; end a whole group. */
export {
  type GroupKillOutcome,
  type GroupProcess,
  type KillGroupOptions,
  killProcessGroup,
  processGroupAlive,
  type SpawnInGroupOptions,
  spawnInGroup
} from "./internal/process-group.js"
/** Graceful shutdown: wait for a signal, drain within a bound, force after it. */
export {
  type GracefulShutdownOptions,
  makeManualSignalSource,
  onShutdownSignal,
  runWithGracefulShutdown,
  type ShutdownOutcome,
  type ShutdownRequest,
  type ShutdownSignal,
  type ShutdownSignalSource
} from "./internal/shutdown.js"
/** The stagnation detector, and heartbeats while a node waits on a long subprocess. */
export {
  makeStagnationDetector,
  type StagnationCheck,
  type StagnationDetector,
  type StagnationOptions,
  withHeartbeats
} from "./internal/stagnation.js"
/** A timeout that interrupts and fails with `TimedOut`. */
export { withTimeout } from "./internal/timeout.js"
