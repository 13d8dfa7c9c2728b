/**
 * @module @gauntlet/gate
 * Gates (spec N2 "Agents and gates"; N4 extends them with policy packs): violations and verdicts, the `Gates`
 * registry, the fail-closed runner that climbs the L0 → L4 ladder, two built-in gates (an output schema, a pure
 * predicate) and the mapping of a verdict onto its `gate/passed` / `gate/failed` event.
 */

/** Built-in gates: output must decode with an Effect Schema; violations from a pure function. */
export { type JsonSchemaGateOptions, jsonSchemaGate, predicateGate } from "./internal/builtins.js"
/** Typed errors of the registry. */
export { DuplicateGate, UnknownGate } from "./internal/errors.js"
/** Verdicts as `gate/*` event payloads. */
export {
  type EventViolation,
  formatLocation,
  type GateVerdictEvent,
  gateStartedPayload,
  verdictToEventPayload,
  violationToEvent
} from "./internal/events.js"
/** The gate interface, the `Gates` registry service, and each layer's default failure class. */
export { failureClassOfLayer, type Gate, Gates, type GatesShape, makeGates } from "./internal/Gate.js"
/** The fail-closed runner. */
export {
  type GateRun,
  MISSING_INPUT_RULE,
  type RunGatesOptions,
  runGate,
  runGates,
  type SkippedGate
} from "./internal/run.js"
/** Gate input, check result, verdict and status schemas; the ladder order; status derivation. */
export {
  GATE_LAYERS,
  GateCheckResult,
  GateInput,
  GateLayer,
  GateStatus,
  GateVerdict,
  isBlocking,
  statusOf
} from "./internal/verdict.js"
/** Violations and their locations; whether blocking violations only ask for approval. */
export {
  isBlockingViolation,
  isWarningViolation,
  onlyApprovalRequired,
  Violation,
  ViolationLocation
} from "./internal/violation.js"
