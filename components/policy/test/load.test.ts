import { describe, expect, it } from "@effect/vitest"
import { Either, JSONSchema } from "effect"
import { PolicyPack, packFromJson } from "../src/index.js"
import { rule } from "./fixtures.js"

const base = { id: "acme/p", version: "1.0.0", description: "d" }
const invalid = (json: unknown) => Either.flip(packFromJson(json)).pipe(Either.getOrThrow)

describe("packFromJson", () => {
  it("accepts a valid pack", () => {
    expect(Either.isRight(packFromJson({ ...base, rules: [rule("a")] }))).toBe(true)
  })

  it("refuses bad ids, versions, unknown members and two detections in one rule, with a pointer", () => {
    expect(invalid({ ...base, id: "NoNamespace", rules: [] }).pointer).toBe("/id")
    expect(invalid({ ...base, version: "1.0", rules: [] }).pointer).toBe("/version")
    expect(invalid({ ...base, rules: [], extra: 1 }).pointer).toBe("/extra")
    const two = invalid({
      ...base,
      rules: [rule("a", { detect: { diffRegex: { pattern: "x" }, path: { outsideScope: true } } })]
    })
    expect(two.pointer).toMatch(/^\/rules\/0\/detect/)
    expect(invalid({ ...base, rules: [rule("a", { action: "deny" })] }).pointer).toBe("/rules/0/action")
  })

  it("refuses a regex that does not compile, a duplicate rule id and a check module outside the pack", () => {
    expect(
      invalid({ ...base, rules: [rule("a", { detect: { diffRegex: { pattern: "(" } } })] })
    ).toMatchObject({
      pointer: "/rules/0/detect/diffRegex/pattern"
    })
    expect(invalid({ ...base, rules: [rule("a"), rule("a")] })).toMatchObject({ pointer: "/rules/1/id" })
    expect(
      invalid({ ...base, rules: [rule("a", { detect: { check: { module: "../x.ts" } } })] }).pointer
    ).toBe("/rules/0/detect/check/module")
    expect(
      invalid({ ...base, rules: [rule("a", { detect: { diffRegex: { pattern: "x", flags: "g" } } })] })
        .pointer
    ).toBe("/rules/0/detect/diffRegex/flags")
  })

  it("the PolicyPack schema yields a JSON Schema (exported by the integrator)", () => {
    const schema = JSONSchema.make(PolicyPack) as { $defs?: Record<string, unknown> }
    expect(Object.keys(schema.$defs ?? {})).toContain("PolicyPack")
  })
})
