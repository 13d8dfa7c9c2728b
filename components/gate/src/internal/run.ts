import { classifyCause, type FailureClass, messageOf } from "@gauntlet/failure"
import { Cause, Clock, Duration, Effect, Either, Exit, Option, ParseResult, Schema } from "effect"
import { failureClassOfLayer, type Gate } from "./Gate.js"
import {
  GATE_LAYERS,
  GateCheckResult,
  type GateInput,
  type GateLayer,
  type GateVerdict,
  isBlocking,
  statusOf
} from "./verdict.js"
import { isBlockingViolation, type Violation } from "./violation.js"

/** Options of `runGates`: the per-check timeout (a gate's own `timeoutMs` wins) and how many checks of one layer run at once. */
export interface RunGatesOptions {
  readonly timeoutMs: number
  readonly concurrency?: number
}

/** A gate that did not run because a lower layer blocked. */
export interface SkippedGate {
  readonly gate: string
  readonly layer: GateLayer
}

/**
 * The outcome of a gate run: `passed` is true when no verdict is `fail` or `error`; `verdicts` are in ladder order
 * (L0 first, then the order given); `blockedAt` is the layer that blocked; `skipped` lists the gates of higher layers
 * that were not run because of it.
 */
export interface GateRun {
  readonly passed: boolean
  readonly verdicts: ReadonlyArray<GateVerdict>
  readonly skipped: ReadonlyArray<SkippedGate>
  readonly blockedAt?: GateLayer
}

/** The rule id of the violation reported when a gate is given no output to check. */
export const MISSING_INPUT_RULE = "gate/missing-input"

const decodeResult = Schema.decodeUnknownEither(GateCheckResult)

const pointerOf = (path: ReadonlyArray<PropertyKey>): string =>
  path.map((key) => `/${String(key).replaceAll("~", "~0").replaceAll("/", "~1")}`).join("")

const malformed = (error: ParseResult.ParseError): string => {
  const issue = ParseResult.ArrayFormatter.formatErrorSync(error)[0]
  return issue === undefined
    ? "the check returned a malformed result"
    : `the check returned a malformed result at ${pointerOf(issue.path) || "/"}: ${issue.message}`
}

const blockingReason = (violations: ReadonlyArray<Violation>): string => {
  const rules = [...new Set(violations.filter(isBlockingViolation).map((violation) => violation.ruleId))]
  const shown = rules.slice(0, 5).join(", ")
  return `blocking violations: ${shown}${rules.length > 5 ? ` and ${rules.length - 5} more` : ""}`
}

const layerIndex = (layer: GateLayer): number => GATE_LAYERS.indexOf(layer)

type Outcome =
  | { readonly _tag: "result"; readonly violations: ReadonlyArray<Violation> }
  | { readonly _tag: "error"; readonly reason: string; readonly failureClass: FailureClass }

const runCheck = (gate: Gate, input: GateInput, timeoutMs: number): Effect.Effect<Outcome> =>
  Effect.suspend(() => {
    const effect: unknown = gate.check(input)
    return Effect.isEffect(effect)
      ? (effect as Effect.Effect<unknown, unknown>)
      : Effect.dieMessage("the check did not return an Effect")
  }).pipe(
    Effect.timeoutOption(Duration.millis(timeoutMs)),
    Effect.exit,
    Effect.map((exit): Outcome => {
      if (Exit.isFailure(exit)) {
        const cause = exit.cause
        const what = Option.isSome(Cause.failureOption(cause))
          ? `the check failed: ${messageOf(cause)}`
          : Cause.isDie(cause)
            ? `the check died: ${messageOf(cause)}`
            : "the check was interrupted"
        return { _tag: "error", reason: what, failureClass: classifyCause(cause).failureClass }
      }
      if (Option.isNone(exit.value)) {
        return { _tag: "error", reason: `the check timed out after ${timeoutMs} ms`, failureClass: "timeout" }
      }
      const decoded = decodeResult(exit.value.value)
      return Either.isLeft(decoded)
        ? { _tag: "error", reason: malformed(decoded.left), failureClass: "tool-error" }
        : { _tag: "result", violations: decoded.right.violations }
    })
  )

/**
 * Runs one gate on one input and returns its verdict; never fails (fail closed). No output to check (`output` is
 * `undefined`) is a `fail` with a critical `gate/missing-input` violation, and the check is not called.
 */
export const runGate = (gate: Gate, input: GateInput, options: RunGatesOptions): Effect.Effect<GateVerdict> =>
  Effect.gen(function* () {
    const started = yield* Clock.currentTimeMillis
    const base = { gate: gate.name, layer: gate.layer }
    const failureClass = gate.failureClass ?? failureClassOfLayer(gate.layer)
    if (input.output === undefined) {
      const reason = `no output to check: phase ${input.phase} produced nothing`
      const violation: Violation = { ruleId: MISSING_INPUT_RULE, severity: "critical", message: reason }
      const missing: GateVerdict = {
        ...base,
        status: "fail",
        violations: [violation],
        durationMs: 0,
        reason,
        failureClass
      }
      return missing
    }
    const outcome = yield* runCheck(gate, input, gate.timeoutMs ?? options.timeoutMs)
    const durationMs = Math.max(0, Math.round((yield* Clock.currentTimeMillis) - started))
    if (outcome._tag === "error") {
      const failedClosed: GateVerdict = {
        ...base,
        status: "error",
        violations: [],
        durationMs,
        reason: outcome.reason,
        failureClass: outcome.failureClass
      }
      return failedClosed
    }
    const status = statusOf(outcome.violations)
    const verdict: GateVerdict =
      status === "fail"
        ? {
            ...base,
            status,
            violations: outcome.violations,
            durationMs,
            reason: blockingReason(outcome.violations),
            failureClass
          }
        : { ...base, status, violations: outcome.violations, durationMs }
    return verdict
  }).pipe(Effect.withSpan("Gate.run", { attributes: { gate: gate.name, layer: gate.layer } }))

/**
 * Runs gates up the ladder, L0 → L4 (gates of one layer in the order given), FAIL CLOSED: a check that fails, dies,
 * times out or returns a malformed result yields an `error` verdict; missing output yields `fail`. Every gate of a
 * layer runs; if any of them blocks (`fail`/`error`), the higher layers do NOT run (they are listed in `skipped`),
 * so a lower failure is never masked by a higher pass and no later gate (an approval, say) acts on rejected output.
 * `passed` is true only when no verdict blocks. Never fails.
 */
export const runGates = (
  gates: ReadonlyArray<Gate>,
  input: GateInput,
  options: RunGatesOptions
): Effect.Effect<GateRun> =>
  Effect.gen(function* () {
    const ordered = gates
      .map((gate, index) => ({ gate, index }))
      .sort((a, b) => layerIndex(a.gate.layer) - layerIndex(b.gate.layer) || a.index - b.index)
      .map(({ gate }) => gate)
    const verdicts: Array<GateVerdict> = []
    for (const layer of GATE_LAYERS) {
      const inLayer = ordered.filter((gate) => gate.layer === layer)
      if (inLayer.length === 0) continue
      const layerVerdicts = yield* Effect.forEach(inLayer, (gate) => runGate(gate, input, options), {
        concurrency: options.concurrency ?? 1
      })
      verdicts.push(...layerVerdicts)
      if (layerVerdicts.some(isBlocking)) {
        const skipped = ordered
          .filter((gate) => layerIndex(gate.layer) > layerIndex(layer))
          .map((gate) => ({ gate: gate.name, layer: gate.layer }))
        return { passed: false, verdicts, skipped, blockedAt: layer }
      }
    }
    return { passed: true, verdicts, skipped: [] }
  })
