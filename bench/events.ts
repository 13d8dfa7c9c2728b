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
import { benchLogLayer, benchPayload } from "./event-types.js"

const HERE = dirname(fileURLToPath(import.meta.url))
const ROOT = resolve(HERE, "..")
const BATCH = 1000

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
    const batchedStart = performance.now()
    for (let done = 0; done < batched; done += BATCH) {
      yield* log.appendBatch(draftsFor(batchedRun, done, Math.min(BATCH, batched - done)))
    }
    const batchedMs = performance.now() - batchedStart
    const singleStart = performance.now()
    for (let i = 0; i < singles; i++) yield* log.append(draftsFor(singleRun, i, 1)[0] as EventDraft)
    const singleMs = performance.now() - singleStart
    return { batchedMs, singleMs }
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
    const { batchedMs, singleMs } = await Effect.runPromise(
      appendWorkload(filename, batchedRun, batched, "bench-single", singles)
    )
    emit("append_batched_per_s", (batched / batchedMs) * 1000, "events/s")
    emit("append_single_per_s", (singles / singleMs) * 1000, "events/s")

    const replay = spawnSync(
      process.execPath,
      ["--import", "tsx", join(HERE, "events-replay.ts"), filename, batchedRun],
      { cwd: ROOT, encoding: "utf8", maxBuffer: 1 << 20 }
    )
    if (replay.status !== 0) throw new Error(`replay child exited ${replay.status}: ${replay.stderr}`)
    const figures = JSON.parse(replay.stdout) as {
      ok: boolean
      verified: number
      verifyMs: number
      read: number
      readMs: number
      maxRssKb: number
    }
    if (!figures.ok || figures.verified !== batched || figures.read !== batched) {
      throw new Error(`replay child did not verify the run: ${replay.stdout}`)
    }
    emit("replay_verify_per_s", (figures.verified / figures.verifyMs) * 1000, "events/s")
    emit("replay_read_per_s", (figures.read / figures.readMs) * 1000, "events/s")
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
