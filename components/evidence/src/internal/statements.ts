import { canonicalBytes, sha256Hex } from "@gauntlet/canonical"
import { redactJson } from "@gauntlet/redaction"
import { makeStatement, type Statement, type Subject } from "@gauntlet/signing"
import type { EvidenceContext, RunFacts } from "./facts.js"
import {
  APPROVALS_V1,
  BUNDLE_INDEX_V1,
  GATE_RESULT_V1,
  GAUNTLET_BUILD_TYPE,
  GAUNTLET_BUILDER_ID,
  LLM_LEDGER_V1,
  RUN_OUTCOME_V1,
  RUN_SUBJECT_PREFIX,
  SLSA_PROVENANCE_V1
} from "./predicates.js"

/** The kernel version recorded when the caller does not say. */
export const DEFAULT_KERNEL_VERSION = "0.1.0"

const SHA256 = /^sha256:([0-9a-f]{64})$/
const GIT_SHA = /^[0-9a-f]{40}(?:[0-9a-f]{24})?$/

/** `sha256:<hex>` → `{ sha256: hex }`; anything else → undefined. */
const digestSet = (digest: string | undefined): Record<string, string> | undefined => {
  const m = digest === undefined ? null : SHA256.exec(digest)
  return m === null ? undefined : { sha256: m[1]! }
}

/** The subject binding every statement to its run: the run id and its last event hash. */
const runSubject = (facts: RunFacts): Subject => ({
  name: `${RUN_SUBJECT_PREFIX}${facts.runId}`,
  digest: digestSet(facts.anchor.lastHash) ?? { sha256: sha256Hex(facts.anchor.lastHash) }
})

/** The run's outputs (artifacts by sha256, commits by gitCommit) followed by the run subject. */
const subjectsOf = (facts: RunFacts, context: EvidenceContext): readonly [Subject, ...Array<Subject>] => {
  const outputs: Array<Subject> = []
  const seen = new Set<string>()
  for (const a of [...(context.artifacts ?? []), ...facts.artifacts]) {
    const set = digestSet(a.digest)
    if (set === undefined || seen.has(a.digest)) continue
    seen.add(a.digest)
    outputs.push({ name: a.name, digest: set })
  }
  for (const c of context.commits ?? []) {
    if (GIT_SHA.test(c.sha)) outputs.push({ name: c.name, digest: { gitCommit: c.sha } })
  }
  return [runSubject(facts), ...outputs]
}

const defined = <T extends Record<string, unknown>>(o: T): T =>
  Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as T

const provenance = (facts: RunFacts, context: EvidenceContext) => {
  const kernelVersion = context.kernelVersion ?? DEFAULT_KERNEL_VERSION
  const specDigest = context.specDigest ?? facts.specDigest
  const resolvedDependencies: Array<Record<string, unknown>> = []
  if (context.baseCommit !== undefined) {
    resolvedDependencies.push(
      defined({
        name: "base-commit",
        uri: context.repository === undefined ? undefined : `git+${context.repository}@${context.baseCommit}`,
        digest: { gitCommit: context.baseCommit }
      })
    )
  }
  for (const pack of context.requestedPacks ?? []) {
    resolvedDependencies.push({
      name: `pack:${pack.id}@${pack.version}`,
      digest: digestSet(pack.digest) ?? { sha256: pack.digest }
    })
  }
  for (const t of context.promptTemplates ?? []) {
    resolvedDependencies.push({ name: `prompt:${t.id}`, digest: digestSet(t.digest) ?? { sha256: t.digest } })
  }
  for (const m of facts.models) {
    resolvedDependencies.push({
      name: `model:${m.provider}/${m.model}`,
      annotations: { provider: m.provider, model: m.model }
    })
  }
  return {
    buildDefinition: {
      buildType: GAUNTLET_BUILD_TYPE,
      externalParameters: defined({
        workflow: defined({ id: facts.workflow, version: facts.workflowVersion }),
        intent: context.intent ?? facts.intent,
        spec: specDigest === undefined ? undefined : { digest: specDigest },
        requestedPacks: (context.requestedPacks ?? []).map((p) => `${p.id}@${p.version}`)
      }),
      internalParameters: defined({ kernelVersion, routingTableDigest: context.routingTableDigest }),
      resolvedDependencies
    },
    runDetails: {
      builder: { id: `${GAUNTLET_BUILDER_ID}@${kernelVersion}` },
      metadata: { invocationId: facts.runId, startedOn: facts.startedOn, finishedOn: facts.finishedOn },
      byproducts: [
        {
          name: "event-chain",
          digest: digestSet(facts.anchor.lastHash) ?? {},
          annotations: {
            firstHash: facts.anchor.firstHash,
            lastHash: facts.anchor.lastHash,
            count: facts.anchor.count
          }
        }
      ]
    }
  }
}

const gateResult = (facts: RunFacts, g: RunFacts["gates"][number]) =>
  defined({
    runId: facts.runId,
    eventSeq: g.seq,
    time: g.time,
    gate: g.gate,
    layer: g.layer,
    phase: g.phase,
    attempt: g.attempt,
    result: g.result,
    failedClosed: g.failedClosed,
    failureClass: g.failureClass,
    reason: g.reason,
    durationMs: g.durationMs,
    rules: [...new Set(g.violations.map((v) => String(v.ruleId ?? "?")))],
    packs: [
      ...new Set(
        g.violations.flatMap((v) =>
          typeof v.pack === "string"
            ? [`${v.pack}@${typeof v.packVersion === "string" ? v.packVersion : "?"}`]
            : []
        )
      )
    ],
    violations: g.violations
  })

const ledger = (facts: RunFacts) => {
  const calls = facts.llmCalls.map(({ request, response }) => {
    const q = request.payload
    const r = response?.payload
    return defined({
      requestId: q.requestId,
      phase: q.phase,
      attempt: q.attempt,
      "gen_ai.operation.name": "chat",
      "gen_ai.provider.name": q.provider,
      "gen_ai.request.model": q.model,
      "gen_ai.request.max_tokens": q.maxOutputTokens,
      "gen_ai.response.model": r?.model,
      "gen_ai.response.finish_reasons": typeof r?.finishReason === "string" ? [r.finishReason] : undefined,
      "gen_ai.usage.input_tokens": r?.inputTokens,
      "gen_ai.usage.output_tokens": r?.outputTokens,
      costUsd: r?.costUsd,
      latencyMs: r?.durationMs,
      source: r?.source,
      promptDigest: q.promptDigest,
      promptTemplateId: q.promptTemplateId,
      responseDigest: r?.responseDigest,
      requestedAt: request.time,
      respondedAt: response?.time,
      status: response === undefined ? "no-response" : "returned"
    })
  })
  const sum = (key: string) =>
    calls.reduce(
      (acc, c) =>
        acc + (typeof c[key as keyof typeof c] === "number" ? (c[key as keyof typeof c] as number) : 0),
      0
    )
  return {
    runId: facts.runId,
    calls,
    totals: {
      calls: calls.length,
      inputTokens: sum("gen_ai.usage.input_tokens"),
      outputTokens: sum("gen_ai.usage.output_tokens"),
      costUsd: Math.round(sum("costUsd") * 1e9) / 1e9
    }
  }
}

const approvals = (facts: RunFacts) => ({
  runId: facts.runId,
  decisions: facts.approvals.map((a) => defined({ ...a }))
})

const outcome = (facts: RunFacts, context: EvidenceContext) =>
  defined({
    runId: facts.runId,
    workflow: facts.workflow,
    status: facts.outcome.status,
    failureClass: facts.outcome.failureClass,
    reason: facts.outcome.reason,
    phase: facts.outcome.phase,
    startedOn: facts.startedOn,
    finishedOn: facts.finishedOn,
    phases: facts.phases.map((p) => ({ ...p })),
    artifacts: [...(context.artifacts ?? []), ...facts.artifacts].map((a) => ({ ...a }))
  })

/** Redacts a predicate, counting what was removed. */
const redacted = (predicate: unknown, counter: { n: number }): unknown => {
  const { value, findings } = redactJson(predicate)
  counter.n += findings.length
  return value
}

/**
 * The statements of a bundle, in their fixed order: provenance, one gate result per gate evaluation (event order),
 * the LLM ledger, approvals, the outcome, and last the index (statement digests and the run anchor). Every
 * predicate is redacted before it is returned.
 */
export const statementsOf = (facts: RunFacts, context: EvidenceContext): ReadonlyArray<Statement> => {
  const outputs = subjectsOf(facts, context)
  const subject: readonly [Subject] = [runSubject(facts)]
  const counter = { n: 0 }
  const body: Array<Statement> = [
    makeStatement({
      subject: outputs,
      predicateType: SLSA_PROVENANCE_V1,
      predicate: redacted(provenance(facts, context), counter)
    }),
    ...facts.gates.map((g) =>
      makeStatement({
        subject,
        predicateType: GATE_RESULT_V1,
        predicate: redacted(gateResult(facts, g), counter)
      })
    ),
    makeStatement({ subject, predicateType: LLM_LEDGER_V1, predicate: redacted(ledger(facts), counter) }),
    makeStatement({ subject, predicateType: APPROVALS_V1, predicate: redacted(approvals(facts), counter) }),
    makeStatement({
      subject,
      predicateType: RUN_OUTCOME_V1,
      predicate: redacted(outcome(facts, context), counter)
    })
  ]
  const index = makeStatement({
    subject,
    predicateType: BUNDLE_INDEX_V1,
    predicate: {
      runId: facts.runId,
      anchor: facts.anchor,
      redactions: counter.n,
      statements: body.map((s, i) => ({
        index: i,
        predicateType: s.predicateType,
        payloadDigest: `sha256:${sha256Hex(canonicalBytes(s))}`
      }))
    }
  })
  return [...body, index]
}
