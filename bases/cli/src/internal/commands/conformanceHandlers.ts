import {
  type GoldenCaseResult,
  type GoldenReport,
  goldenUpdateRequested,
  runGolden
} from "@gauntlet/conformance"
import { Effect } from "effect"
import { kernelAdapters } from "../conformance/adapters.js"
import { ConformanceFailed } from "../errors.js"
import { writeLines } from "../output.js"

/** Options of `gauntlet conformance run`. */
export interface RunSuiteOptions {
  readonly dir: string
  readonly certified: boolean
  readonly json: boolean
}

const STATUS_LABEL = { pass: "PASS", fail: "FAIL", skipped: "SKIP", updated: "UPDATED" } as const

const caseLines = (result: GoldenCaseResult): ReadonlyArray<string> => [
  `${STATUS_LABEL[result.status].padEnd(7)}  ${result.requirement.padEnd(7)}  ${result.file}  ${result.description}`,
  ...(result.status === "pass" || result.detail === undefined
    ? []
    : result.detail.split("\n").map((line) => `         ${line}`))
]

const summaryLine = (report: GoldenReport, certified: boolean): string =>
  `${report.ok ? "ok" : "FAILED"}: ${report.passed} passed, ${report.failed} failed, ${report.skipped} skipped, ${report.updated} updated${certified ? " (certified)" : ""}`

/** Runs every golden case under `dir` through the kernel adapters; fails with `ConformanceFailed` unless ok. */
export const runSuite = (options: RunSuiteOptions) =>
  Effect.gen(function* () {
    const update = yield* goldenUpdateRequested
    const report = yield* runGolden({
      dir: options.dir,
      adapters: kernelAdapters,
      certified: options.certified,
      update
    })
    yield* writeLines(
      options.json
        ? [JSON.stringify(report)]
        : [...report.results.flatMap(caseLines), summaryLine(report, options.certified)]
    )
    if (!report.ok) {
      return yield* new ConformanceFailed({
        dir: options.dir,
        failed: report.failed,
        skipped: report.skipped
      })
    }
  })
