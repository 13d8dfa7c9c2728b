import { describe, expect, it } from "@effect/vitest"
import { Effect, Schema } from "effect"
import { type GateInput, jsonSchemaGate, predicateGate, runGates } from "../src/index.js"

const Plan = Schema.Struct({
  title: Schema.String.pipe(Schema.minLength(1)),
  steps: Schema.Array(Schema.Struct({ id: Schema.String, files: Schema.Array(Schema.String) }))
})

const inputOf = (output: unknown): GateInput => ({ runId: "r", phase: "plan", output, artifacts: [] })

describe("jsonSchemaGate", () => {
  it.effect("passes output that decodes", () =>
    Effect.gen(function* () {
      const gate = jsonSchemaGate("plan-schema", "L0", Plan)
      const result = yield* gate.check(inputOf({ title: "t", steps: [{ id: "s1", files: ["a.ts"] }] }))
      expect(result.violations).toEqual([])
      expect(gate.layer).toBe("L0")
    })
  )

  it.effect("reports every issue with its JSON pointer", () =>
    Effect.gen(function* () {
      const gate = jsonSchemaGate("plan-schema", "L0", Plan)
      const result = yield* gate.check(inputOf({ title: "", steps: [{ id: 1, files: [] }, { files: "x" }] }))
      expect(result.violations.map((v) => v.location?.pointer)).toEqual([
        "/title",
        "/steps/0/id",
        "/steps/1/id",
        "/steps/1/files"
      ])
      for (const v of result.violations) {
        expect(v.ruleId).toBe("output-schema")
        expect(v.severity).toBe("high")
        expect(v.message.startsWith(`output at ${v.location?.pointer} `)).toBe(true)
      }
    })
  )

  it.effect("a non-object output is one violation at the root", () =>
    Effect.gen(function* () {
      const gate = jsonSchemaGate("plan-schema", "L0", Plan, { ruleId: "plan/shape", severity: "critical" })
      const result = yield* gate.check(inputOf("just text"))
      expect(result.violations).toHaveLength(1)
      expect(result.violations[0]?.location).toEqual({ pointer: "" })
      expect(result.violations[0]?.ruleId).toBe("plan/shape")
      expect(result.violations[0]?.severity).toBe("critical")
    })
  )

  it.effect("unknown members are violations only when asked", () =>
    Effect.gen(function* () {
      const output = { title: "t", steps: [], extra: true }
      const lenient = yield* jsonSchemaGate("s", "L0", Plan).check(inputOf(output))
      expect(lenient.violations).toEqual([])
      const strict = yield* jsonSchemaGate("s", "L0", Plan, { onExcessProperty: "error" }).check(
        inputOf(output)
      )
      expect(strict.violations.map((v) => v.location?.pointer)).toEqual(["/extra"])
    })
  )

  it.effect("blocks the run through runGates", () =>
    Effect.gen(function* () {
      const run = yield* runGates([jsonSchemaGate("plan-schema", "L0", Plan)], inputOf({}), {
        timeoutMs: 100
      })
      expect(run.passed).toBe(false)
      expect(run.verdicts[0]?.status).toBe("fail")
      expect(run.verdicts[0]?.reason).toBe("blocking violations: output-schema")
    })
  )
})

describe("predicateGate", () => {
  it.effect("returns the function's violations for the input", () =>
    Effect.gen(function* () {
      const gate = predicateGate("no-todo", "L1", (input) =>
        JSON.stringify(input.output).includes("TODO")
          ? [
              {
                ruleId: "no-todo",
                severity: "medium",
                message: "output contains TODO",
                location: { pointer: "" }
              }
            ]
          : []
      )
      expect((yield* gate.check(inputOf({ a: "done" }))).violations).toEqual([])
      const found = yield* gate.check(inputOf({ a: "TODO later" }))
      expect(found.violations.map((v) => v.ruleId)).toEqual(["no-todo"])
      const run = yield* runGates([gate], inputOf({ a: "TODO" }), { timeoutMs: 100 })
      expect(run.passed).toBe(true)
      expect(run.verdicts[0]?.status).toBe("warn")
    })
  )
})
