import { readdir, readFile } from "node:fs/promises"
import { join } from "node:path"
import { Effect, Either, ParseResult, Schema } from "effect"
import { ChangeSet } from "./changeSet.js"
import { resolvePacks } from "./compose.js"
import { PolicyContext } from "./context.js"
import { parseUnifiedDiff } from "./diff.js"
import { InvalidPack, PackIoError, PackNotPublishable, PolicyEvaluationFailed } from "./errors.js"
import { evaluatePacks } from "./evaluate.js"
import { loadPack } from "./load.js"
import { type LoadedPack, packRef } from "./pack.js"
import { PolicyDecision } from "./result.js"
import { changeSetFromTerraformPlan } from "./terraform.js"

/**
 * One pack test case (`tests/<name>.json`): a change given as a `diff` (text, or lines), a `change` set, a
 * `terraformPlan`, or a `synthetic` change (N files of M added lines, for size limits), the evaluation context, and the expected rule ids that fire (as a set), optionally the expected
 * decision, or the expected evaluation failure reason (`error`).
 */
export const PackTestCase = Schema.Struct({
  description: Schema.String.pipe(Schema.minLength(1)),
  input: Schema.Struct({
    diff: Schema.optional(Schema.Union(Schema.String, Schema.Array(Schema.String))),
    change: Schema.optional(ChangeSet),
    terraformPlan: Schema.optional(Schema.Unknown),
    synthetic: Schema.optional(
      Schema.Struct({
        files: Schema.Int.pipe(Schema.between(1, 100_000)),
        linesPerFile: Schema.Int.pipe(Schema.between(0, 1_000_000)),
        directory: Schema.optional(Schema.String.pipe(Schema.minLength(1)))
      })
    ),
    context: PolicyContext
  }),
  expected: Schema.Union(
    Schema.Struct({ violations: Schema.Array(Schema.String), decision: Schema.optional(PolicyDecision) }),
    Schema.Struct({ error: PolicyEvaluationFailed.fields.reason })
  )
}).annotations({ identifier: "PolicyPackTestCase" })

/** One pack test case. */
export type PackTestCase = typeof PackTestCase.Type

/** What one case did: expected and actual rule ids (sorted, unique), decisions or failure reason, and why it failed. */
export interface PackTestCaseResult {
  readonly file: string
  readonly description: string
  readonly passed: boolean
  readonly expected: PackTestCase["expected"]
  readonly actual:
    | { readonly violations: ReadonlyArray<string>; readonly decision: string }
    | { readonly error: string }
  readonly problem?: string
}

/** The report of `testPack`: the pack (id@version), every case, and whether all passed (and there was at least one). */
export interface PackTestReport {
  readonly pack: string
  readonly cases: ReadonlyArray<PackTestCaseResult>
  readonly passed: boolean
}

const decodeCase = Schema.decodeUnknownEither(PackTestCase, { onExcessProperty: "error" })

type Outcome =
  | { readonly violations: ReadonlyArray<string>; readonly decision: string }
  | { readonly error: string }

/**
 * A synthetic change for size limits: `files` new files `<directory>/file-<n>.ts` (default directory `src/generated`)
 * of `linesPerFile` added lines each.
 */
export const syntheticChange = (spec: {
  readonly files: number
  readonly linesPerFile: number
  readonly directory?: string
}): ChangeSet => ({
  files: Array.from({ length: spec.files }, (_, file) => ({
    path: `${spec.directory ?? "src/generated"}/file-${file + 1}.ts`,
    status: "added" as const,
    added: Array.from({ length: spec.linesPerFile }, (_, line) => ({
      line: line + 1,
      text: `export const value${line + 1} = ${file * spec.linesPerFile + line}`
    })),
    removed: []
  }))
})

/** The change a case describes. */
const changeOf = (input: PackTestCase["input"]): Either.Either<ChangeSet, string> => {
  if (input.change !== undefined) return Either.right(input.change)
  if (input.diff !== undefined) {
    const text = typeof input.diff === "string" ? input.diff : `${input.diff.join("\n")}\n`
    return Either.mapLeft(parseUnifiedDiff(text), (error) => error.message)
  }
  if (input.synthetic !== undefined) return Either.right(syntheticChange(input.synthetic))
  if (input.terraformPlan !== undefined)
    return Either.mapLeft(changeSetFromTerraformPlan(input.terraformPlan), (error) => error.message)
  return Either.left("the case gives no change: one of diff, change, terraformPlan or synthetic is required")
}

const sameSet = (a: ReadonlyArray<string>, b: ReadonlyArray<string>) =>
  JSON.stringify([...new Set(a)].sort()) === JSON.stringify([...new Set(b)].sort())

/** Runs the cases of one loaded pack (parents resolved from `available`); each case is evaluated twice (determinism). */
export const runPackTests = Effect.fn("Policy.runPackTests")(function* (
  loaded: LoadedPack,
  cases: ReadonlyArray<{ readonly file: string; readonly json: unknown }>,
  options: { readonly available?: ReadonlyArray<LoadedPack>; readonly budgetMs?: number } = {}
) {
  const resolved = yield* resolvePacks([loaded], options.available ?? [])
  const results: Array<PackTestCaseResult> = []
  for (const { file, json } of cases) {
    const decoded = decodeCase(json)
    if (Either.isLeft(decoded)) {
      const issue = ParseResult.ArrayFormatter.formatErrorSync(decoded.left)[0]
      const at =
        issue === undefined ? "" : `${issue.path.map((key) => `/${String(key)}`).join("")}: ${issue.message}`
      results.push({
        file,
        description: "",
        passed: false,
        expected: { violations: [] },
        actual: { error: "invalid-case" },
        problem: `invalid test case at ${at}`
      })
      continue
    }
    const testCase = decoded.right
    const change = changeOf(testCase.input)
    if (Either.isLeft(change)) {
      results.push({
        file,
        description: testCase.description,
        passed: false,
        expected: testCase.expected,
        actual: { error: "invalid-input" },
        problem: change.left
      })
      continue
    }
    const evaluate = evaluatePacks({
      packs: resolved,
      change: change.right,
      context: testCase.input.context,
      ...(options.budgetMs === undefined ? {} : { budgetMs: options.budgetMs })
    }).pipe(
      Effect.map(
        (result): Outcome => ({
          violations: [...new Set(result.violations.map((v) => v.ruleId))].sort(),
          decision: result.decision
        })
      ),
      Effect.catchTag("PolicyEvaluationFailed", (error) => Effect.succeed<Outcome>({ error: error.reason }))
    )
    const first = yield* evaluate
    const second = yield* evaluate
    const expected = testCase.expected
    let problem: string | undefined
    if (JSON.stringify(first) !== JSON.stringify(second))
      problem = "the evaluation is not deterministic: two runs differ"
    else if ("error" in expected) {
      if (!("error" in first) || first.error !== expected.error)
        problem = `expected the evaluation to fail with ${expected.error}`
    } else if ("error" in first) problem = `the evaluation failed with ${first.error}`
    else if (!sameSet(first.violations, expected.violations)) {
      problem = `expected rules [${[...expected.violations].sort().join(", ")}], got [${first.violations.join(", ")}]`
    } else if (expected.decision !== undefined && expected.decision !== first.decision) {
      problem = `expected decision ${expected.decision}, got ${first.decision}`
    }
    results.push({
      file,
      description: testCase.description,
      passed: problem === undefined,
      expected,
      actual: first,
      ...(problem === undefined ? {} : { problem })
    })
  }
  const report: PackTestReport = {
    pack: packRef(loaded.pack),
    cases: results,
    passed: results.length > 0 && results.every((r) => r.passed)
  }
  return report
})

/**
 * Loads the pack in `dir` and runs every `tests/*.json` case (file names sorted). A pack with no cases does not
 * pass. Parents named by `extends` are resolved from `available`.
 */
export const testPack = Effect.fn("Policy.testPack")(function* (
  dir: string,
  options: { readonly available?: ReadonlyArray<LoadedPack>; readonly budgetMs?: number } = {}
) {
  const loaded = yield* loadPack(dir)
  const testsDir = join(dir, "tests")
  const names = yield* Effect.tryPromise({
    try: () => readdir(testsDir),
    catch: (error) => error as NodeJS.ErrnoException
  }).pipe(
    Effect.catchAll((error) =>
      error.code === "ENOENT"
        ? Effect.succeed([] as Array<string>)
        : Effect.fail(new PackIoError({ path: testsDir, detail: error.message }))
    )
  )
  const cases: Array<{ file: string; json: unknown }> = []
  for (const name of names.filter((n) => n.endsWith(".json")).sort()) {
    const path = join(testsDir, name)
    const text = yield* Effect.tryPromise({
      try: () => readFile(path, "utf8"),
      catch: (error) => new PackIoError({ path, detail: (error as Error).message })
    })
    const json = yield* Effect.try({
      try: () => JSON.parse(text) as unknown,
      catch: (error) =>
        new InvalidPack({
          pack: loaded.pack.id,
          pointer: `tests/${name}`,
          reason: `not JSON: ${(error as Error).message}`
        })
    })
    cases.push({ file: `tests/${name}`, json })
  }
  return yield* runPackTests(loaded, cases, options)
})

/** Refuses publication of a pack whose tests fail or that has none (`PackNotPublishable`); returns the report otherwise. */
export const assertPublishable = (
  report: PackTestReport
): Either.Either<PackTestReport, PackNotPublishable> =>
  report.cases.length === 0
    ? Either.left(new PackNotPublishable({ pack: report.pack, reason: "no-tests", failed: [] }))
    : report.passed
      ? Either.right(report)
      : Either.left(
          new PackNotPublishable({
            pack: report.pack,
            reason: "failing-tests",
            failed: report.cases.filter((c) => !c.passed).map((c) => c.file)
          })
        )
