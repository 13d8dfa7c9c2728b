import type { CorePayload } from "@gauntlet/event-stream"
import { failureClassOfLayer } from "./Gate.js"
import type { GateVerdict } from "./verdict.js"
import type { Violation, ViolationLocation } from "./violation.js"

/** A `gate/passed` or `gate/failed` event (type and payload) for a verdict. */
export type GateVerdictEvent =
  | { readonly type: "gate/passed"; readonly payload: CorePayload<"gate/passed"> }
  | { readonly type: "gate/failed"; readonly payload: CorePayload<"gate/failed"> }

/** The violation as the event catalogue stores it. */
export type EventViolation = CorePayload<"gate/failed">["violations"][number]

/**
 * A location as one string: `file:line:column`, then `#<pointer>` when there is a JSON pointer (`out.json:3:7`,
 * `#/plan/0`, `spec.md:12#/title`). Undefined when the location says nothing.
 */
export const formatLocation = (location: ViolationLocation): string | undefined => {
  const position =
    location.line === undefined
      ? ""
      : `:${location.line}${location.column === undefined ? "" : `:${location.column}`}`
  const file =
    location.file === undefined ? (position === "" ? "" : `line${position}`) : `${location.file}${position}`
  const text = `${file}${location.pointer === undefined ? "" : `#${location.pointer}`}`
  return text === "" ? undefined : text
}

/**
 * A violation in the event catalogue's shape: `packId` → `pack`, the location as one string (`formatLocation`).
 * `remediation` and `autoFixable` are not part of the event; they stay in the verdict.
 */
export const violationToEvent = (violation: Violation): EventViolation => {
  const location = violation.location === undefined ? undefined : formatLocation(violation.location)
  return {
    ruleId: violation.ruleId,
    message: violation.message,
    severity: violation.severity,
    ...(violation.packId === undefined ? {} : { pack: violation.packId }),
    ...(violation.packVersion === undefined ? {} : { packVersion: violation.packVersion }),
    ...(location === undefined ? {} : { location })
  }
}

/**
 * The event a verdict becomes: `pass` and `warn` → `gate/passed` (all violations listed as `warnings`); `fail` and
 * `error` → `gate/failed` with the verdict's class and reason, `failedClosed: true` for `error` (the check itself
 * failed). A blocking verdict without a class or reason gets the layer's default class and a reason naming it.
 */
export const verdictToEventPayload = (verdict: GateVerdict): GateVerdictEvent => {
  if (verdict.status === "pass" || verdict.status === "warn") {
    return {
      type: "gate/passed",
      payload: {
        gate: verdict.gate,
        layer: verdict.layer,
        durationMs: verdict.durationMs,
        ...(verdict.violations.length === 0 ? {} : { warnings: verdict.violations.map(violationToEvent) })
      }
    }
  }
  return {
    type: "gate/failed",
    payload: {
      gate: verdict.gate,
      layer: verdict.layer,
      failureClass:
        verdict.failureClass ?? (verdict.status === "error" ? "unknown" : failureClassOfLayer(verdict.layer)),
      reason:
        verdict.reason ?? `gate ${verdict.gate} ${verdict.status === "error" ? "failed closed" : "failed"}`,
      violations: verdict.violations.map(violationToEvent),
      failedClosed: verdict.status === "error",
      durationMs: verdict.durationMs
    }
  }
}

/** The `gate/started` payload for a gate about to check a phase's output. */
export const gateStartedPayload = (
  gate: { readonly name: string; readonly layer: GateVerdict["layer"] },
  phase?: string
): CorePayload<"gate/started"> => ({
  gate: gate.name,
  layer: gate.layer,
  ...(phase === undefined ? {} : { phase })
})
