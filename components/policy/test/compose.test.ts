import { describe, expect, it } from "@effect/vitest"
import { Effect, Either } from "effect"
import { evaluatePacks, resolvePacks } from "../src/index.js"
import { pack, rule } from "./fixtures.js"

const refs = (packs: ReadonlyArray<{ pack: { id: string; version: string } }>) =>
  packs.map((p) => `${p.pack.id}@${p.pack.version}`)

describe("resolvePacks", () => {
  it("picks the highest available version satisfying the range and orders parents first", () => {
    const base1 = pack("acme/base", "1.2.0", [rule("a")])
    const base13 = pack("acme/base", "1.3.1", [rule("a")])
    const base2 = pack("acme/base", "2.0.0", [rule("a")])
    const child = pack("acme/child", "1.0.0", [rule("b")], [{ id: "acme/base", range: "^1.2.0" }])
    const resolved = Either.getOrThrow(resolvePacks([child], [base2, base1, base13]))
    expect(refs(resolved.packs)).toEqual(["acme/base@1.3.1", "acme/child@1.0.0"])
    expect(resolved.rules.map((r) => r.id)).toEqual(["a", "b"])
  })

  it("satisfies every range asked for one pack (diamond), re-resolving when a later range narrows the choice", () => {
    const b10 = pack("acme/base", "1.0.0", [rule("a")])
    const b15 = pack("acme/base", "1.5.0", [rule("a")])
    const left = pack("acme/left", "1.0.0", [rule("l")], [{ id: "acme/base", range: "^1.0.0" }])
    const right = pack("acme/right", "1.0.0", [rule("r")], [{ id: "acme/base", range: "~1.0.0" }])
    const top = pack(
      "acme/top",
      "1.0.0",
      [],
      [
        { id: "acme/left", range: "1.x" },
        { id: "acme/right", range: "1.x" }
      ]
    )
    const resolved = Either.getOrThrow(resolvePacks([top], [b10, b15, left, right]))
    expect(refs(resolved.packs)).toEqual([
      "acme/base@1.0.0",
      "acme/left@1.0.0",
      "acme/right@1.0.0",
      "acme/top@1.0.0"
    ])
  })

  it("refuses a missing parent, an unsatisfiable range pair, a cycle, and two different packs with one id@version", () => {
    const child = pack("acme/child", "1.0.0", [], [{ id: "acme/base", range: "^2.0.0" }])
    const missing = Either.flip(resolvePacks([child], [pack("acme/base", "1.0.0", [])])).pipe(
      Either.getOrThrow
    )
    expect(missing).toMatchObject({
      _tag: "CompositionError",
      reason: "missing-parent",
      pack: "acme/base",
      chain: ["acme/child"]
    })
    expect(missing.message).toContain("available: 1.0.0")

    const left = pack("acme/left", "1.0.0", [], [{ id: "acme/base", range: "^1.0.0" }])
    const right = pack("acme/right", "1.0.0", [], [{ id: "acme/base", range: "^2.0.0" }])
    const top = pack(
      "acme/top",
      "1.0.0",
      [],
      [
        { id: "acme/left", range: "*" },
        { id: "acme/right", range: "*" }
      ]
    )
    const conflict = Either.flip(
      resolvePacks([top], [left, right, pack("acme/base", "1.0.0", []), pack("acme/base", "2.0.0", [])])
    ).pipe(Either.getOrThrow)
    expect(conflict).toMatchObject({ reason: "version-conflict", pack: "acme/base" })

    const a = pack("acme/a", "1.0.0", [], [{ id: "acme/b", range: "*" }])
    const b = pack("acme/b", "1.0.0", [], [{ id: "acme/a", range: "*" }])
    const cycle = Either.flip(resolvePacks([a], [b])).pipe(Either.getOrThrow)
    expect(cycle).toMatchObject({ reason: "cycle", chain: ["acme/a", "acme/b", "acme/a"] })

    const dup = Either.flip(
      resolvePacks([pack("acme/x", "1.0.0", [rule("a")]), pack("acme/x", "1.0.0", [rule("b")])])
    ).pipe(Either.getOrThrow)
    expect(dup.reason).toBe("duplicate-pack")
  })

  it("a rule id defined twice takes the strictest severity and action, keeps both detections, and reports it", () => {
    const parent = pack("acme/base", "1.0.0", [
      rule("no-x", { severity: "critical", action: "warn", detect: { diffRegex: { pattern: "X" } } })
    ])
    const child = pack(
      "acme/team",
      "2.1.0",
      [
        rule("no-x", { severity: "low", action: "require-approval", detect: { diffRegex: { pattern: "Y" } } })
      ],
      [{ id: "acme/base", range: "^1" }]
    )
    const resolved = Either.getOrThrow(resolvePacks([child], [parent]))
    expect(resolved.rules).toHaveLength(1)
    expect(resolved.rules[0]).toMatchObject({ id: "no-x", severity: "critical", action: "require-approval" })
    expect(resolved.rules[0]?.definitions.map((d) => d.pack)).toEqual(["acme/base@1.0.0", "acme/team@2.1.0"])
    expect(resolved.resolutions).toEqual([
      {
        ruleId: "no-x",
        definedIn: ["acme/base@1.0.0", "acme/team@2.1.0"],
        severity: "critical",
        severityFrom: "acme/base@1.0.0",
        action: "require-approval",
        actionFrom: "acme/team@2.1.0",
        detections: 2
      }
    ])
  })

  it.effect("a child cannot weaken a parent's rule: both detections fire with the strictest action", () =>
    Effect.gen(function* () {
      const parent = pack("acme/base", "1.0.0", [
        rule("no-x", { action: "block", detect: { diffRegex: { pattern: "X" } } })
      ])
      const child = pack(
        "acme/team",
        "1.0.0",
        [
          rule("no-x", {
            severity: "info",
            action: "audit",
            detect: { diffRegex: { pattern: "NEVER-MATCHES" } }
          })
        ],
        [{ id: "acme/base", range: "1.0.0" }]
      )
      const resolved = Either.getOrThrow(resolvePacks([child], [parent]))
      const result = yield* evaluatePacks({
        packs: resolved,
        change: {
          files: [{ path: "a.ts", status: "modified", added: [{ line: 3, text: "X" }], removed: [] }]
        },
        context: { phase: "implement" }
      })
      expect(result.decision).toBe("block")
      expect(result.violations.map((v) => [v.ruleId, v.pack, v.severity, v.action])).toEqual([
        ["no-x", "acme/base@1.0.0", "high", "block"]
      ])
      expect(result.resolutions[0]?.ruleId).toBe("no-x")
    })
  )

  it("identical definitions collapse to one detection", () => {
    const parent = pack("acme/base", "1.0.0", [rule("same")])
    const child = pack("acme/copy", "1.0.0", [rule("same")], [{ id: "acme/base", range: "^1.0.0" }])
    const resolved = Either.getOrThrow(resolvePacks([child], [parent]))
    expect(resolved.rules[0]?.definitions).toHaveLength(1)
    expect(resolved.resolutions[0]?.detections).toBe(1)
  })
})
