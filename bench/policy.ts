/**
 * @module bench/policy
 * The policy benchmark: every standard pack (`policy-packs/*`) evaluated on a synthetic change of 1,000 files and
 * 100,000 added lines (code with the occasional TODO, SQL, shell and markdown line so rules have work to do), plus
 * untrusted sources, commands and verify results in the context. Reports the median of `BENCH_POLICY_RUNS`
 * evaluations (default 5) after one warm-up, worker start included. One JSON line per figure on stdout.
 * `verify_signed_pack_ms` (verifying a signed standard pack against the development trust root) is measured by
 * `bench/pack-verify.ts`.
 */
import { dirname, join, resolve } from "node:path"
import { fileURLToPath } from "node:url"
import {
  type ChangeSet,
  evaluatePacks,
  loadPackDirectory,
  type PolicyContext,
  resolvePacks
} from "@gauntlet/policy"
import { Effect, Either } from "effect"
import { verifySignedPackMs } from "./pack-verify.js"

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "..")
const FILES = 1000
const LINES_PER_FILE = 100

const LINE_KINDS = [
  (n: number) => `export const value${n} = compute(${n}, "label-${n}")`,
  (n: number) => `  if (items.length > ${n}) return items.slice(0, ${n}).map((item) => item.id)`,
  (n: number) => `  // TODO(${n}): handle the empty case`,
  (n: number) => `  const query = "SELECT id, name FROM users WHERE id = ${n}"`,
  (n: number) => `  await run("git push origin feature/${n}")`,
  (n: number) => `  logger.info({ event: "processed", count: ${n} })`,
  (n: number) => `  expect(result.total).toBe(${n})`,
  (n: number) => `  const hash = "sha256:${n.toString(16).padStart(64, "0")}"`
]

/** 1,000 files of 100 added lines: source, tests, migrations, scripts and docs, deterministic. */
export const syntheticChange = (): ChangeSet => ({
  files: Array.from({ length: FILES }, (_, f) => {
    const kind = f % 10
    const path =
      kind === 0
        ? `test/module${f}.test.ts`
        : kind === 1
          ? `db/migrations/${String(f).padStart(4, "0")}_change.sql`
          : kind === 2
            ? `docs/guide${f}.md`
            : kind === 3
              ? `scripts/task${f}.sh`
              : `src/module${Math.floor(f / 10)}/file${f}.ts`
    return {
      path,
      status: f % 7 === 0 ? ("added" as const) : ("modified" as const),
      added: Array.from({ length: LINES_PER_FILE }, (_, l) => ({
        line: l + 1,
        text: LINE_KINDS[(f + l) % LINE_KINDS.length]!(f * LINES_PER_FILE + l)
      })),
      removed: []
    }
  })
})

const context: PolicyContext = {
  phase: "verify",
  scope: ["src/**", "test/**", "db/**", "docs/**", "scripts/**"],
  intent: "refactor",
  sources: Array.from({ length: 20 }, (_, i) => ({
    name: `issue#${i}`,
    kind: "issue",
    trust: "untrusted" as const,
    channel: "data" as const,
    text: `Steps to reproduce ${i}:\n1. run the importer\n2. see the stack trace\n`.repeat(20)
  })),
  commands: Array.from({ length: 50 }, (_, i) => `npm test -- --filter case${i}`),
  verify: [
    { name: "typecheck", status: "passed" },
    { name: "lint", status: "passed" },
    { name: "test", status: "passed" }
  ]
}

const median = (values: ReadonlyArray<number>) =>
  [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!

const print = (metric: string, value: number, unit: string) =>
  process.stdout.write(
    `${JSON.stringify({ bench: "policy", metric, value: Math.round(value * 100) / 100, unit })}\n`
  )

const evaluateStandardPacks = async (): Promise<number> => {
  const packs = await Effect.runPromise(loadPackDirectory(join(ROOT, "policy-packs")))
  const resolved = Either.getOrThrow(resolvePacks(packs))
  const change = syntheticChange()
  const cpu: Array<number> = []
  const once = async () => {
    const started = performance.now()
    const cpuStarted = process.cpuUsage()
    const result = await Effect.runPromise(evaluatePacks({ packs: resolved, change, context }))
    const elapsed = performance.now() - started
    const used = process.cpuUsage(cpuStarted)
    cpu.push((used.user + used.system) / 1000)
    if (result.violations.length === 0) throw new Error("the synthetic change should trip some rules")
    return elapsed
  }
  const result0 = { violations: 0 }
  const warm = await Effect.runPromise(evaluatePacks({ packs: resolved, change, context }))
  result0.violations = warm.violations.length + warm.omitted
  const runs = Number(process.env.BENCH_POLICY_RUNS ?? 5)
  const times: Array<number> = []
  cpu.length = 0
  for (let i = 0; i < runs; i++) times.push(await once())
  process.stderr.write(
    `policy: ${FILES} files, ${FILES * LINES_PER_FILE} added lines, ${resolved.rules.length} rules, ${result0.violations} violations; ` +
      `median CPU ${median(cpu).toFixed(1)} ms per evaluation (both threads), wall times ${times.map((t) => t.toFixed(0)).join(", ")} ms\n`
  )
  cpuMedianMs = median(cpu)
  return median(times)
}

/** The CPU time (user + system, both threads) per evaluation, measured with the wall times above. */
let cpuMedianMs = Number.NaN

/** The figures this benchmark prints, in order. */
const FIGURES: ReadonlyArray<{
  readonly metric: string
  readonly unit: string
  readonly measure: () => Promise<number>
}> = [
  { metric: "evaluate_standard_packs_ms", unit: "ms", measure: evaluateStandardPacks },
  { metric: "evaluate_standard_packs_cpu_ms", unit: "ms", measure: async () => cpuMedianMs },
  { metric: "verify_signed_pack_ms", unit: "ms", measure: verifySignedPackMs }
]

export const main = async (): Promise<void> => {
  for (const figure of FIGURES) print(figure.metric, await figure.measure(), figure.unit)
}
