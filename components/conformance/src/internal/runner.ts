import { FileSystem, type Path } from "@effect/platform"
import { Cause, Config, Effect, Exit, Option } from "effect"
import { DuplicateAdapter, type GoldenError, GoldenIoError, GoldenUpdateRefused } from "./errors.js"
import type { GoldenAdapter } from "./GoldenAdapter.js"
import {
  formatDiff,
  isJsonData,
  type JsonDifference,
  jsonDiff,
  renderValue,
  sortKeysDeep
} from "./jsonDiff.js"
import { type LoadedGoldenCase, loadGoldenCases } from "./loader.js"

/** How one case ended: matched, mismatched (or its adapter failed), had no adapter, or was rewritten. */
export type GoldenCaseStatus = "pass" | "fail" | "skipped" | "updated"

/** The outcome of one golden case. `detail` explains a fail/skip/update in readable text. */
export interface GoldenCaseResult {
  readonly area: string
  readonly file: string
  readonly requirement: string
  readonly description: string
  readonly status: GoldenCaseStatus
  readonly detail?: string
  readonly differences?: ReadonlyArray<JsonDifference>
}

/** Options of one case run: certified mode refuses skips; update rewrites mismatched expectations. */
export interface GoldenCaseOptions {
  readonly certified?: boolean
  readonly update?: boolean
}

/** Options of a whole suite run over the golden directory `dir`. */
export interface GoldenRunOptions extends GoldenCaseOptions {
  readonly dir: string
  readonly adapters: ReadonlyArray<GoldenAdapter>
}

/** The outcome of a suite run: every case result, counts, and `ok` (no failures; in certified mode, no skips). */
export interface GoldenReport {
  readonly results: ReadonlyArray<GoldenCaseResult>
  readonly passed: number
  readonly failed: number
  readonly skipped: number
  readonly updated: number
  readonly ok: boolean
}

/** True when `UPDATE_GOLDEN` is set to `1` or `true`: the caller asks to rewrite expectations. */
export const goldenUpdateRequested: Effect.Effect<boolean> = Config.string("UPDATE_GOLDEN").pipe(
  Config.option,
  Effect.map(Option.match({ onNone: () => false, onSome: (v) => v === "1" || v.toLowerCase() === "true" })),
  Effect.orElseSucceed(() => false)
)

/** Fails with `GoldenUpdateRefused` when the `CI` environment variable is non-empty (truthy). */
export const refuseUpdateInCi: Effect.Effect<void, GoldenUpdateRefused> = Config.string("CI").pipe(
  Config.option,
  Effect.orElseSucceed(() => Option.none<string>()),
  Effect.flatMap(
    Option.match({
      onNone: () => Effect.void,
      onSome: (ci) => (ci === "" ? Effect.void : Effect.fail(new GoldenUpdateRefused({ ci })))
    })
  )
)

const describeFailure = (cause: Cause.Cause<unknown>): string => {
  const failures = [...Cause.failures(cause)].map((e) => {
    if (typeof e === "object" && e !== null && "_tag" in e) {
      const message =
        "message" in e && typeof e.message === "string" && e.message !== "" ? `: ${e.message}` : ""
      return `${String(e._tag)}${message}`
    }
    return e instanceof Error ? e.message : renderValue(e)
  })
  const defects = [...Cause.defects(cause)].map(
    (d) => `defect: ${d instanceof Error ? d.message : renderValue(d)}`
  )
  const all = [...failures, ...defects]
  return all.length > 0 ? all.join("; ") : "interrupted"
}

/** The text of a golden file with `expected` replaced: fixed field order, sorted keys in `expected`, 2 spaces. */
export const renderGoldenFile = (loaded: LoadedGoldenCase, expected: unknown): string => {
  const { requirement, description, tags, input } = loaded.golden
  const body = {
    requirement,
    description,
    ...(tags === undefined ? {} : { tags }),
    input,
    expected: sortKeysDeep(expected)
  }
  return `${JSON.stringify(body, null, 2)}\n`
}

/**
 * Runs one loaded case through its area's adapter (or skips it when `adapter` is undefined; in certified mode a
 * skip is a failure) and compares the output with `expected` exactly. In update mode a mismatching JSON output is
 * written back as the new `expected` (refused when `CI` is set).
 */
export const runGoldenCase = Effect.fn("Golden.runCase")(function* (
  loaded: LoadedGoldenCase,
  adapter: GoldenAdapter | undefined,
  options: GoldenCaseOptions = {}
): Effect.fn.Return<GoldenCaseResult, GoldenIoError | GoldenUpdateRefused, FileSystem.FileSystem> {
  const base = {
    area: loaded.area,
    file: loaded.file,
    requirement: loaded.golden.requirement,
    description: loaded.golden.description
  }
  if (adapter === undefined) {
    return options.certified
      ? {
          ...base,
          status: "fail" as const,
          detail: `certified mode refuses skips: no adapter for area "${loaded.area}"`
        }
      : { ...base, status: "skipped" as const, detail: `no adapter for area "${loaded.area}"` }
  }
  const exit = yield* Effect.exit(Effect.suspend(() => adapter.run(loaded.golden.input)))
  if (Exit.isFailure(exit)) {
    return {
      ...base,
      status: "fail" as const,
      detail: `adapter "${adapter.area}" failed: ${describeFailure(exit.cause)}`
    }
  }
  const differences = jsonDiff(loaded.golden.expected, exit.value)
  if (differences.length === 0) return { ...base, status: "pass" as const }
  if (options.update) {
    yield* refuseUpdateInCi
    if (!isJsonData(exit.value)) {
      return {
        ...base,
        status: "fail" as const,
        detail: `cannot write non-JSON output ${renderValue(exit.value)}`
      }
    }
    const fs = yield* FileSystem.FileSystem
    yield* fs
      .writeFileString(loaded.path, renderGoldenFile(loaded, exit.value))
      .pipe(
        Effect.mapError(
          (e) => new GoldenIoError({ path: loaded.path, operation: "write", reason: e.message })
        )
      )
    return {
      ...base,
      status: "updated" as const,
      detail: `rewrote expected (${differences.length} difference(s))`
    }
  }
  return {
    ...base,
    status: "fail" as const,
    detail: `output differs from expected:\n${formatDiff(differences)}`,
    differences
  }
})

/** Indexes adapters by area, failing with `DuplicateAdapter` when two claim the same area. */
export const adaptersByArea = (
  adapters: ReadonlyArray<GoldenAdapter>
): Effect.Effect<ReadonlyMap<string, GoldenAdapter>, DuplicateAdapter> =>
  Effect.gen(function* () {
    const byArea = new Map<string, GoldenAdapter>()
    for (const adapter of adapters) {
      if (byArea.has(adapter.area)) return yield* Effect.fail(new DuplicateAdapter({ area: adapter.area }))
      byArea.set(adapter.area, adapter)
    }
    return byArea
  })

/**
 * Loads every case under `dir` and runs each through the adapter of its area, in file order. Update mode is
 * refused up front when `CI` is set. `ok` is false when any case failed (certified mode turns skips into fails).
 */
export const runGolden = Effect.fn("Golden.run")(function* (
  options: GoldenRunOptions
): Effect.fn.Return<GoldenReport, GoldenError, FileSystem.FileSystem | Path.Path> {
  if (options.update) yield* refuseUpdateInCi
  const byArea = yield* adaptersByArea(options.adapters)
  const cases = yield* loadGoldenCases(options.dir)
  const results: Array<GoldenCaseResult> = []
  for (const loaded of cases) {
    results.push(yield* runGoldenCase(loaded, byArea.get(loaded.area), options))
  }
  const count = (status: GoldenCaseStatus) => results.filter((r) => r.status === status).length
  const report: GoldenReport = {
    results,
    passed: count("pass"),
    failed: count("fail"),
    skipped: count("skipped"),
    updated: count("updated"),
    ok: count("fail") === 0 && !(options.certified && count("skipped") > 0)
  }
  return report
})
