import { writeFileSync } from "node:fs"
import { join } from "node:path"
import { NodeFileSystem } from "@effect/platform-node"
import { describe, expect, it } from "@effect/vitest"
import { publicKeyToPem } from "@gauntlet/signing"
import { Effect } from "effect"
import {
  artifactProvenance,
  buildEvidenceBundle,
  escapeHtml,
  exportEvidence,
  exportEvidenceFile,
  intentMismatches,
  publicKeyPath,
  readBundleStatements,
  readVerifierKey,
  runTrace,
  showEvidence,
  verifyEvidenceBundle,
  verifyEvidenceFile,
  writeEvidenceBundle
} from "../src/index.js"
import { sealRun, syntheticRun } from "./synthetic.js"
import { tempDir, testKey } from "./world.js"

const bundleOf = (events: Parameters<typeof buildEvidenceBundle>[0]["events"], runId: string) =>
  Effect.gen(function* () {
    const key = yield* testKey
    return yield* buildEvidenceBundle({ runId, events, keys: [key] })
  })

/** A run whose L1 intent gate warned at 00:00:03 and failed at 00:00:05. */
const intentRun = (runId: string, intent: string) =>
  sealRun(runId, [
    { type: "workflow/started", payload: { workflow: "demo", intent } },
    { type: "phase/started", payload: { phase: "implement", attempt: 1, agent: "bot" } },
    { type: "gate/started", payload: { gate: "intent", layer: "L1", phase: "implement" } },
    {
      type: "gate/passed",
      payload: {
        gate: "intent",
        layer: "L1",
        durationMs: 1,
        warnings: [
          { ruleId: "create-vs-update", message: "intent create, change updates", severity: "medium" }
        ]
      }
    },
    { type: "gate/started", payload: { gate: "intent", layer: "L1", phase: "implement" } },
    {
      type: "gate/failed",
      payload: {
        gate: "intent",
        layer: "L1",
        failureClass: "policy",
        reason: "destroy",
        violations: [{ ruleId: "no-destroy", message: "intent import, change destroys", severity: "high" }],
        failedClosed: false
      }
    },
    {
      type: "workflow/failed",
      payload: { failureClass: "policy", reason: "intent mismatch", phase: "implement" }
    }
  ])

describe("queries", () => {
  it.effect("runTrace: intent → phases (attempts, agent, gates) → artifacts → outcome", () =>
    Effect.gen(function* () {
      const bundle = yield* bundleOf(syntheticRun({ runId: "run-t", ending: "completed" }), "run-t")
      const trace = runTrace(readBundleStatements(bundle.text))
      expect(trace).toMatchObject({
        runId: "run-t",
        workflow: "demo",
        intent: "add input validation; contact [REDACTED:email]",
        outcome: { status: "completed" }
      })
      expect(trace.phases.map((p) => [p.phase, p.attempts, p.agent, p.gates.map((g) => g.result)])).toEqual([
        ["p1", 1, "bot", ["pass"]],
        ["p2", 1, "bot", ["pass"]],
        ["p3", 1, "bot", ["pass"]]
      ])
      expect(trace.artifacts.map((a) => a.phase)).toEqual(["p1", "p2", "p3"])
    })
  )

  it.effect(
    "artifactProvenance: run, phase, agent, intent and the gates passed; unknown digests → undefined",
    () =>
      Effect.gen(function* () {
        const a = readBundleStatements(
          (yield* bundleOf(syntheticRun({ runId: "run-a", ending: "completed" }), "run-a")).text
        )
        const b = readBundleStatements((yield* bundleOf(intentRun("run-b", "import users"), "run-b")).text)
        const digest = `${"0".repeat(60)}03ea`
        expect(artifactProvenance([b, a], digest)).toMatchObject({
          runId: "run-a",
          name: "p2/artifact-1",
          phase: "p2",
          agent: "bot",
          gatesPassed: [{ gate: "secrets", layer: "L2", result: "pass" }]
        })
        expect(artifactProvenance([a, b], `sha256:${"f".repeat(64)}`)).toBeUndefined()
      })
  )

  it.effect("intentMismatches: L1 warnings and failures within [from, to), oldest first", () =>
    Effect.gen(function* () {
      const b = readBundleStatements((yield* bundleOf(intentRun("run-b", "import users"), "run-b")).text)
      const a = readBundleStatements(
        (yield* bundleOf(syntheticRun({ runId: "run-a", ending: "completed" }), "run-a")).text
      )
      expect(intentMismatches([a, b]).map((m) => [m.runId, m.result, m.rules, m.time])).toEqual([
        ["run-b", "warn", ["create-vs-update"], "2026-01-01T00:00:03.000Z"],
        ["run-b", "fail", ["no-destroy"], "2026-01-01T00:00:05.000Z"]
      ])
      expect(intentMismatches([a, b], { from: "2026-01-01T00:00:04Z" }).map((m) => m.result)).toEqual([
        "fail"
      ])
      expect(intentMismatches([a, b], { to: "2026-01-01T00:00:04Z" }).map((m) => m.result)).toEqual(["warn"])
      expect(intentMismatches([a, b], { from: "2026-01-02T00:00:00Z" })).toEqual([])
    })
  )
})

describe("export", () => {
  it.effect(
    "html is self-contained and escapes every value; md and json carry the verdict and the trace",
    () =>
      Effect.gen(function* () {
        const key = yield* testKey
        const bundle = yield* bundleOf(intentRun("run-x", '<script>alert("x")</script> & more'), "run-x")
        const verification = verifyEvidenceBundle({ bundle: bundle.text, keys: [key.publicKey] })
        const report = { verification, statements: readBundleStatements(bundle.text) }
        const html = exportEvidence(report, "html")
        expect(html).not.toContain("<script>")
        expect(html).toContain("&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; more")
        expect(html).not.toMatch(/<(?:link|img|iframe)\b|src=|href=/)
        expect(html).toContain("verified: 7 statements")
        const md = exportEvidence(report, "md")
        expect(md).toContain("# Evidence for run run-x")
        expect(md).toContain("| implement | 1 | bot | intent (L1): warn, intent (L1): fail |")
        const json = JSON.parse(exportEvidence(report, "json")) as {
          trace: { outcome: unknown }
          statements: Array<unknown>
        }
        expect(json.trace.outcome).toEqual({
          status: "failed",
          failureClass: "policy",
          reason: "intent mismatch",
          phase: "implement"
        })
        expect(json.statements).toHaveLength(7)
        expect(escapeHtml(`'"<>&`)).toBe("&#39;&quot;&lt;&gt;&amp;")
      })
  )
})

describe("command functions (show, verify, export) over files", () => {
  it.effect(
    "write → show → verify with the exported JSON key or a PEM → export; a missing bundle is EvidenceError",
    () =>
      Effect.gen(function* () {
        const key = yield* testKey
        const dir = tempDir()
        const events = syntheticRun({ runId: "run-f", ending: "failed" })
        const bundle = yield* buildEvidenceBundle({ runId: "run-f", events, keys: [key] })
        yield* writeEvidenceBundle({ directory: dir, bundle, publicKeys: [key.publicKey] })
        const shown = yield* showEvidence({ directory: dir, runId: "run-f" })
        expect(shown.trace.outcome).toMatchObject({ status: "failed", failureClass: "policy" })
        const fromJson = yield* readVerifierKey(publicKeyPath(dir, key.keyId))
        const pemPath = join(dir, "key.pem")
        writeFileSync(pemPath, yield* Effect.orDie(publicKeyToPem(key.publicKey)))
        const fromPem = yield* readVerifierKey(pemPath)
        expect(fromPem).toEqual(fromJson)
        const verified = yield* verifyEvidenceFile({
          directory: dir,
          runId: "run-f",
          keys: [fromPem],
          events
        })
        expect(verified.verification).toMatchObject({ ok: true, eventsChecked: true })
        const exported = yield* exportEvidenceFile({
          directory: dir,
          runId: "run-f",
          keys: [fromJson],
          format: "md"
        })
        expect(exported.text).toContain("Outcome: failed (policy)")
        const missing = yield* Effect.flip(showEvidence({ directory: dir, runId: "nope" }))
        expect(missing).toMatchObject({ _tag: "EvidenceError", stage: "read" })
        writeFileSync(join(dir, "junk.json"), "{}")
        const junk = yield* Effect.flip(readVerifierKey(join(dir, "junk.json")))
        expect(junk.message).toContain("not an ed25519 key descriptor")
        const keyFile = join(dir, "publisher.pub.json")
        writeFileSync(
          keyFile,
          JSON.stringify({ _type: "gauntlet-public-key", keyId: key.keyId, publicKey: key.publicKey })
        )
        expect(yield* readVerifierKey(keyFile)).toEqual(fromJson)
        const lying = join(dir, "lying.pub.json")
        writeFileSync(
          lying,
          JSON.stringify({ _type: "gauntlet-public-key", keyId: "0".repeat(64), publicKey: key.publicKey })
        )
        const refused = yield* Effect.flip(readVerifierKey(lying))
        expect(refused.message).toContain("does not match the key it carries")
      }).pipe(Effect.provide(NodeFileSystem.layer))
  )
})
