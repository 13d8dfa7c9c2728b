import { describe, expect, it } from "@effect/vitest"
import { Effect, Fiber, TestClock } from "effect"
import {
  type Gate,
  type GateInput,
  type GateLayer,
  MISSING_INPUT_RULE,
  predicateGate,
  runGates,
  statusOf,
  type Violation
} from "../src/index.js"

const input: GateInput = { runId: "r1", phase: "implement", output: { diff: "+x" }, artifacts: [] }

const violation = (severity: Violation["severity"], ruleId = `rule-${severity}`): Violation => ({
  ruleId,
  severity,
  message: `${severity} problem`
})

const withViolations = (name: string, layer: GateLayer, violations: ReadonlyArray<Violation>): Gate =>
  predicateGate(name, layer, () => violations)

const opts = { timeoutMs: 1000 }

describe("statusOf", () => {
  it("critical/high fail, medium/low warn, info or nothing pass", () => {
    expect(statusOf([])).toBe("pass")
    expect(statusOf([violation("info")])).toBe("pass")
    expect(statusOf([violation("low")])).toBe("warn")
    expect(statusOf([violation("medium"), violation("info")])).toBe("warn")
    expect(statusOf([violation("high")])).toBe("fail")
    expect(statusOf([violation("low"), violation("critical")])).toBe("fail")
  })
})

describe("runGates", () => {
  it.effect("runs L0 → L4 whatever the order given, same-layer gates in the order given", () =>
    Effect.gen(function* () {
      const order: Array<string> = []
      const tracked = (name: string, layer: GateLayer): Gate =>
        predicateGate(name, layer, () => {
          order.push(name)
          return []
        })
      const run = yield* runGates(
        [tracked("auth", "L4"), tracked("policy", "L2"), tracked("schema", "L0"), tracked("parse", "L0")],
        input,
        opts
      )
      expect(order).toEqual(["schema", "parse", "policy", "auth"])
      expect(run.passed).toBe(true)
      expect(run.verdicts.map((v) => [v.gate, v.layer, v.status])).toEqual([
        ["schema", "L0", "pass"],
        ["parse", "L0", "pass"],
        ["policy", "L2", "pass"],
        ["auth", "L4", "pass"]
      ])
      expect(run.skipped).toEqual([])
      expect(run.blockedAt).toBeUndefined()
    })
  )

  it.effect("no gates: passed", () =>
    Effect.gen(function* () {
      const run = yield* runGates([], input, opts)
      expect(run).toEqual({ passed: true, verdicts: [], skipped: [] })
    })
  )

  it.effect("warnings do not block; they are kept in the verdict", () =>
    Effect.gen(function* () {
      const run = yield* runGates([withViolations("style", "L2", [violation("medium")])], input, opts)
      expect(run.passed).toBe(true)
      expect(run.verdicts[0]?.status).toBe("warn")
      expect(run.verdicts[0]?.violations).toEqual([violation("medium")])
      expect(run.verdicts[0]?.reason).toBeUndefined()
    })
  )

  it.effect("a lower failure is never masked: the whole blocking layer runs, higher layers are skipped", () =>
    Effect.gen(function* () {
      let higherRan = false
      const run = yield* runGates(
        [
          predicateGate("approval", "L4", () => {
            higherRan = true
            return []
          }),
          withViolations("schema", "L0", [violation("high", "missing-field"), violation("low")]),
          withViolations("syntax", "L0", []),
          withViolations("policy", "L2", [])
        ],
        input,
        opts
      )
      expect(higherRan).toBe(false)
      expect(run.passed).toBe(false)
      expect(run.blockedAt).toBe("L0")
      expect(run.verdicts.map((v) => [v.gate, v.status])).toEqual([
        ["schema", "fail"],
        ["syntax", "pass"]
      ])
      expect(run.verdicts[0]?.reason).toBe("blocking violations: missing-field")
      expect(run.verdicts[0]?.failureClass).toBe("agent-error")
      expect(run.skipped).toEqual([
        { gate: "policy", layer: "L2" },
        { gate: "approval", layer: "L4" }
      ])
    })
  )

  it.effect("a fail verdict reports the gate's declared class, else its layer's", () =>
    Effect.gen(function* () {
      const declared: Gate = {
        ...withViolations("secrets", "L2", [violation("critical")]),
        failureClass: "data-integrity"
      }
      const run = yield* runGates([declared], input, opts)
      expect(run.verdicts[0]?.failureClass).toBe("data-integrity")
      const byLayer = yield* runGates([withViolations("pack", "L2", [violation("critical")])], input, opts)
      expect(byLayer.verdicts[0]?.failureClass).toBe("policy")
    })
  )

  it.effect("missing input (output undefined) fails without calling the check", () =>
    Effect.gen(function* () {
      let called = false
      const run = yield* runGates(
        [
          predicateGate("schema", "L0", () => {
            called = true
            return []
          })
        ],
        { ...input, output: undefined },
        opts
      )
      expect(called).toBe(false)
      expect(run.passed).toBe(false)
      const verdict = run.verdicts[0]
      expect(verdict?.status).toBe("fail")
      expect(verdict?.violations[0]?.ruleId).toBe(MISSING_INPUT_RULE)
      expect(verdict?.violations[0]?.severity).toBe("critical")
      expect(verdict?.reason).toBe("no output to check: phase implement produced nothing")
    })
  )

  it.effect("null is an output (only undefined is missing)", () =>
    Effect.gen(function* () {
      const run = yield* runGates([withViolations("g", "L0", [])], { ...input, output: null }, opts)
      expect(run.passed).toBe(true)
    })
  )
})

describe("runGates fails closed", () => {
  it.effect("a check that fails with a typed error → error verdict with its reason and class", () =>
    Effect.gen(function* () {
      const gate: Gate = {
        name: "lint",
        layer: "L1",
        check: () => Effect.fail({ _tag: "ToolCrashed", message: "eslint exited 2" })
      }
      const run = yield* runGates([gate, withViolations("later", "L2", [])], input, opts)
      expect(run.passed).toBe(false)
      expect(run.blockedAt).toBe("L1")
      expect(run.skipped).toEqual([{ gate: "later", layer: "L2" }])
      const verdict = run.verdicts[0]
      expect(verdict?.status).toBe("error")
      expect(verdict?.reason).toBe("the check failed: eslint exited 2")
      expect(verdict?.violations).toEqual([])
      expect(verdict?.failureClass).toBeDefined()
    })
  )

  it.effect("a check that dies (throws inside its Effect) → error verdict", () =>
    Effect.gen(function* () {
      const run = yield* runGates(
        [
          predicateGate("boom", "L0", () => {
            throw new Error("kaboom")
          })
        ],
        input,
        opts
      )
      expect(run.passed).toBe(false)
      expect(run.verdicts[0]?.status).toBe("error")
      expect(run.verdicts[0]?.reason).toBe("the check died: kaboom")
    })
  )

  it.effect("a check that throws before returning an Effect → error verdict", () =>
    Effect.gen(function* () {
      const gate: Gate = {
        name: "eager",
        layer: "L0",
        check: () => {
          throw new Error("thrown eagerly")
        }
      }
      const run = yield* runGates([gate], input, opts)
      expect(run.verdicts[0]?.status).toBe("error")
      expect(run.verdicts[0]?.reason).toBe("the check died: thrown eagerly")
    })
  )

  it.effect("a check that does not return an Effect → error verdict", () =>
    Effect.gen(function* () {
      const gate = { name: "js", layer: "L0", check: () => ({ violations: [] }) } as unknown as Gate
      const run = yield* runGates([gate], input, opts)
      expect(run.verdicts[0]?.status).toBe("error")
      expect(run.verdicts[0]?.reason).toBe("the check died: the check did not return an Effect")
    })
  )

  it.effect("a check that times out → error verdict with class timeout, and it is interrupted", () =>
    Effect.gen(function* () {
      let finished = false
      const gate: Gate = {
        name: "slow",
        layer: "L3",
        check: () =>
          Effect.sleep("10 seconds").pipe(
            Effect.map(() => {
              finished = true
              return { violations: [] }
            })
          )
      }
      const fiber = yield* Effect.fork(runGates([gate], input, { timeoutMs: 250 }))
      yield* TestClock.adjust("250 millis")
      const run = yield* Fiber.join(fiber)
      expect(run.passed).toBe(false)
      expect(run.verdicts[0]).toEqual({
        gate: "slow",
        layer: "L3",
        status: "error",
        violations: [],
        durationMs: 250,
        reason: "the check timed out after 250 ms",
        failureClass: "timeout"
      })
      yield* TestClock.adjust("20 seconds")
      expect(finished).toBe(false)
    })
  )

  it.effect("a gate's own timeoutMs wins over the runner's", () =>
    Effect.gen(function* () {
      const gate: Gate = {
        name: "quick",
        layer: "L0",
        timeoutMs: 50,
        check: () => Effect.as(Effect.sleep("100 millis"), { violations: [] })
      }
      const fiber = yield* Effect.fork(runGates([gate], input, { timeoutMs: 1000 }))
      yield* TestClock.adjust("50 millis")
      const run = yield* Fiber.join(fiber)
      expect(run.verdicts[0]?.reason).toBe("the check timed out after 50 ms")
    })
  )

  it.effect("a check that finishes within the timeout passes, with its duration", () =>
    Effect.gen(function* () {
      const gate: Gate = {
        name: "ok",
        layer: "L0",
        check: () => Effect.as(Effect.sleep("40 millis"), { violations: [] })
      }
      const fiber = yield* Effect.fork(runGates([gate], input, { timeoutMs: 100 }))
      yield* TestClock.adjust("40 millis")
      const run = yield* Fiber.join(fiber)
      expect(run.passed).toBe(true)
      expect(run.verdicts[0]?.durationMs).toBe(40)
    })
  )

  it.effect("a malformed result → error verdict naming where it is malformed", () =>
    Effect.gen(function* () {
      const gate = {
        name: "bad",
        layer: "L2",
        check: () => Effect.succeed({ violations: [{ ruleId: "r", severity: "fatal", message: "m" }] })
      } as unknown as Gate
      const run = yield* runGates([gate], input, opts)
      expect(run.passed).toBe(false)
      expect(run.verdicts[0]?.status).toBe("error")
      expect(run.verdicts[0]?.failureClass).toBe("tool-error")
      expect(run.verdicts[0]?.reason).toMatch(
        /^the check returned a malformed result at \/violations\/0\/severity: /
      )
    })
  )

  it.effect("a result that is not an object → error verdict", () =>
    Effect.gen(function* () {
      const gate = { name: "bad", layer: "L0", check: () => Effect.succeed(undefined) } as unknown as Gate
      const run = yield* runGates([gate], input, opts)
      expect(run.verdicts[0]?.status).toBe("error")
      expect(run.verdicts[0]?.reason).toMatch(/^the check returned a malformed result at \/: /)
    })
  )

  it.effect("a check that interrupts itself → error verdict", () =>
    Effect.gen(function* () {
      const gate: Gate = { name: "quitter", layer: "L0", check: () => Effect.interrupt }
      const run = yield* runGates([gate], input, opts)
      expect(run.verdicts[0]?.status).toBe("error")
      expect(run.verdicts[0]?.reason).toBe("the check was interrupted")
    })
  )

  it.effect("an error in a higher layer still blocks after lower layers pass", () =>
    Effect.gen(function* () {
      const run = yield* runGates(
        [
          withViolations("schema", "L0", []),
          { name: "approval", layer: "L4", check: () => Effect.die("no approver") }
        ],
        input,
        opts
      )
      expect(run.passed).toBe(false)
      expect(run.blockedAt).toBe("L4")
      expect(run.verdicts.map((v) => v.status)).toEqual(["pass", "error"])
    })
  )
})
