import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { afterAll, describe, expect, it } from "@effect/vitest"
import { Effect } from "effect"
import { evaluatePacks, loadPack } from "../src/index.js"
import { rule } from "./fixtures.js"

const root = mkdtempSync(join(tmpdir(), "gauntlet-policy-checks-"))
afterAll(() => rmSync(root, { recursive: true, force: true }))

let counter = 0
/** Writes a pack directory with one check rule per module and returns it. */
const packDir = (modules: Record<string, string>, ruleOverrides: Record<string, unknown> = {}): string => {
  const dir = join(root, `pack-${++counter}`)
  mkdirSync(join(dir, "checks"), { recursive: true })
  for (const [name, source] of Object.entries(modules)) writeFileSync(join(dir, name), source)
  const rules = Object.keys(modules)
    .filter((name) => name.startsWith("checks/") && !name.includes("helper"))
    .map((module, i) =>
      rule(`check-${i}`, { detect: { check: { module, timeoutMs: 200 } }, ...ruleOverrides })
    )
  writeFileSync(
    join(dir, "pack.json"),
    JSON.stringify({ id: "acme/checks", version: "1.0.0", description: "checks", rules })
  )
  return dir
}

const evaluate = (dir: string, context: Record<string, unknown> = { phase: "implement" }) =>
  Effect.gen(function* () {
    const loaded = yield* loadPack(dir)
    return yield* evaluatePacks({
      packs: [loaded],
      change: {
        files: [{ path: "src/a.ts", status: "modified", added: [{ line: 1, text: "x" }], removed: [] }]
      },
      context: context as never,
      budgetMs: 2000
    })
  })

describe("check modules", () => {
  it.effect(
    "a TypeScript check module (with a relative helper import) gets the change and context and reports violations",
    () =>
      Effect.gen(function* () {
        const dir = packDir({
          "checks/helper.ts": "export const label = (n: number): string => n + ' file(s)'\n",
          "checks/files.ts": [
            'import { label } from "./helper.js"',
            "interface Change { files: Array<{ path: string }> }",
            "export default function check(change: Change, context: { phase: string }) {",
            "  return [{ message: label(change.files.length) + ' in ' + context.phase, location: { file: change.files[0]!.path, line: 1 } }]",
            "}"
          ].join("\n")
        })
        const result = yield* evaluate(dir)
        expect(result.violations.map((v) => [v.ruleId, v.message, v.location])).toEqual([
          ["check-0", "rule check-0 fired: 1 file(s) in implement", { file: "src/a.ts", line: 1 }]
        ])
      })
  )

  it.effect("a check that throws fails the evaluation (check-failed) naming the rule", () =>
    Effect.gen(function* () {
      const dir = packDir({ "checks/boom.js": "export default () => { throw new Error('boom') }\n" })
      const error = yield* Effect.flip(evaluate(dir))
      expect(error).toMatchObject({
        _tag: "PolicyEvaluationFailed",
        reason: "check-failed",
        ruleId: "check-0"
      })
      expect(error.message).toContain("boom")
    })
  )

  it.effect("a check that loops forever is stopped by its timeout (timeout)", () =>
    Effect.gen(function* () {
      const dir = packDir({ "checks/loop.js": "export default () => { for (;;) {} }\n" })
      const started = Date.now()
      const error = yield* Effect.flip(evaluate(dir))
      expect(error).toMatchObject({ reason: "timeout", ruleId: "check-0" })
      expect(Date.now() - started).toBeLessThan(2500)
    })
  )

  it.effect(
    "a check that returns something else than violations fails (check-malformed) with the pointer",
    () =>
      Effect.gen(function* () {
        const dir = packDir({ "checks/bad.js": "export default () => [{ msg: 'x' }]\n" })
        const error = yield* Effect.flip(evaluate(dir))
        expect(error).toMatchObject({ _tag: "PolicyEvaluationFailed", reason: "check-malformed" })
        expect(error.message).toContain("at /0")
      })
  )

  it.effect("check modules run without require, process or eval", () =>
    Effect.gen(function* () {
      const dir = packDir({
        "checks/probe.js": [
          "export default () => [",
          "  { message: [typeof require, typeof process, typeof setTimeout, typeof fetch].join(',') },",
          "  { message: (() => { try { return String(eval('1+1')) } catch (e) { return 'eval refused' } })() }",
          "]"
        ].join("\n")
      })
      const result = yield* evaluate(dir)
      expect(result.violations.map((v) => v.message)).toEqual([
        "rule check-0 fired: undefined,undefined,undefined,undefined",
        "rule check-0 fired: eval refused"
      ])
    })
  )

  it.effect("loading refuses imports of packages and of files outside the pack", () =>
    Effect.gen(function* () {
      const pkg = packDir({
        "checks/pkg.ts":
          'import { readFileSync } from "node:fs"\nexport default () => [{ message: String(readFileSync) }]\n'
      })
      const error = yield* Effect.flip(loadPack(pkg))
      expect(error).toMatchObject({ _tag: "InvalidPack", pointer: "/rules/0/detect/check/module" })
      expect(error.message).toContain('not "node:fs"')
      const outside = packDir({
        "checks/out.ts": 'import x from "../../outside.js"\nexport default () => x\n'
      })
      expect((yield* Effect.flip(loadPack(outside))).message).toContain("outside the pack directory")
    })
  )
})
