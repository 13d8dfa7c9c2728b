import { describe, expect, it } from "@effect/vitest"
import { Effect } from "effect"
import fc from "fast-check"
import {
  BUNDLE_INDEX_V1,
  buildEvidenceBundle,
  GATE_RESULT_V1,
  LLM_LEDGER_V1,
  readBundleStatements,
  SLSA_PROVENANCE_V1,
  verifyEvidenceBundle
} from "../src/index.js"
import { syntheticRun } from "./synthetic.js"
import { changePayloadByte, removeStatement, reorderEvents, swapStatements } from "./tamper.js"
import { otherKey, testKey } from "./world.js"

const build = (ending: Parameters<typeof syntheticRun>[0]["ending"], runId = "run-1") =>
  Effect.gen(function* () {
    const key = yield* testKey
    const events = syntheticRun({ runId, ending })
    const bundle = yield* buildEvidenceBundle({
      runId,
      events,
      keys: [key],
      context: {
        requestedPacks: [{ id: "gauntlet/secrets", version: "1.2.0", digest: `sha256:${"ab".repeat(32)}` }],
        baseCommit: "4b825dc642cb6eb9a060e54bf8d69288fbee4904",
        commits: [{ name: "result", sha: "1111111111111111111111111111111111111111" }],
        routingTableDigest: `sha256:${"cd".repeat(32)}`
      }
    })
    return { key, events, bundle }
  })

describe("buildEvidenceBundle", () => {
  it.effect("writes the statements in their fixed order, redacted, and the same bytes twice", () =>
    Effect.gen(function* () {
      const { bundle, events, key } = yield* build("completed")
      const again = yield* buildEvidenceBundle({
        runId: "run-1",
        events,
        keys: [key],
        context: {
          requestedPacks: [{ id: "gauntlet/secrets", version: "1.2.0", digest: `sha256:${"ab".repeat(32)}` }],
          baseCommit: "4b825dc642cb6eb9a060e54bf8d69288fbee4904",
          commits: [{ name: "result", sha: "1111111111111111111111111111111111111111" }],
          routingTableDigest: `sha256:${"cd".repeat(32)}`
        }
      })
      expect(again.text).toBe(bundle.text)
      const statements = readBundleStatements(bundle.text)
      expect(statements.map((s) => s.predicateType)).toEqual([
        SLSA_PROVENANCE_V1,
        GATE_RESULT_V1,
        GATE_RESULT_V1,
        GATE_RESULT_V1,
        LLM_LEDGER_V1,
        "https://gauntlet.dev/attestations/approvals/v1",
        "https://gauntlet.dev/attestations/run-outcome/v1",
        BUNDLE_INDEX_V1
      ])
      const provenance = statements[0]!
      expect(provenance.subject.map((s) => s.digest)).toEqual([
        { sha256: events.at(-1)!.hash.slice(7) },
        { sha256: `${"0".repeat(60)}03e9` },
        { sha256: `${"0".repeat(60)}03ea` },
        { sha256: `${"0".repeat(60)}03eb` },
        { gitCommit: "1111111111111111111111111111111111111111" }
      ])
      expect(provenance.predicate).toMatchObject({
        buildDefinition: {
          buildType: "https://gauntlet.dev/evidence/run/v1",
          externalParameters: {
            intent: "add input validation; contact [REDACTED:email]",
            spec: { digest: `sha256:${"0".repeat(63)}1` },
            requestedPacks: ["gauntlet/secrets@1.2.0"]
          },
          internalParameters: { kernelVersion: "0.1.0", routingTableDigest: `sha256:${"cd".repeat(32)}` },
          resolvedDependencies: [
            { name: "base-commit", digest: { gitCommit: "4b825dc642cb6eb9a060e54bf8d69288fbee4904" } },
            { name: "pack:gauntlet/secrets@1.2.0", digest: { sha256: "ab".repeat(32) } },
            { name: "model:anthropic/claude-sonnet" }
          ]
        },
        runDetails: {
          metadata: { invocationId: "run-1", startedOn: "2026-01-01T00:00:00.000Z" },
          byproducts: [
            { name: "event-chain", annotations: { firstHash: events[0]!.hash, count: events.length } }
          ]
        }
      })
      const ledger = statements[4]!.predicate as { calls: Array<Record<string, unknown>>; totals: unknown }
      expect(ledger.calls[0]).toMatchObject({
        "gen_ai.provider.name": "anthropic",
        "gen_ai.request.model": "claude-sonnet",
        "gen_ai.usage.input_tokens": 1001,
        "gen_ai.usage.output_tokens": 201,
        costUsd: 0.0125,
        latencyMs: 851,
        promptDigest: `sha256:${"0".repeat(62)}65`,
        phase: "p1",
        attempt: 1
      })
      expect(ledger.totals).toEqual({ calls: 3, inputTokens: 3006, outputTokens: 606, costUsd: 0.0375 })
      expect(bundle.text).not.toContain("ops@example.com")
    })
  )

  it.effect("redacts secrets found in gate violations before signing", () =>
    Effect.gen(function* () {
      const { bundle } = yield* build("failed")
      const gate = readBundleStatements(bundle.text)
        .filter((s) => s.predicateType === GATE_RESULT_V1)
        .at(-1)!
      expect(gate.predicate).toMatchObject({
        result: "fail",
        rules: ["no-aws-keys"],
        packs: ["gauntlet/secrets@1.2.0"],
        violations: [{ message: "found key [REDACTED:aws-access-key] in config.ts" }]
      })
    })
  )

  it.effect("an empty run log is refused with NoRunEvidence", () =>
    Effect.gen(function* () {
      const error = yield* Effect.flip(
        buildEvidenceBundle({ runId: "none", events: [], keys: [yield* testKey] })
      )
      expect(error._tag).toBe("NoRunEvidence")
    })
  )
})

describe("verifyEvidenceBundle", () => {
  it.effect("accepts an untouched bundle, with and without the event log", () =>
    Effect.gen(function* () {
      const { bundle, events, key } = yield* build("completed")
      expect(verifyEvidenceBundle({ bundle: bundle.text, keys: [key.publicKey], events })).toMatchObject({
        ok: true,
        statements: 8,
        signers: [key.keyId],
        eventsChecked: true
      })
      expect(verifyEvidenceBundle({ bundle: bundle.text, keys: [key.publicKey] })).toMatchObject({
        ok: true,
        eventsChecked: false
      })
    })
  )

  it.effect("a changed byte in a payload: bad-signature at that statement", () =>
    Effect.gen(function* () {
      const { bundle, key } = yield* build("completed")
      expect(
        verifyEvidenceBundle({ bundle: changePayloadByte(bundle.text, 4), keys: [key.publicKey] })
      ).toMatchObject({
        ok: false,
        index: 4,
        field: "signatures[0]",
        reason: "bad-signature"
      })
    })
  )

  it.effect("a removed statement: missing-statement at its index", () =>
    Effect.gen(function* () {
      const { bundle, key } = yield* build("completed")
      expect(
        verifyEvidenceBundle({ bundle: removeStatement(bundle.text, 2), keys: [key.publicKey] })
      ).toMatchObject({
        ok: false,
        index: 2,
        field: "line",
        reason: "missing-statement"
      })
      expect(
        verifyEvidenceBundle({ bundle: removeStatement(bundle.text, 7), keys: [key.publicKey] })
      ).toMatchObject({
        ok: false,
        index: 7,
        field: "predicateType",
        reason: "missing-statement"
      })
    })
  )

  it.effect("reordered statements: digest-mismatch naming where the statement went", () =>
    Effect.gen(function* () {
      const { bundle, key } = yield* build("completed")
      const verdict = verifyEvidenceBundle({
        bundle: swapStatements(bundle.text, 1, 4),
        keys: [key.publicKey]
      })
      expect(verdict).toMatchObject({ ok: false, index: 1, reason: "digest-mismatch" })
      expect(!verdict.ok && verdict.detail).toContain("out of order")
    })
  )

  it.effect("reordered events in the log: anchor-mismatch naming the broken seq", () =>
    Effect.gen(function* () {
      const { bundle, events, key } = yield* build("completed")
      const verdict = verifyEvidenceBundle({
        bundle: bundle.text,
        keys: [key.publicKey],
        events: reorderEvents(events, 3, 4)
      })
      expect(verdict).toMatchObject({ ok: false, index: 0, reason: "anchor-mismatch" })
      expect(!verdict.ok && verdict.detail).toContain("seq 4")
    })
  )

  it.effect("a log with extra events: anchor-mismatch on the count", () =>
    Effect.gen(function* () {
      const { bundle, key } = yield* build("completed")
      const longer = syntheticRun({ runId: "run-1", ending: "completed", padding: 1 })
      expect(
        verifyEvidenceBundle({ bundle: bundle.text, keys: [key.publicKey], events: longer })
      ).toMatchObject({
        ok: false,
        reason: "anchor-mismatch",
        field: "predicate.runDetails.byproducts[0].annotations.count"
      })
    })
  )

  it.effect("a swapped key: unknown-key", () =>
    Effect.gen(function* () {
      const { bundle } = yield* build("completed")
      const other = yield* otherKey
      expect(verifyEvidenceBundle({ bundle: bundle.text, keys: [other.publicKey] })).toMatchObject({
        ok: false,
        index: 0,
        field: "signatures[0]",
        reason: "unknown-key"
      })
    })
  )

  it.effect("a statement from another run's bundle: run-mismatch", () =>
    Effect.gen(function* () {
      const { bundle, key } = yield* build("completed")
      const { bundle: foreign } = yield* build("completed", "run-2")
      const ls = bundle.text.split("\n")
      ls[3] = foreign.text.split("\n")[3]!
      expect(verifyEvidenceBundle({ bundle: ls.join("\n"), keys: [key.publicKey] })).toMatchObject({
        ok: false,
        index: 3,
        field: "subject",
        reason: "run-mismatch"
      })
    })
  )

  it.effect("garbage lines: malformed", () =>
    Effect.gen(function* () {
      const key = yield* testKey
      expect(verifyEvidenceBundle({ bundle: "not json\n", keys: [key.publicKey] })).toMatchObject({
        ok: false,
        index: 0,
        field: "line",
        reason: "malformed"
      })
      expect(verifyEvidenceBundle({ bundle: "", keys: [key.publicKey] })).toMatchObject({
        ok: false,
        reason: "missing-statement"
      })
    })
  )

  it.effect("property: flipping any single byte outside the keyid hints is detected", () =>
    Effect.gen(function* () {
      const { bundle, key } = yield* build("rejected")
      // DSSE keyids are unauthenticated hints (the verifier tries every trusted key), so they are not covered.
      const hints = [...bundle.text.matchAll(/"keyid":"[0-9a-f]*"/g)].map((m) => [
        m.index,
        m.index + m[0].length
      ])
      fc.assert(
        fc.property(fc.nat(), fc.integer({ min: 1, max: 255 }), (position, delta) => {
          const bytes = Buffer.from(bundle.text, "utf8")
          const at = position % bytes.length
          if (bytes[at] === 0x0a || hints.some(([a, b]) => at >= a! && at < b!)) return
          bytes[at] = (bytes[at]! + delta) % 256
          const verdict = verifyEvidenceBundle({ bundle: bytes.toString("utf8"), keys: [key.publicKey] })
          expect(verdict.ok).toBe(false)
        }),
        { numRuns: 300 }
      )
    })
  )
})
