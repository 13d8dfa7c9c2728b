/**
 * @module bench/dag-child
 * Child process of the dag benchmark (bundled by `bench/dag.ts`, run in a fresh Node): runs one scenario and prints
 * one JSON object with its timings and the process's peak RSS.
 * - `sqlite <dir> <nodes>`: a durable run (`runDagDurably`, events + node rows per completion) on a new SQLite file;
 *   `sqlite-lean <dir> <nodes>`: the same without `task/ready` events (`readyEvents: false`);
 * - `plain <nodes>`: the same DAG with `runDag` alone (the baseline for the per-node overhead);
 * - `memory <nodes>`: `runDag` alone on a 100,000-node DAG; `memory-journal <nodes>`: `runDagDurably` in memory;
 * - `resume <dir> <nodes>`: a durable run cancelled after half its nodes, then resumed on a freshly opened store:
 *   the time from calling `resumeDagDurably` to the first new `task/succeeded`.
 */
import { join } from "node:path"
import { Ids } from "@gauntlet/canonical"
import { type DagNode, type DagSpec, runDag } from "@gauntlet/dag"
import { resumeDagDurably, runDagDurably } from "@gauntlet/dag-journal"
import { EventLogMemory } from "@gauntlet/event-store-memory"
import { coreEventTypes, EventTypes } from "@gauntlet/event-stream"
import { RunStoreMemory } from "@gauntlet/run-store-memory"
import { RunStoreSqlite } from "@gauntlet/run-store-sqlite"
import { Deferred, Effect, Layer } from "effect"

/** Concurrency of every scenario: the DAG's width. */
const WIDTH = 100
const AVG_DEPS = 3

/** mulberry32: reproducible random numbers from a seed. */
const seededRandom = (seed: number) => {
  let a = seed >>> 0
  return () => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

/** A random layered DAG: layers of `WIDTH` nodes, each node depending on 0..6 (avg 3) nodes of earlier layers. */
const randomDag = (nodes: number): DagSpec => {
  const random = seededRandom(42)
  const spec: Array<DagNode> = []
  for (let i = 0; i < nodes; i++) {
    const layerStart = Math.floor(i / WIDTH) * WIDTH
    const deps = new Set<string>()
    if (layerStart > 0) {
      const count = Math.floor(random() * (AVG_DEPS * 2 + 1))
      for (let k = 0; k < count; k++) {
        const lo = random() < 0.8 ? Math.max(0, layerStart - WIDTH) : 0
        deps.add(`n${lo + Math.floor(random() * (layerStart - lo))}`)
      }
    }
    spec.push({ id: `n${i}`, dependsOn: [...deps] })
  }
  return { nodes: spec }
}

const kernelTypes = Layer.merge(EventTypes.layer(coreEventTypes), Ids.layer)
const sqliteStores = (file: string) => RunStoreSqlite.layerFile(file).pipe(Layer.provide(kernelTypes))
const memoryStores = Layer.provideMerge(RunStoreMemory.layer, EventLogMemory.layer).pipe(
  Layer.provide(kernelTypes)
)

const noop = () => Effect.succeed(null)

const timed = <A, E, R>(effect: Effect.Effect<A, E, R>) =>
  Effect.gen(function* () {
    const t0 = performance.now()
    const cpu0 = process.cpuUsage()
    const value = yield* effect
    const cpu = process.cpuUsage(cpu0)
    return { value, ms: performance.now() - t0, cpuMs: (cpu.user + cpu.system) / 1000 }
  })

const [scenario, ...args] = process.argv.slice(2)

const sqlite = (dir: string, nodes: number, readyEvents: boolean) =>
  Effect.gen(function* () {
    const dag = randomDag(nodes)
    const run = yield* timed(
      runDagDurably({ runId: "bench-sqlite", dag, concurrency: WIDTH, execute: noop, readyEvents })
    )
    if (run.value.result.status !== "succeeded")
      return yield* Effect.dieMessage(`run ${run.value.result.status}`)
    return { nodes, ms: run.ms, cpuMs: run.cpuMs, journal: run.value.journal }
  }).pipe(Effect.provide(sqliteStores(join(dir, "sqlite.db"))))

const plain = (nodes: number) =>
  Effect.gen(function* () {
    const dag = randomDag(nodes)
    const run = yield* timed(runDag({ dag, concurrency: WIDTH, execute: noop }))
    return { nodes, ms: run.ms, cpuMs: run.cpuMs }
  })

const memoryJournal = (nodes: number) =>
  Effect.gen(function* () {
    const dag = randomDag(nodes)
    const run = yield* timed(runDagDurably({ runId: "bench-memory", dag, concurrency: WIDTH, execute: noop }))
    return { nodes, ms: run.ms, cpuMs: run.cpuMs, journal: run.value.journal }
  }).pipe(Effect.provide(memoryStores))

const resume = (dir: string, nodes: number) =>
  Effect.gen(function* () {
    const file = join(dir, "resume.db")
    const dag = randomDag(nodes)
    const half = yield* Deferred.make<void>()
    let ran = 0
    const first = yield* runDagDurably({
      runId: "bench-resume",
      dag,
      concurrency: WIDTH,
      cancel: Deferred.await(half),
      execute: () => (++ran >= nodes / 2 ? Effect.as(Deferred.succeed(half, undefined), null) : noop())
    }).pipe(Effect.provide(sqliteStores(file)))
    const firstCompletion = yield* Deferred.make<number>()
    return yield* Effect.gen(function* () {
      const t0 = performance.now()
      const second = yield* resumeDagDurably({
        runId: "bench-resume",
        dag,
        concurrency: WIDTH,
        execute: noop,
        onEvent: (event) =>
          event.type === "task/succeeded"
            ? Effect.asVoid(Deferred.succeed(firstCompletion, performance.now() - t0))
            : Effect.void
      })
      const firstMs = yield* Deferred.await(firstCompletion)
      return {
        nodes,
        restored: second.restored,
        completedBefore: first.result.counts.succeeded,
        firstCompletionMs: firstMs,
        resumeTotalMs: performance.now() - t0,
        status: second.result.status
      }
    }).pipe(Effect.provide(sqliteStores(file)))
  })

const programs: Record<string, () => Effect.Effect<unknown, unknown>> = {
  sqlite: () => sqlite(args[0] as string, Number(args[1]), true),
  "sqlite-lean": () => sqlite(args[0] as string, Number(args[1]), false),
  plain: () => plain(Number(args[0])),
  memory: () => plain(Number(args[0])),
  "memory-journal": () => memoryJournal(Number(args[0])),
  resume: () => resume(args[0] as string, Number(args[1]))
}

const program = scenario === undefined ? undefined : programs[scenario]
if (program === undefined) {
  process.stderr.write(`usage: dag-child.js <${Object.keys(programs).join("|")}> [dir] <nodes>\n`)
  process.exit(2)
}
const result = await Effect.runPromise(program())
process.stdout.write(
  `${JSON.stringify({ ...(result as object), maxRssKb: process.resourceUsage().maxRSS })}\n`
)
