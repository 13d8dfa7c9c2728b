import type { AgentOutput, Feedback } from "@gauntlet/agent"
import type { FailureClass } from "@gauntlet/failure"
import {
  type Gate,
  type GateVerdict,
  gateStartedPayload,
  runGates,
  verdictToEventPayload
} from "@gauntlet/gate"
import { Effect } from "effect"
import type { StepEvent } from "./recorder.js"

/** The default bound of one gate check. */
const DEFAULT_GATE_TIMEOUT_MS = 60_000

/** What the gates said about one agent output. */
export interface GateReport {
  readonly passed: boolean
  readonly verdicts: ReadonlyArray<GateVerdict>
}

/** Runs the phase's gates (L0→L4, fail closed) on an agent output. */
export const checkOutput = (options: {
  readonly runId: string
  readonly phase: string
  readonly gates: ReadonlyArray<Gate>
  readonly output: AgentOutput
  readonly timeoutMs?: number
}): Effect.Effect<GateReport> =>
  options.gates.length === 0
    ? Effect.succeed({ passed: true, verdicts: [] })
    : runGates(
        options.gates,
        {
          runId: options.runId,
          phase: options.phase,
          output: options.output.output,
          artifacts: options.output.artifacts
        },
        { timeoutMs: options.timeoutMs ?? DEFAULT_GATE_TIMEOUT_MS }
      )

/** The `gate/*` events of a report, in ladder order: `gate/started` then `gate/passed|failed` per gate. */
export const gateEvents = (phase: string, report: GateReport): ReadonlyArray<StepEvent> =>
  report.verdicts.flatMap((verdict): ReadonlyArray<StepEvent> => {
    const ended = verdictToEventPayload(verdict)
    return [
      {
        type: "gate/started",
        payload: gateStartedPayload({ name: verdict.gate, layer: verdict.layer }, phase)
      },
      { type: ended.type, payload: ended.payload }
    ]
  })

/** The feedback the next attempt gets from a failed report: every blocking violation, or the fail-closed reason. */
export const gateFeedback = (report: GateReport): ReadonlyArray<Feedback> =>
  report.verdicts.flatMap((verdict): ReadonlyArray<Feedback> => {
    if (verdict.status === "pass" || verdict.status === "warn") return []
    const blocking = verdict.violations.filter((v) => v.severity === "critical" || v.severity === "high")
    if (blocking.length === 0) {
      return [
        {
          source: `gate:${verdict.gate}`,
          message: verdict.reason ?? `gate ${verdict.gate} ${verdict.status}`
        }
      ]
    }
    return blocking.map((v) => ({ source: `gate:${verdict.gate}`, message: v.message, ruleId: v.ruleId }))
  })

/** The first blocking gate of a failed report, with the class and reason its `gate/failed` event carries. */
export const firstBlockingGate = (
  report: GateReport
): { readonly gate: string; readonly failureClass: FailureClass; readonly reason: string } | undefined => {
  const verdict = report.verdicts.find((v) => v.status === "fail" || v.status === "error")
  if (verdict === undefined) return undefined
  const event = verdictToEventPayload(verdict)
  return event.type === "gate/failed"
    ? { gate: verdict.gate, failureClass: event.payload.failureClass, reason: event.payload.reason }
    : undefined
}
