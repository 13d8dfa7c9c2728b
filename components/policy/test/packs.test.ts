import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { dirname, join } from "node:path"
import { fileURLToPath } from "node:url"
import { afterAll, describe, expect, it } from "@effect/vitest"
import { Effect, Either } from "effect"
import { assertPublishable, loadPackDirectory, resolvePacks, testPack } from "../src/index.js"
import { rule } from "./fixtures.js"

const STANDARD = join(dirname(fileURLToPath(import.meta.url)), "../../../policy-packs")
const root = mkdtempSync(join(tmpdir(), "gauntlet-policy-packs-"))
afterAll(() => rmSync(root, { recursive: true, force: true }))

describe("standard packs", () => {
  for (const name of ["foundations", "destructive-ops", "knowledge-safety", "typescript"]) {
    it.effect(`${name} passes its own tests and may be published`, () =>
      Effect.gen(function* () {
        const report = yield* testPack(join(STANDARD, name))
        const failed = report.cases.filter((c) => !c.passed).map((c) => `${c.file}: ${c.problem}`)
        expect(failed).toEqual([])
        expect(report.cases.length).toBeGreaterThanOrEqual(8)
        expect(report.pack).toBe(`gauntlet/${name}@1.0.0`)
        expect(Either.isRight(assertPublishable(report))).toBe(true)
      })
    )
  }

  it.effect("all standard packs load and compose together without rule id clashes", () =>
    Effect.gen(function* () {
      const packs = yield* loadPackDirectory(STANDARD)
      expect(packs.map((p) => p.pack.id)).toEqual([
        "gauntlet/destructive-ops",
        "gauntlet/foundations",
        "gauntlet/knowledge-safety",
        "gauntlet/typescript"
      ])
      const resolved = Either.getOrThrow(resolvePacks(packs))
      expect(resolved.resolutions).toEqual([])
      expect(resolved.rules.length).toBeGreaterThanOrEqual(25)
    })
  )
})

describe("publication", () => {
  const writePack = (name: string, cases: Record<string, unknown>) => {
    const dir = join(root, name)
    mkdirSync(join(dir, "tests"), { recursive: true })
    writeFileSync(
      join(dir, "pack.json"),
      JSON.stringify({
        id: `acme/${name}`,
        version: "0.1.0",
        description: name,
        rules: [rule("secret-word", { detect: { diffRegex: { pattern: "swordfish" } } })]
      })
    )
    for (const [file, json] of Object.entries(cases))
      writeFileSync(join(dir, "tests", file), JSON.stringify(json))
    return dir
  }
  const diff = ["--- a/a.txt", "+++ b/a.txt", "@@ -0,0 +1 @@", "+the password is swordfish"]

  it.effect("a pack without tests cannot be published", () =>
    Effect.gen(function* () {
      const report = yield* testPack(writePack("empty", {}))
      expect(report.passed).toBe(false)
      const refused = Either.flip(assertPublishable(report)).pipe(Either.getOrThrow)
      expect(refused).toMatchObject({
        _tag: "PackNotPublishable",
        reason: "no-tests",
        pack: "acme/empty@0.1.0"
      })
    })
  )

  it.effect("a pack with a failing case cannot be published; the report says what differs", () =>
    Effect.gen(function* () {
      const report = yield* testPack(
        writePack("failing", {
          "fires.json": {
            description: "fires",
            input: { diff, context: { phase: "implement" } },
            expected: { violations: ["secret-word"], decision: "block" }
          },
          "wrong.json": {
            description: "expects nothing",
            input: { diff, context: { phase: "implement" } },
            expected: { violations: [] }
          },
          "malformed.json": {
            description: "no change",
            input: { context: { phase: "implement" } },
            expected: { violations: [] }
          }
        })
      )
      expect(report.cases.map((c) => [c.file, c.passed])).toEqual([
        ["tests/fires.json", true],
        ["tests/malformed.json", false],
        ["tests/wrong.json", false]
      ])
      expect(report.cases[2]?.problem).toBe("expected rules [], got [secret-word]")
      expect(report.cases[1]?.problem).toContain("one of diff, change, terraformPlan or synthetic")
      const refused = Either.flip(assertPublishable(report)).pipe(Either.getOrThrow)
      expect(refused).toMatchObject({
        reason: "failing-tests",
        failed: ["tests/malformed.json", "tests/wrong.json"]
      })
    })
  )

  it.effect("a case may expect the evaluation to fail closed", () =>
    Effect.gen(function* () {
      const dir = join(root, "redos")
      mkdirSync(join(dir, "tests"), { recursive: true })
      writeFileSync(
        join(dir, "pack.json"),
        JSON.stringify({
          id: "acme/redos",
          version: "1.0.0",
          description: "redos",
          rules: [rule("redos", { detect: { diffRegex: { pattern: "(a+)+$" } } })]
        })
      )
      writeFileSync(
        join(dir, "tests", "hang.json"),
        JSON.stringify({
          description: "hangs",
          input: {
            diff: ["--- a/x", "+++ b/x", "@@ -0,0 +1 @@", `+${"a".repeat(40)}!`],
            context: { phase: "implement" }
          },
          expected: { error: "timeout" }
        })
      )
      const report = yield* testPack(dir, { budgetMs: 200 })
      expect(report.passed).toBe(true)
    })
  )
})
