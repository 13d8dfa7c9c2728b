import { existsSync, readFileSync, writeFileSync } from "node:fs"
import { join } from "node:path"
import { describe, expect, it } from "@effect/vitest"
import { WorkflowEngine } from "@gauntlet/workflow"
import { Effect, Fiber, TestClock } from "effect"
import {
  bundlePath,
  publicKeyPath,
  RUN_OUTCOME_V1,
  readBundleStatements,
  SLSA_PROVENANCE_V1,
  verifyEvidenceBundle
} from "../src/index.js"
import { bad, engineWorld, eventsOf, ok, tempDir, testKey, threePhases } from "./world.js"

/** Reads the bundle the hook wrote, verifies it against the key and the stored events, returns the outcome. */
const checkBundle = (directory: string, runId: string) =>
  Effect.gen(function* () {
    const key = yield* testKey
    const text = readFileSync(bundlePath(directory, runId), "utf8")
    const events = yield* eventsOf(runId)
    const verdict = verifyEvidenceBundle({ bundle: text, keys: [key.publicKey], events })
    expect(verdict).toMatchObject({ ok: true, runId, eventsChecked: true })
    expect(verdict.ok && verdict.anchor).toEqual({
      firstHash: events[0]!.hash,
      lastHash: events.at(-1)!.hash,
      count: events.length
    })
    const pub = JSON.parse(readFileSync(publicKeyPath(directory, key.keyId), "utf8")) as { keyval: unknown }
    expect(pub.keyval).toEqual(key.publicKey.keyval)
    const statements = readBundleStatements(text)
    const outcome = statements.find((s) => s.predicateType === RUN_OUTCOME_V1)?.predicate
    const provenance = statements.find((s) => s.predicateType === SLSA_PROVENANCE_V1)
    return { statements, outcome: outcome as Record<string, unknown>, provenance: provenance! }
  })

describe("EvidenceHook: every terminal path of the engine leaves a bundle that verifies", () => {
  it.effect(
    "completed (after an escalation approved): artifacts are subjects, the approval is recorded",
    () =>
      Effect.gen(function* () {
        const dir = tempDir()
        const key = yield* testKey
        const layer = engineWorld({ a: [ok("plan")], b: [bad("one"), ok("code")], c: [ok()] }, dir, key)
        yield* Effect.gen(function* () {
          const engine = yield* WorkflowEngine
          const waiting = yield* engine.start({
            definition: threePhases({}, { maxAttempts: 1 }),
            runId: "run-ok",
            input: { intent: "add a feature" }
          })
          expect(waiting.status).toBe("awaiting-approval")
          const done = yield* engine.approve(waiting.approvalId!, {
            by: "alice",
            reason: "retry",
            method: "human"
          })
          expect(done.status).toBe("completed")
          const { outcome, provenance, statements } = yield* checkBundle(dir, "run-ok")
          expect(outcome).toMatchObject({ status: "completed", runId: "run-ok" })
          expect(provenance.subject.map((s) => s.name)).toEqual([
            "gauntlet-run:run-ok",
            "a/artifact-1",
            "b/artifact-1"
          ])
          expect(provenance.predicate).toMatchObject({
            buildDefinition: {
              externalParameters: { intent: "add a feature", workflow: { id: "demo", version: "1" } }
            },
            runDetails: { metadata: { invocationId: "run-ok" } }
          })
          const approvals = statements.find((s) => s.predicateType.endsWith("approvals/v1"))?.predicate
          expect(approvals).toMatchObject({
            decisions: [
              {
                kind: "approval",
                decision: "granted",
                actor: "alice",
                method: "human",
                justification: "retry"
              }
            ]
          })
          const gates = statements.filter((s) => s.predicateType.endsWith("gate-result/v1"))
          expect(gates.map((g) => (g.predicate as { result: string }).result)).toEqual([
            "pass",
            "fail",
            "pass",
            "pass"
          ])
        }).pipe(Effect.provide(layer))
      })
  )

  it.effect("failed (terminal agent failure): outcome names the class and reason", () =>
    Effect.gen(function* () {
      const dir = tempDir()
      const layer = engineWorld(
        { a: [{ fail: { failureClass: "data-integrity", reason: "hash mismatch" } }] },
        dir,
        yield* testKey
      )
      yield* Effect.gen(function* () {
        const out = yield* (yield* WorkflowEngine).start({ definition: threePhases(), runId: "run-fail" })
        expect(out.status).toBe("failed")
        const { outcome } = yield* checkBundle(dir, "run-fail")
        expect(outcome).toMatchObject({ status: "failed", failureClass: "data-integrity", phase: "a" })
        expect(outcome.reason).toContain("hash mismatch")
      }).pipe(Effect.provide(layer))
    })
  )

  it.effect("budget-exhausted: class resource", () =>
    Effect.gen(function* () {
      const dir = tempDir()
      const layer = engineWorld({ a: [ok()], b: [ok()], c: [ok()] }, dir, yield* testKey)
      yield* Effect.gen(function* () {
        const out = yield* (yield* WorkflowEngine).start({
          definition: threePhases({ budget: { iterations: 2 } }),
          runId: "run-budget"
        })
        expect(out).toMatchObject({ status: "failed", failureClass: "resource" })
        const { outcome } = yield* checkBundle(dir, "run-budget")
        expect(outcome).toMatchObject({ status: "budget-exhausted", failureClass: "resource" })
      }).pipe(Effect.provide(layer))
    })
  )

  it.effect("rejected: class policy, the rejection is in the approvals statement", () =>
    Effect.gen(function* () {
      const dir = tempDir()
      const layer = engineWorld({ a: [ok()], b: [bad(), bad()] }, dir, yield* testKey)
      yield* Effect.gen(function* () {
        const engine = yield* WorkflowEngine
        const waiting = yield* engine.start({
          definition: threePhases({}, { maxAttempts: 2 }),
          runId: "run-rej"
        })
        yield* engine.reject(waiting.approvalId!, { by: "carol", reason: "out of scope", method: "policy" })
        const { outcome, statements } = yield* checkBundle(dir, "run-rej")
        expect(outcome).toMatchObject({ status: "rejected", failureClass: "policy" })
        const approvals = statements.find((s) => s.predicateType.endsWith("approvals/v1"))?.predicate
        expect(approvals).toMatchObject({
          decisions: [
            { decision: "rejected", actor: "carol", method: "policy", justification: "out of scope" }
          ]
        })
      }).pipe(Effect.provide(layer))
    })
  )

  it.effect("cancelled mid-attempt", () =>
    Effect.gen(function* () {
      const dir = tempDir()
      const layer = engineWorld({ a: [ok()], b: [{ ...ok(), delayMs: 60_000 }] }, dir, yield* testKey)
      yield* Effect.gen(function* () {
        const engine = yield* WorkflowEngine
        const running = yield* Effect.fork(engine.start({ definition: threePhases(), runId: "run-cancel" }))
        for (let i = 0; i < 50; i++) yield* Effect.yieldNow()
        yield* TestClock.adjust(10)
        const out = yield* engine.cancel("run-cancel", "ops", "wrong branch")
        expect(out.status).toBe("cancelled")
        yield* Fiber.join(running)
        const { outcome } = yield* checkBundle(dir, "run-cancel")
        expect(outcome).toMatchObject({ status: "cancelled", reason: "wrong branch", phase: "b" })
      }).pipe(Effect.provide(layer))
    })
  )

  it.effect("cancelled while awaiting approval: the pending approval is in the bundle", () =>
    Effect.gen(function* () {
      const dir = tempDir()
      const layer = engineWorld({ a: [ok()], b: [bad()] }, dir, yield* testKey)
      yield* Effect.gen(function* () {
        const engine = yield* WorkflowEngine
        const waiting = yield* engine.start({
          definition: threePhases({}, { maxAttempts: 1 }),
          runId: "run-wait"
        })
        expect(waiting.status).toBe("awaiting-approval")
        const out = yield* engine.cancel("run-wait", "ops", "abandoned")
        expect(out.status).toBe("cancelled")
        const { outcome, statements } = yield* checkBundle(dir, "run-wait")
        expect(outcome).toMatchObject({ status: "cancelled", reason: "abandoned" })
        const approvals = statements.find((s) => s.predicateType.endsWith("approvals/v1"))?.predicate
        expect(approvals).toMatchObject({ decisions: [{ kind: "approval", decision: "pending" }] })
      }).pipe(Effect.provide(layer))
    })
  )

  it.effect("a bundle that cannot be written is logged and never changes the run's outcome", () =>
    Effect.gen(function* () {
      const dir = tempDir()
      const blocked = join(dir, "not-a-directory")
      writeFileSync(blocked, "a file where the evidence directory should be")
      const layer = engineWorld({ a: [ok()], b: [ok()], c: [ok()] }, blocked, yield* testKey)
      yield* Effect.gen(function* () {
        const out = yield* (yield* WorkflowEngine).start({ definition: threePhases(), runId: "run-blocked" })
        expect(out.status).toBe("completed")
        expect(existsSync(bundlePath(blocked, "run-blocked"))).toBe(false)
      }).pipe(Effect.provide(layer))
    })
  )
})
