import { Artifact } from "@gauntlet/agent"
import { GateLayer as CatalogueGateLayer } from "@gauntlet/event-stream"
import { FailureClass } from "@gauntlet/failure"
import { Schema } from "effect"
import { isBlockingViolation, isWarningViolation, Violation } from "./violation.js"

const Text = Schema.String.pipe(Schema.minLength(1))

/** A layer of the gate ladder: L0 syntax, L1 semantic, L2 policy, L3 operational, L4 authorization (the catalogue's). */
export const GateLayer = CatalogueGateLayer

/** A layer of the gate ladder. */
export type GateLayer = typeof GateLayer.Type

/** The gate layers in the order they run (N4): L0 syntax, L1 semantic, L2 policy, L3 operational, L4 authorization. */
export const GATE_LAYERS: ReadonlyArray<GateLayer> = GateLayer.literals

/** What a phase hands to its gates: the run, the phase (and task), the agent's output and artifacts. */
export const GateInput = Schema.Struct({
  runId: Text,
  phase: Text,
  taskId: Schema.optional(Text),
  output: Schema.Unknown,
  artifacts: Schema.Array(Artifact)
}).annotations({ identifier: "GateInput" })

/** What a phase hands to its gates. */
export type GateInput = typeof GateInput.Type

/** What a gate's check returns: the violations it found (none means the gate has nothing to say). */
export const GateCheckResult = Schema.Struct({
  violations: Schema.Array(Violation)
}).annotations({ identifier: "GateCheckResult" })

/** What a gate's check returns. */
export type GateCheckResult = typeof GateCheckResult.Type

/**
 * A verdict's status: `pass` (no blocking or warning violation), `warn` (only medium/low violations), `fail`
 * (a critical/high violation, or no input to check), `error` (the check itself failed: threw, died, timed out or
 * returned a malformed result — the gate failed closed). `fail` and `error` block.
 */
export const GateStatus = Schema.Literal("pass", "warn", "fail", "error").annotations({
  identifier: "GateStatus"
})

/** A verdict's status. */
export type GateStatus = typeof GateStatus.Type

/**
 * One gate's decision on one input. `reason` says why a `fail` or `error` blocks; `failureClass` is the class a
 * blocking verdict reports (N1): the check's own failure class for `error`, the gate's class for `fail`.
 */
export const GateVerdict = Schema.Struct({
  gate: Text,
  layer: GateLayer,
  status: GateStatus,
  violations: Schema.Array(Violation),
  durationMs: Schema.Int.pipe(Schema.nonNegative()),
  reason: Schema.optional(Text),
  failureClass: Schema.optional(FailureClass)
}).annotations({ identifier: "GateVerdict" })

/** One gate's decision on one input. */
export type GateVerdict = typeof GateVerdict.Type

/** The status violations imply: any critical/high → `fail`; else any medium/low → `warn`; else (none, or only `info`) → `pass`. */
export const statusOf = (violations: ReadonlyArray<Pick<Violation, "severity">>): "pass" | "warn" | "fail" =>
  violations.some(isBlockingViolation) ? "fail" : violations.some(isWarningViolation) ? "warn" : "pass"

/** True when the verdict blocks the phase (`fail` or `error`). */
export const isBlocking = (verdict: Pick<GateVerdict, "status">): boolean =>
  verdict.status === "fail" || verdict.status === "error"
