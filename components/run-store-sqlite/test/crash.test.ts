import { spawn } from "node:child_process"
import { join } from "node:path"
import { fileURLToPath } from "node:url"
import { describe, expect, it } from "@effect/vitest"
import { EventLog } from "@gauntlet/event-stream"
import { RunStore } from "@gauntlet/run-store"
import { Effect, Option } from "effect"
import { fileStores, tempDir } from "./fixtures/stores.js"

const RECORDER = fileURLToPath(new URL("./fixtures/recorder.ts", import.meta.url))

/**
 * Starts the recorder in a real child process and SIGKILLs it once it has reported `killAfter` commits, i.e. while
 * it is in the middle of its next `record` calls. Resolves with the last version the child reported.
 */
const recordUntilKilled = (file: string, runId: string, perRecord: number, killAfter: number) =>
  Effect.async<number, Error>((resume) => {
    const child = spawn(process.execPath, ["--import", "tsx", RECORDER, file, runId, String(perRecord)], {
      stdio: ["ignore", "pipe", "pipe"]
    })
    let lastReported = 0
    let killed = false
    let pending = ""
    let err = ""
    child.stdout.on("data", (chunk: Buffer) => {
      pending += chunk.toString()
      const lines = pending.split("\n")
      pending = lines.pop() ?? ""
      for (const line of lines) lastReported = Number(line)
      if (!killed && lastReported >= killAfter) {
        killed = true
        child.kill("SIGKILL")
      }
    })
    child.stderr.on("data", (chunk) => {
      err += chunk
    })
    child.on("close", (_code, signal) => {
      if (signal === "SIGKILL") resume(Effect.succeed(lastReported))
      else resume(Effect.fail(new Error(`recorder ended without being killed (signal ${signal}): ${err}`)))
    })
    return Effect.sync(() => child.kill("SIGKILL"))
  })

describe("RunStoreSqlite after a crash", () => {
  it.effect(
    "a child SIGKILLed in the middle of many record calls leaves a file that opens, verifies and agrees with itself",
    () =>
      Effect.scoped(
        Effect.gen(function* () {
          const dir = yield* tempDir
          const file = join(dir, "state.db")
          const perRecord = 7
          let durable = 0
          for (const round of [1, 2, 3]) {
            const reported = yield* recordUntilKilled(file, "crashy", perRecord, durable + 20 + round * 7)
            durable = yield* Effect.provide(
              Effect.gen(function* () {
                const store = yield* RunStore
                const log = yield* EventLog
                const run = Option.getOrThrow(yield* store.get("crashy"))
                const head = yield* log.head("crashy")
                const chain = yield* log.verifyChain("crashy")
                const nodes = yield* store.nodes("crashy")
                // Everything the child reported is durable; at most the commits after its last report are extra.
                expect(run.version).toBeGreaterThanOrEqual(reported)
                expect(chain.ok).toBe(true)
                // The checkpoint and the events moved together: no half-written record.
                expect(head.seq).toBe(run.version * perRecord)
                expect(run.eventSeq).toBe(head.seq)
                expect(nodes.length).toBe(run.version * perRecord)
                expect(run.state).toEqual({ completed: run.version * perRecord })
                return run.version
              }),
              fileStores(file)
            )
          }
          expect(durable).toBeGreaterThanOrEqual(20 + 27 + 21)
        })
      ),
    60_000
  )
})
