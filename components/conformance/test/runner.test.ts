import { FileSystem, Path } from "@effect/platform"
import { NodeContext } from "@effect/platform-node"
import { describe, expect, it } from "@effect/vitest"
import { ConfigProvider, Effect, Layer } from "effect"
import { type GoldenAdapter, runGolden } from "../src/index.js"

const writeCase = (dir: string, file: string, body: unknown) =>
  Effect.gen(function* () {
    const fs = yield* FileSystem.FileSystem
    const path = yield* Path.Path
    const target = path.join(dir, file)
    yield* fs.makeDirectory(path.dirname(target), { recursive: true })
    yield* fs.writeFileString(target, typeof body === "string" ? body : `${JSON.stringify(body, null, 2)}\n`)
    return target
  })

const doubling: GoldenAdapter = {
  area: "math",
  run: (input) => Effect.succeed({ doubled: (input as { n: number }).n * 2 })
}

const failing: GoldenAdapter = { area: "math", run: () => Effect.fail({ _tag: "Boom", message: "exploded" }) }

const withEnv = (env: Record<string, string>) =>
  Layer.setConfigProvider(ConfigProvider.fromMap(new Map(Object.entries(env))))

const fixture = Effect.gen(function* () {
  const fs = yield* FileSystem.FileSystem
  const dir = yield* fs.makeTempDirectoryScoped()
  yield* writeCase(dir, "README.md", "ignored")
  yield* writeCase(dir, "math/double.json", {
    requirement: "N0-R1",
    description: "doubles",
    input: { n: 2 },
    expected: { doubled: 4 }
  })
  yield* writeCase(dir, "math/wrong.json", {
    requirement: "N0-R2",
    description: "wrong expectation",
    input: { n: 3 },
    expected: { doubled: 7 }
  })
  yield* writeCase(dir, "other/x.json", {
    requirement: "N3-R4",
    description: "no adapter",
    input: null,
    expected: 1
  })
  return dir
})

describe("runGolden", () => {
  it.scoped("passes matching cases, fails mismatches with a JSON-pointer diff, skips unknown areas", () =>
    Effect.gen(function* () {
      const dir = yield* fixture
      const report = yield* runGolden({ dir, adapters: [doubling] })
      expect(report.results.map((r) => [r.file, r.status])).toEqual([
        ["math/double.json", "pass"],
        ["math/wrong.json", "fail"],
        ["other/x.json", "skipped"]
      ])
      expect(report.results[1]?.detail).toContain("/doubled: expected 7, got 6")
      expect(report.ok).toBe(false)
      expect([report.passed, report.failed, report.skipped]).toEqual([1, 1, 1])
    }).pipe(Effect.provide(NodeContext.layer))
  )

  it.scoped("certified mode turns a skip into a failure", () =>
    Effect.gen(function* () {
      const fs = yield* FileSystem.FileSystem
      const dir = yield* fs.makeTempDirectoryScoped()
      yield* writeCase(dir, "other/x.json", {
        requirement: "N3-R4",
        description: "d",
        input: null,
        expected: 1
      })
      const lax = yield* runGolden({ dir, adapters: [] })
      expect([lax.ok, lax.results[0]?.status]).toEqual([true, "skipped"])
      const certified = yield* runGolden({ dir, adapters: [], certified: true })
      expect(certified.ok).toBe(false)
      expect(certified.results[0]?.status).toBe("fail")
      expect(certified.results[0]?.detail).toContain(
        'certified mode refuses skips: no adapter for area "other"'
      )
    }).pipe(Effect.provide(NodeContext.layer))
  )

  it.scoped("an adapter failure fails its case and names the error", () =>
    Effect.gen(function* () {
      const dir = yield* fixture
      const report = yield* runGolden({ dir, adapters: [failing] })
      expect(report.results[0]?.status).toBe("fail")
      expect(report.results[0]?.detail).toBe('adapter "math" failed: Boom: exploded')
    }).pipe(Effect.provide(NodeContext.layer))
  )

  it.scoped("update rewrites only mismatched expectations, with sorted keys and 2-space JSON", () =>
    Effect.gen(function* () {
      const fs = yield* FileSystem.FileSystem
      const dir = yield* fixture
      const report = yield* runGolden({ dir, adapters: [doubling], update: true })
      expect(report.results.map((r) => r.status)).toEqual(["pass", "updated", "skipped"])
      const text = yield* fs.readFileString(`${dir}/math/wrong.json`)
      expect(text).toBe(
        '{\n  "requirement": "N0-R2",\n  "description": "wrong expectation",\n  "input": {\n    "n": 3\n  },\n  "expected": {\n    "doubled": 6\n  }\n}\n'
      )
      const again = yield* runGolden({ dir, adapters: [doubling] })
      expect(again.results.map((r) => r.status)).toEqual(["pass", "pass", "skipped"])
    }).pipe(Effect.provide(Layer.merge(NodeContext.layer, withEnv({}))))
  )

  it.scoped("update is refused when CI is set, and nothing is written", () =>
    Effect.gen(function* () {
      const fs = yield* FileSystem.FileSystem
      const dir = yield* fixture
      const error = yield* Effect.flip(runGolden({ dir, adapters: [doubling], update: true }))
      expect(error._tag).toBe("GoldenUpdateRefused")
      expect(error.message).toContain("refusing to rewrite golden expectations in CI")
      const text = yield* fs.readFileString(`${dir}/math/wrong.json`)
      expect(text).toContain('"doubled": 7')
    }).pipe(Effect.provide(NodeContext.layer), Effect.provide(withEnv({ CI: "true" })))
  )

  it.scoped("two adapters for one area are rejected", () =>
    Effect.gen(function* () {
      const dir = yield* fixture
      const error = yield* Effect.flip(runGolden({ dir, adapters: [doubling, failing] }))
      expect(error._tag).toBe("DuplicateAdapter")
      expect(error.message).toBe('more than one golden adapter registered for area "math"')
    }).pipe(Effect.provide(NodeContext.layer))
  )
})
