/**
 * @module bench/dag
 * The dag benchmark: durable DAG runs (`@gauntlet/dag-journal`) on SQLite and the bare executor in memory, each
 * scenario in a fresh child process (bundled with esbuild, so no TypeScript loader is measured) that reports its
 * timings and peak RSS. One JSON line per figure on stdout. `BENCH_DAG_NODES=<n>` shrinks the SQLite workloads
 * (default 10,000 nodes) and `BENCH_DAG_MEMORY_NODES=<n>` the memory one (default 100,000).
 */
import { spawnSync } from "node:child_process"
import { mkdtempSync, rmSync } from "node:fs"
import { tmpdir } from "node:os"
import { dirname, join, resolve } from "node:path"
import { fileURLToPath } from "node:url"
import { build } from "esbuild"

const HERE = dirname(fileURLToPath(import.meta.url))
const ROOT = resolve(HERE, "..")
/** Where the child is bundled: inside the workspace so it resolves `better-sqlite3` like shipped code does. */
const CACHE = join(ROOT, "node_modules", ".cache", "gauntlet-bench")
/**
 * Runs per scenario; the best run is reported (the machine is shared: the fastest run is the one least disturbed by
 * other load, and its figures say what the code costs).
 */
const RUNS = 3

const emit = (metric: string, value: number, unit: string) =>
  process.stdout.write(
    `${JSON.stringify({ bench: "dag", metric, value: Math.round(value * 10) / 10, unit })}\n`
  )

/** The smallest of the runs' values. */
const best = (values: ReadonlyArray<number>): number => Math.min(...values)

const bundleChild = async (): Promise<string> => {
  const outfile = join(CACHE, "dag-child.mjs")
  await build({
    entryPoints: [join(HERE, "dag-child.ts")],
    bundle: true,
    platform: "node",
    format: "esm",
    target: "node20",
    outfile,
    external: ["better-sqlite3"],
    logLevel: "warning"
  })
  return outfile
}

/** Runs one scenario in a fresh Node process and parses the JSON object it prints. */
const runChild = (child: string, args: ReadonlyArray<string>): Record<string, number> => {
  const out = spawnSync(process.execPath, [child, ...args], { cwd: ROOT, encoding: "utf8" })
  if (out.status !== 0) throw new Error(`dag bench child ${args.join(" ")} failed: ${out.stderr}`)
  const lines = out.stdout.trim().split("\n")
  return JSON.parse(lines[lines.length - 1] as string) as Record<string, number>
}

/** Runs a scenario `RUNS` times (each in its own process and directory) and returns every result. */
const repeat = (child: string, scenario: string, nodes: number, withDir: boolean) =>
  Array.from({ length: RUNS }, () => {
    const dir = mkdtempSync(join(tmpdir(), "gauntlet-bench-dag-"))
    try {
      return runChild(child, withDir ? [scenario, dir, String(nodes)] : [scenario, String(nodes)])
    } finally {
      rmSync(dir, { recursive: true, force: true })
    }
  })

/** Prints every dag figure. */
export const main = async (): Promise<void> => {
  const nodes = Number(process.env.BENCH_DAG_NODES ?? 10_000)
  const memoryNodes = Number(process.env.BENCH_DAG_MEMORY_NODES ?? 100_000)
  const child = await bundleChild()

  const sqlite = repeat(child, "sqlite", nodes, true)
  const plain = repeat(child, "plain", nodes, false)
  const sqliteMs = best(sqlite.map((r) => r.ms as number))
  const plainMs = best(plain.map((r) => r.ms as number))
  emit("sqlite_completions_per_s", (nodes / sqliteMs) * 1000, "completions/s")
  emit("sqlite_overhead_us_per_node", ((sqliteMs - plainMs) * 1000) / nodes, "us/node")
  emit("sqlite_peak_rss_mb", Math.max(...sqlite.map((r) => (r.maxRssKb as number) / 1024)), "MB")
  emit("sqlite_cpu_us_per_node", (best(sqlite.map((r) => r.cpuMs as number)) * 1000) / nodes, "us/node")
  const lean = repeat(child, "sqlite-lean", nodes, true)
  emit(
    "sqlite_lean_completions_per_s",
    (nodes / best(lean.map((r) => r.ms as number))) * 1000,
    "completions/s"
  )

  const memory = repeat(child, "memory", memoryNodes, false)
  emit(
    "memory_completions_per_s",
    (memoryNodes / best(memory.map((r) => r.ms as number))) * 1000,
    "completions/s"
  )
  const journaled = repeat(child, "memory-journal", nodes, false)
  emit(
    "memory_journal_completions_per_s",
    (nodes / best(journaled.map((r) => r.ms as number))) * 1000,
    "completions/s"
  )

  const resumed = repeat(child, "resume", nodes, true)
  // A latency with a ceiling: the worst run is reported.
  emit("resume_first_completion_ms", Math.max(...resumed.map((r) => r.firstCompletionMs as number)), "ms")
}
