import { fileURLToPath } from "node:url"
import { NodeContext } from "@effect/platform-node"
import { describe, expect, it } from "@effect/vitest"
import {
  adaptersByArea,
  goldenUpdateRequested,
  loadGoldenCases,
  runGolden,
  runGoldenCase
} from "@gauntlet/conformance"
import { Effect } from "effect"
import { kernelAdapters } from "../src/internal/conformance/adapters.js"

/**
 * The golden conformance suite as vitest tests: one test per case under `golden/`, named by requirement and file,
 * run in certified mode (a case whose area has no adapter fails). UPDATE_GOLDEN=1 rewrites expectations
 * (refused when CI is set).
 */
const goldenDir = fileURLToPath(new URL("../../../golden", import.meta.url))

// Test collection needs the case list before any test runs, so it is loaded once at module level.
const cases = await Effect.runPromise(loadGoldenCases(goldenDir).pipe(Effect.provide(NodeContext.layer)))

describe("golden conformance (certified)", () => {
  it("finds golden cases for every kernel area", () => {
    const areas = new Set(cases.map((c) => c.area))
    expect(kernelAdapters.map((a) => a.area).filter((area) => !areas.has(area))).toEqual([])
  })

  it.effect("runGolden over the whole directory agrees: every case passes, nothing skipped", () =>
    Effect.gen(function* () {
      const update = yield* goldenUpdateRequested
      const report = yield* runGolden({ dir: goldenDir, adapters: kernelAdapters, certified: true, update })
      const failed = report.results.filter((r) => r.status === "fail").map((r) => `${r.file}: ${r.detail}`)
      expect(failed).toEqual([])
      expect([report.ok, report.passed + report.updated, report.skipped]).toEqual([true, cases.length, 0])
    }).pipe(Effect.provide(NodeContext.layer))
  )

  for (const loaded of cases) {
    it.effect(`${loaded.golden.requirement} ${loaded.file}`, () =>
      Effect.gen(function* () {
        const byArea = yield* adaptersByArea(kernelAdapters)
        const update = yield* goldenUpdateRequested
        const result = yield* runGoldenCase(loaded, byArea.get(loaded.area), { certified: true, update })
        expect(result.status === "pass" || result.status === "updated", result.detail).toBe(true)
      }).pipe(Effect.provide(NodeContext.layer))
    )
  }
})

describe("jcs adapter", () => {
  const jcs = kernelAdapters.find((a) => a.area === "jcs")!

  it.effect("answers rejections as data and fails on a malformed case input", () =>
    Effect.gen(function* () {
      expect(yield* jcs.run({ json: "[1e400]" })).toEqual({ error: "NonFiniteNumber", value: "Infinity" })
      expect(yield* jcs.run({ json: "{" })).toEqual({ error: "InvalidJson" })
      expect(yield* jcs.run({ ieee754: "fff0000000000000" })).toEqual({
        error: "NonFiniteNumber",
        value: "-Infinity"
      })
      expect(yield* jcs.run({ json: '{"b":-0,"a":"\\u00e9"}' })).toEqual({ canonical: '{"a":"é","b":0}' })
      const failure = yield* Effect.flip(jcs.run({ ieee754: "XYZ" }))
      expect(failure).toMatchObject({ _tag: "InvalidJcsInput", input: { ieee754: "XYZ" } })
      expect((failure as Error).message).toBe(
        'expected { "json": string } or { "ieee754": 16 lowercase hex digits }, got {"ieee754":"XYZ"}'
      )
    })
  )
})
