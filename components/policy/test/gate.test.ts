import { describe, expect, it } from "@effect/vitest"
import { type GateInput, onlyApprovalRequired, runGates } from "@gauntlet/gate"
import { Effect, Either } from "effect"
import { policyActionOf, policyGate, policyGates, resolvePacks } from "../src/index.js"
import { liveWorkers } from "../src/internal/worker.js"
import { pack, rule } from "./fixtures.js"

const policy = Either.getOrThrow(
  resolvePacks([
    pack("acme/gate", "1.2.0", [
      rule("no-drop", { detect: { diffRegex: { pattern: "DROP TABLE" } } }),
      rule("lockfile", {
        layer: "L4",
        severity: "medium",
        action: "require-approval",
        detect: { path: { protected: ["**/package-lock.json"] } }
      }),
      rule("todo", { severity: "high", action: "warn", detect: { diffRegex: { pattern: "TODO" } } }),
      rule("redos", { detect: { diffRegex: { pattern: "(a+)+$" } }, appliesTo: { paths: ["slow/**"] } })
    ])
  ])
)

const diff = (path: string, line: string) => `--- a/${path}\n+++ b/${path}\n@@ -0,0 +1 @@\n+${line}\n`
const input = (output: unknown, phase = "implement"): GateInput => ({
  runId: "r1",
  phase,
  output,
  artifacts: []
})

describe("policyGate", () => {
  it.effect("a block violation fails the gate with rule, pack id and version, location and remediation", () =>
    Effect.gen(function* () {
      const run = yield* runGates(
        [policyGate(policy, "L2")],
        input({ diff: diff("db/m.sql", "DROP TABLE users;") }),
        { timeoutMs: 5000 }
      )
      expect(run.passed).toBe(false)
      expect(run.verdicts[0]).toMatchObject({
        gate: "policy",
        layer: "L2",
        status: "fail",
        failureClass: "policy"
      })
      expect(run.verdicts[0]?.violations).toEqual([
        {
          ruleId: "no-drop",
          severity: "high",
          message: "[block] rule no-drop fired: added line matches: DROP TABLE",
          location: { file: "db/m.sql", line: 1, column: 1 },
          remediation: "fix no-drop",
          autoFixable: false,
          packId: "acme/gate",
          packVersion: "1.2.0",
          action: "block"
        }
      ])
    })
  )

  it.effect("warn violations warn (severity lowered to medium), the gate passes", () =>
    Effect.gen(function* () {
      const run = yield* runGates([policyGate(policy, "L2")], input(diff("a.ts", "// TODO later")), {
        timeoutMs: 5000
      })
      expect(run.passed).toBe(true)
      expect(run.verdicts[0]?.status).toBe("warn")
      expect(run.verdicts[0]?.violations[0]?.severity).toBe("medium")
    })
  )

  it.effect("a require-approval rule blocks at its own layer (L4) until approved", () =>
    Effect.gen(function* () {
      const gates = policyGates(policy)
      expect(gates.map((g) => [g.name, g.layer])).toEqual([
        ["policy-L2", "L2"],
        ["policy-L4", "L4"]
      ])
      const run = yield* runGates(
        gates,
        input({
          change: { files: [{ path: "package-lock.json", status: "modified", added: [], removed: [] }] }
        }),
        {
          timeoutMs: 5000
        }
      )
      expect(run.blockedAt).toBe("L4")
      expect(policyActionOf(run.verdicts[1]!.violations[0]!)).toBe("require-approval")
      expect(onlyApprovalRequired(run.verdicts[1]!.violations)).toBe(true)
      const mixed = yield* runGates(
        [policyGate(policy, "L2")],
        input({ diff: diff("db/m.sql", "DROP TABLE users;") }),
        { timeoutMs: 5000 }
      )
      expect(policyActionOf(mixed.verdicts[0]!.violations[0]!)).toBe("block")
      expect(onlyApprovalRequired(mixed.verdicts[0]!.violations)).toBe(false)
      expect(policyActionOf({})).toBeUndefined()
      expect(run.verdicts[1]?.violations[0]).toMatchObject({
        ruleId: "lockfile",
        severity: "high",
        action: "require-approval",
        message: expect.stringMatching(/^\[require-approval\]/)
      })
    })
  )

  it.effect("fail closed: a catastrophic regex ends as an error verdict (gate-error) within the budget", () =>
    Effect.gen(function* () {
      const started = Date.now()
      const run = yield* runGates(
        [policyGate(policy, "L2", { budgetMs: 300 })],
        input({ diff: diff("slow/x.txt", `${"a".repeat(40)}!`) }),
        { timeoutMs: 10_000 }
      )
      expect(run.passed).toBe(false)
      expect(run.verdicts[0]).toMatchObject({ status: "error", failureClass: "timeout" })
      expect(run.verdicts[0]?.reason).toContain("rule redos")
      expect(Date.now() - started).toBeLessThan(3000)
    })
  )

  it.live("the gate's own timeout interrupts the evaluation (the worker is stopped) and fails closed", () =>
    Effect.gen(function* () {
      const started = Date.now()
      const run = yield* runGates(
        [policyGate(policy, "L2", { budgetMs: 60_000, timeoutMs: 250 })],
        input({ diff: diff("slow/x.txt", `${"a".repeat(40)}!`) }),
        { timeoutMs: 10_000 }
      )
      expect(run.verdicts[0]).toMatchObject({
        status: "error",
        failureClass: "timeout",
        reason: "the check timed out after 250 ms"
      })
      expect(Date.now() - started).toBeLessThan(3000)
      // the interrupted evaluation terminated its worker: no thread keeps spinning on the regex
      let waited = 0
      while (liveWorkers() > 0 && waited < 2000) {
        yield* Effect.sleep("20 millis")
        waited += 20
      }
      expect(liveWorkers()).toBe(0)
    })
  )

  it.effect(
    "fail closed: output that is not a change, and a diff that does not parse, are error verdicts",
    () =>
      Effect.gen(function* () {
        const notChange = yield* runGates([policyGate(policy, "L2")], input({ plan: ["x"] }), {
          timeoutMs: 5000
        })
        expect(notChange.verdicts[0]).toMatchObject({ status: "error" })
        expect(notChange.verdicts[0]?.reason).toContain("invalid-input")
        const badDiff = yield* runGates(
          [policyGate(policy, "L2")],
          input({ diff: "--- a/x\n+++ b/x\n@@ -1 +1 @@\n-a\n+b\n+hidden\n" }),
          { timeoutMs: 5000 }
        )
        expect(badDiff.verdicts[0]?.status).toBe("error")
        expect(badDiff.verdicts[0]?.reason).toContain("outside any hunk")
      })
  )

  it.effect("context from the workflow (scope) and from the output are both used", () =>
    Effect.gen(function* () {
      const scoped = Either.getOrThrow(
        resolvePacks([
          pack("acme/scope", "1.0.0", [rule("scope", { detect: { path: { outsideScope: true } } })])
        ])
      )
      const gate = policyGate(scoped, "L2", { contextOf: () => ({ scope: ["src/**"] }) })
      const outside = yield* runGates([gate], input(diff("etc/x", "y")), { timeoutMs: 5000 })
      expect(outside.verdicts[0]?.violations.map((v) => v.location?.file)).toEqual(["etc/x"])
      const widened = yield* runGates(
        [gate],
        input({ diff: diff("etc/x", "y"), context: { scope: ["**"] } }),
        { timeoutMs: 5000 }
      )
      expect(widened.verdicts[0]?.status).toBe("pass")
    })
  )
})
