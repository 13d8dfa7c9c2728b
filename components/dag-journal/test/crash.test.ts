import { spawn } from "node:child_process"
import { appendFileSync, mkdtempSync, readFileSync, rmSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { fileURLToPath } from "node:url"
import { describe, expect, it } from "@effect/vitest"
import { EventLog } from "@gauntlet/event-stream"
import { RunStore } from "@gauntlet/run-store"
import { Chunk, Effect, Stream } from "effect"
import { resumeDagDurably } from "../src/index.js"
import { CRASH_CONCURRENCY, CRASH_NODES, crashDag } from "./fixtures/crash-dag.js"
import { fileStores } from "./fixtures/stores.js"

const RUNNER = fileURLToPath(new URL("./fixtures/crash-runner.ts", import.meta.url))

/** How a child run ended: SIGKILLed after `killAfter` executions, or finished on its own first. */
type ChildEnd = { readonly killed: true; readonly ran: number } | { readonly killed: false }

/** Runs the crash runner in a child and SIGKILLs it once it reports `killAfter` executions. */
const runChild = (
  file: string,
  runId: string,
  counter: string,
  mode: "run" | "resume",
  seed: number,
  killAfter: number
) =>
  Effect.async<ChildEnd, Error>((resume) => {
    const child = spawn(
      process.execPath,
      ["--import", "tsx", RUNNER, file, runId, counter, mode, String(seed)],
      {
        stdio: ["ignore", "pipe", "pipe"]
      }
    )
    let ran = 0
    let killed = false
    let pending = ""
    let err = ""
    child.stdout.on("data", (chunk: Buffer) => {
      pending += chunk.toString()
      const lines = pending.split("\n")
      pending = lines.pop() ?? ""
      for (const line of lines) if (line.startsWith("ran ")) ran = Number(line.slice(4))
      if (!killed && ran >= killAfter) {
        killed = true
        child.kill("SIGKILL")
      }
    })
    child.stderr.on("data", (chunk) => {
      err += chunk
    })
    child.on("close", (code, signal) => {
      if (signal === "SIGKILL") resume(Effect.succeed({ killed: true, ran }))
      else if (code === 0) resume(Effect.succeed({ killed: false }))
      else resume(Effect.fail(new Error(`crash runner exited with ${code ?? signal}: ${err}`)))
    })
    return Effect.sync(() => child.kill("SIGKILL"))
  })

/** Node ids by how their row stands in the file right after a kill. */
const snapshot = (file: string, runId: string) =>
  Effect.provide(
    Effect.gen(function* () {
      const rows = yield* Effect.flatMap(RunStore, (store) => store.nodes(runId))
      return {
        succeeded: rows.filter((r) => r.status === "succeeded").map((r) => r.nodeId),
        running: rows.filter((r) => r.status === "running").map((r) => r.nodeId)
      }
    }),
    fileStores(file)
  )

const executionsPerNode = (counter: string): Map<string, number> => {
  const counts = new Map<string, number>()
  for (const line of readFileSync(counter, "utf8").split("\n")) {
    if (line !== "") counts.set(line, (counts.get(line) ?? 0) + 1)
  }
  return counts
}

describe("durable DAG after SIGKILL", () => {
  it.effect(
    "a run killed twice at random points resumes to success; only nodes in flight at a kill ran twice",
    () =>
      Effect.gen(function* () {
        const dir = mkdtempSync(join(tmpdir(), "gauntlet-dag-journal-crash-"))
        yield* Effect.addFinalizer(() => Effect.sync(() => rmSync(dir, { recursive: true, force: true })))
        const file = join(dir, "state.db")
        const counter = join(dir, "executions.log")
        const runId = "crash-run"
        const seed = 1 + Math.floor(Math.random() * 1000)
        const firstKill = 20 + Math.floor(Math.random() * 100)
        const secondKill = 10 + Math.floor(Math.random() * 40)
        const context = `seed ${seed}, kills after ${firstKill} then ${secondKill} executions`

        /** How many kills each node was in flight at (its start durable, its success not). */
        const inFlightAtKills = new Map<string, number>()
        const dependencies = new Map(crashDag(seed).nodes.map((n) => [n.id, n.dependsOn]))
        const durableAtFirstKill = new Set<string>()
        const kills: Array<{ readonly succeeded: number; readonly running: number }> = []
        for (const [mode, killAfter] of [
          ["run", firstKill],
          ["resume", secondKill]
        ] as const) {
          const end = yield* runChild(file, runId, counter, mode, seed, killAfter)
          if (!end.killed) continue
          const state = yield* snapshot(file, runId)
          kills.push({ succeeded: state.succeeded.length, running: state.running.length })
          // At most `concurrency` nodes can be in flight.
          expect(state.running.length, context).toBeLessThanOrEqual(CRASH_CONCURRENCY)
          // The durability rule: a node that began executing had its start and all its dependencies' successes durable.
          const succeeded = new Set(state.succeeded)
          const running = new Set(state.running)
          for (const [id] of executionsPerNode(counter)) {
            expect(succeeded.has(id) || running.has(id), `${id} ran unrecorded (${context})`).toBe(true)
            for (const dep of dependencies.get(id) ?? []) {
              expect(succeeded.has(dep), `${id} ran before ${dep} was durable (${context})`).toBe(true)
            }
          }
          // Every node whose success is durable ran once, plus once per earlier kill that caught it in flight.
          const counts = executionsPerNode(counter)
          for (const id of state.succeeded) {
            expect(counts.get(id), `${id} (${context})`).toBeGreaterThanOrEqual(1)
            expect(counts.get(id), `${id} (${context})`).toBeLessThanOrEqual(
              1 + (inFlightAtKills.get(id) ?? 0)
            )
          }
          if (kills.length === 1) for (const id of state.succeeded) durableAtFirstKill.add(id)
          for (const id of state.running) inFlightAtKills.set(id, (inFlightAtKills.get(id) ?? 0) + 1)
        }
        // The first child was killed after completions had become durable, and some runs were lost in flight.
        expect(kills[0]?.succeeded ?? 0, context).toBeGreaterThan(0)
        expect(durableAtFirstKill.size, context).toBe(kills[0]?.succeeded)

        const finished = yield* Effect.provide(
          Effect.gen(function* () {
            const outcome = yield* resumeDagDurably({
              runId,
              dag: crashDag(seed),
              concurrency: CRASH_CONCURRENCY,
              execute: (node) =>
                Effect.sync(() => {
                  appendFileSync(counter, `${node.id}\n`)
                  return { node: node.id }
                })
            })
            const rows = yield* Effect.flatMap(RunStore, (store) => store.nodes(runId))
            const log = yield* EventLog
            const events = Chunk.toReadonlyArray(yield* Stream.runCollect(log.read(runId)))
            const chain = yield* log.verifyChain(runId)
            return { outcome, rows, events, chain }
          }),
          fileStores(file)
        )
        expect(finished.outcome.result.status, context).toBe("succeeded")
        expect(finished.rows.length).toBe(CRASH_NODES)
        expect(finished.rows.every((r) => r.status === "succeeded")).toBe(true)
        expect(finished.chain.ok, context).toBe(true)
        expect(finished.events.map((e) => e.seq)).toEqual(finished.events.map((_, i) => i + 1))
        // Exactly one durable success event per node across all processes.
        const successes = finished.events
          .filter((e) => e.type === "task/succeeded")
          .map((e) => e.payload.taskId)
        expect(new Set(successes).size).toBe(CRASH_NODES)
        expect(successes.length).toBe(CRASH_NODES)

        const counts = executionsPerNode(counter)
        for (let i = 0; i < CRASH_NODES; i++) {
          const id = `n${i}`
          // A node ran once, plus once more for each kill that caught it in flight (and only then).
          const runs = counts.get(id) ?? 0
          if (durableAtFirstKill.has(id)) expect(runs, `${id} (${context})`).toBe(1)
          expect(runs, `${id} (${context})`).toBeGreaterThanOrEqual(1)
          expect(runs, `${id} (${context})`).toBeLessThanOrEqual(1 + (inFlightAtKills.get(id) ?? 0))
        }
      }).pipe(Effect.scoped),
    120_000
  )
})
