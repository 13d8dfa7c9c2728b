/**
 * @module bench/events
 * The events benchmark: batched appends (1,000 per transaction), single appends (one transaction each), replay and
 * chain verification in a fresh child process (rate and peak RSS), and CLI/Node cold starts. One JSON line per
 * figure on stdout. `BENCH_EVENTS=<n>` runs a smaller batched workload (default 1,000,000).
 */
import { spawnSync } from "node:child_process"
import { existsSync, mkdtempSync, rmSync } from "node:fs"
import { tmpdir } from "node:os"
import { dirname, join, resolve } from "node:path"
import { fileURLToPath } from "node:url"
import { type EventDraft, EventLog } from "@gauntlet/event-stream"
import { Effect } from "effect"
import { build } from "esbuild"
import { benchLogLayer, benchPayload } from "./event-types.js"

const HERE = dirname(fileURLToPath(import.meta.url))
const ROOT = resolve(HERE, "..")
const BATCH = 1000
/** Where the replay child is bundled: inside the workspace so it resolves `better-sqlite3` like shipped code does. */
const CACHE = join(ROOT, "node_modules", ".cache", "gauntlet-bench")

/**
 * Bundles the replay child with esbuild (as the CLI ships) so the child measures the store, not a TypeScript
 * loader: `node --import tsx` adds a loader thread and ~100 MB of RSS that no user of the store pays.
 */
const bundleReplayChild = async (): Promise<string> => {
  const outfile = join(CACHE, "events-replay.mjs")
  await build({
    entryPoints: [join(HERE, "events-replay.ts")],
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

const emit = (metric: string, value: number, unit: string) =>
  process.stdout.write(
    `${JSON.stringify({ bench: "events", metric, value: Math.round(value * 10) / 10, unit })}\n`
  )

const median = (values: ReadonlyArray<number>): number => {
  const sorted = [...values].sort((a, b) => a - b)
  const mid = Math.floor(sorted.length / 2)
  return sorted.length % 2 === 1
    ? (sorted[mid] as number)
    : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2
}

/** Wall and CPU (user + system) milliseconds since the timer started. */
interface Elapsed {
  readonly wallMs: number
  readonly cpuMs: number
}

const startTimer = (): (() => Elapsed) => {
  const wall = performance.now()
  const cpu = process.cpuUsage()
  return () => {
    const used = process.cpuUsage(cpu)
    return { wallMs: performance.now() - wall, cpuMs: (used.user + used.system) / 1000 }
  }
}

/** Prints a rate per wall-clock second and, because shared machines are noisy, per second of this process's CPU. */
const emitRate = (metric: string, events: number, elapsed: Elapsed) => {
  emit(metric, (events / elapsed.wallMs) * 1000, "events/s")
  emit(metric.replace(/_per_s$/, "_per_cpu_s"), (events / elapsed.cpuMs) * 1000, "events/cpu-s")
}

const draftsFor = (runId: string, from: number, count: number): ReadonlyArray<EventDraft> => {
  const drafts = new Array<EventDraft>(count)
  for (let i = 0; i < count; i++) {
    drafts[i] = { runId, type: "bench/observed", actor: "bench", payload: benchPayload(from + i) }
  }
  return drafts
}

const appendWorkload = (
  filename: string,
  batchedRun: string,
  batched: number,
  singleRun: string,
  singles: number
) =>
  Effect.gen(function* () {
    const log = yield* EventLog
    const batchedTimer = startTimer()
    for (let done = 0; done < batched; done += BATCH) {
      yield* log.appendBatch(draftsFor(batchedRun, done, Math.min(BATCH, batched - done)))
    }
    const batchedTime = batchedTimer()
    const singleTimer = startTimer()
    for (let i = 0; i < singles; i++) yield* log.append(draftsFor(singleRun, i, 1)[0] as EventDraft)
    return { batchedTime, singleTime: singleTimer() }
  }).pipe(Effect.provide(benchLogLayer(filename)))

const timeCommand = (args: ReadonlyArray<string>, runs: number): number | undefined => {
  const samples: Array<number> = []
  for (let i = 0; i < runs; i++) {
    const start = performance.now()
    const child = spawnSync(process.execPath, args, { cwd: ROOT, stdio: ["ignore", "ignore", "pipe"] })
    const elapsed = performance.now() - start
    if (child.status !== 0) {
      process.stderr.write(`bench events: node ${args.join(" ")} exited ${child.status}: ${child.stderr}\n`)
      return undefined
    }
    samples.push(elapsed)
  }
  return median(samples)
}

/** Runs the events benchmark and prints its figures. */
export const main = async (): Promise<void> => {
  const batched = Number(process.env.BENCH_EVENTS ?? 1_000_000)
  if (!Number.isSafeInteger(batched) || batched < 1) {
    process.stderr.write(
      `bench events: BENCH_EVENTS must be a positive integer, got "${process.env.BENCH_EVENTS}"\n`
    )
    process.exit(2)
  }
  const singles = Math.min(20_000, Math.max(100, Math.floor(batched / 50)))
  const dir = mkdtempSync(join(tmpdir(), "gauntlet-bench-events-"))
  const filename = join(dir, "events.db")
  try {
    const batchedRun = "bench-batched"
    const { batchedTime, singleTime } = await Effect.runPromise(
      appendWorkload(filename, batchedRun, batched, "bench-single", singles)
    )
    emitRate("append_batched_per_s", batched, batchedTime)
    emitRate("append_single_per_s", singles, singleTime)

    const replayChild = await bundleReplayChild()
    const replay = spawnSync(process.execPath, [replayChild, filename, batchedRun], {
      cwd: ROOT,
      encoding: "utf8",
      maxBuffer: 1 << 20
    })
    if (replay.status !== 0) throw new Error(`replay child exited ${replay.status}: ${replay.stderr}`)
    const figures = JSON.parse(replay.stdout) as {
      ok: boolean
      verified: number
      verifyMs: number
      verifyCpuMs: number
      read: number
      readMs: number
      readCpuMs: number
      maxRssKb: number
    }
    if (!figures.ok || figures.verified !== batched || figures.read !== batched) {
      throw new Error(`replay child did not verify the run: ${replay.stdout}`)
    }
    emitRate("replay_verify_per_s", figures.verified, {
      wallMs: figures.verifyMs,
      cpuMs: figures.verifyCpuMs
    })
    emitRate("replay_read_per_s", figures.read, { wallMs: figures.readMs, cpuMs: figures.readCpuMs })
    emit("replay_peak_rss_mb", figures.maxRssKb / 1024, "MB")
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }

  const cli = join(ROOT, "projects/gauntlet/bin/gauntlet.mjs")
  if (existsSync(cli)) {
    const cliMs = timeCommand([cli, "--version"], 10)
    if (cliMs !== undefined) emit("cli_cold_start_ms", cliMs, "ms")
  } else {
    process.stderr.write(
      `bench events: ${cli} is missing (build the CLI first); skipping cli_cold_start_ms\n`
    )
  }
  const nodeMs = timeCommand(["-e", "0"], 10)
  if (nodeMs !== undefined) emit("node_cold_start_ms", nodeMs, "ms")
}
