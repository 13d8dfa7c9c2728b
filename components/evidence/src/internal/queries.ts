import type { Statement } from "@gauntlet/signing"
import { GATE_RESULT_V1, RUN_OUTCOME_V1, SLSA_PROVENANCE_V1 } from "./predicates.js"

type Json = Record<string, unknown>
const rec = (v: unknown): Json =>
  v !== null && typeof v === "object" && !Array.isArray(v) ? (v as Json) : {}
const arr = (v: unknown): ReadonlyArray<unknown> => (Array.isArray(v) ? v : [])
const str = (v: unknown): string | undefined => (typeof v === "string" ? v : undefined)

/** One gate evaluation as the trace shows it. */
export interface TraceGate {
  readonly gate: string
  readonly layer: string
  readonly phase?: string
  readonly attempt?: number
  readonly result: string
  readonly rules: ReadonlyArray<string>
  readonly time?: string
}

/** The trace of a run: intent → phases (attempts, agent, gates) → artifacts → outcome. */
export interface RunTrace {
  readonly runId: string
  readonly workflow?: string
  readonly intent?: string
  readonly specDigest?: string
  readonly startedOn?: string
  readonly finishedOn?: string
  readonly phases: ReadonlyArray<{
    readonly phase: string
    readonly attempts: number
    readonly agent?: string
    readonly gates: ReadonlyArray<TraceGate>
  }>
  readonly artifacts: ReadonlyArray<{
    readonly name: string
    readonly digest: string
    readonly phase?: string
    readonly agent?: string
  }>
  readonly outcome: {
    readonly status: string
    readonly failureClass?: string
    readonly reason?: string
    readonly phase?: string
  }
}

const gatesOf = (statements: ReadonlyArray<Statement>): ReadonlyArray<TraceGate> =>
  statements
    .filter((s) => s.predicateType === GATE_RESULT_V1)
    .map((s) => {
      const p = rec(s.predicate)
      const phase = str(p.phase)
      const time = str(p.time)
      return {
        gate: str(p.gate) ?? "?",
        layer: str(p.layer) ?? "?",
        ...(phase === undefined ? {} : { phase }),
        ...(typeof p.attempt === "number" ? { attempt: p.attempt } : {}),
        result: str(p.result) ?? "?",
        rules: arr(p.rules).filter((r): r is string => typeof r === "string"),
        ...(time === undefined ? {} : { time })
      }
    })

/** The trace of a run from its bundle's statements (read them with `readBundleStatements` after verifying). */
export const runTrace = (statements: ReadonlyArray<Statement>): RunTrace => {
  const provenance = rec(statements.find((s) => s.predicateType === SLSA_PROVENANCE_V1)?.predicate)
  const outcome = rec(statements.find((s) => s.predicateType === RUN_OUTCOME_V1)?.predicate)
  const external = rec(rec(provenance.buildDefinition).externalParameters)
  const metadata = rec(rec(provenance.runDetails).metadata)
  const gates = gatesOf(statements)
  const phases = arr(outcome.phases).map((v) => {
    const p = rec(v)
    const phase = str(p.phase) ?? "?"
    const agent = str(p.agent)
    return {
      phase,
      attempts: typeof p.attempts === "number" ? p.attempts : 0,
      ...(agent === undefined ? {} : { agent }),
      gates: gates.filter((g) => g.phase === phase)
    }
  })
  const artifacts = arr(outcome.artifacts).map((v) => {
    const a = rec(v)
    return {
      name: str(a.name) ?? "?",
      digest: str(a.digest) ?? "?",
      ...(str(a.phase) === undefined ? {} : { phase: str(a.phase)! }),
      ...(str(a.agent) === undefined ? {} : { agent: str(a.agent)! })
    }
  })
  const opt = (key: string, value: string | undefined) => (value === undefined ? {} : { [key]: value })
  return {
    runId: str(metadata.invocationId) ?? str(outcome.runId) ?? "?",
    ...opt("workflow", str(rec(external.workflow).id)),
    ...opt("intent", str(external.intent)),
    ...opt("specDigest", str(rec(external.spec).digest)),
    ...opt("startedOn", str(metadata.startedOn)),
    ...opt("finishedOn", str(metadata.finishedOn)),
    phases,
    artifacts,
    outcome: {
      status: str(outcome.status) ?? "?",
      ...opt("failureClass", str(outcome.failureClass)),
      ...opt("reason", str(outcome.reason)),
      ...opt("phase", str(outcome.phase))
    }
  }
}

/** Where an artifact came from: its run, phase and agent, the run's intent and spec, and the gates its phase passed. */
export interface ArtifactProvenance {
  readonly runId: string
  readonly name: string
  readonly digest: string
  readonly phase?: string
  readonly agent?: string
  readonly intent?: string
  readonly specDigest?: string
  readonly gatesPassed: ReadonlyArray<TraceGate>
}

/**
 * The provenance of an artifact by digest (`sha256:<hex>` or bare hex) across bundles' statements; `undefined`
 * when no bundle names it.
 */
export const artifactProvenance = (
  bundles: ReadonlyArray<ReadonlyArray<Statement>>,
  digest: string
): ArtifactProvenance | undefined => {
  const wanted = digest.startsWith("sha256:") ? digest : `sha256:${digest}`
  for (const statements of bundles) {
    const trace = runTrace(statements)
    const artifact = trace.artifacts.find((a) => a.digest === wanted)
    if (artifact === undefined) continue
    const phase = trace.phases.find((p) => p.phase === artifact.phase)
    return {
      runId: trace.runId,
      name: artifact.name,
      digest: artifact.digest,
      ...(artifact.phase === undefined ? {} : { phase: artifact.phase }),
      ...(artifact.agent === undefined ? {} : { agent: artifact.agent }),
      ...(trace.intent === undefined ? {} : { intent: trace.intent }),
      ...(trace.specDigest === undefined ? {} : { specDigest: trace.specDigest }),
      gatesPassed: (phase?.gates ?? []).filter((g) => g.result !== "fail")
    }
  }
  return undefined
}

/** A run whose L1 (semantic, intent-vs-change) gate did not pass cleanly. */
export interface IntentMismatch {
  readonly runId: string
  readonly intent?: string
  readonly time: string
  readonly gate: string
  readonly phase?: string
  readonly result: string
  readonly rules: ReadonlyArray<string>
}

/**
 * Intent mismatches in `[from, to)` (ISO times, either open): every L1 gate evaluation that warned or failed,
 * with the run's declared intent, oldest first.
 */
export const intentMismatches = (
  bundles: ReadonlyArray<ReadonlyArray<Statement>>,
  range: { readonly from?: string; readonly to?: string } = {}
): ReadonlyArray<IntentMismatch> =>
  bundles
    .flatMap((statements) => {
      const trace = runTrace(statements)
      return gatesOf(statements)
        .filter((g) => g.layer === "L1" && g.result !== "pass" && g.time !== undefined)
        .filter(
          (g) =>
            (range.from === undefined || g.time! >= range.from) &&
            (range.to === undefined || g.time! < range.to)
        )
        .map((g) => ({
          runId: trace.runId,
          ...(trace.intent === undefined ? {} : { intent: trace.intent }),
          time: g.time!,
          gate: g.gate,
          ...(g.phase === undefined ? {} : { phase: g.phase }),
          result: g.result,
          rules: g.rules
        }))
    })
    .sort((a, b) => (a.time < b.time ? -1 : a.time > b.time ? 1 : 0))
