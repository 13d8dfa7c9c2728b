import { spawn } from "node:child_process"
import { join } from "node:path"
import { fileURLToPath } from "node:url"
import { describe, expect, it } from "@effect/vitest"
import { EventLog } from "@gauntlet/event-stream"
import { RunJournal, RunStore } from "@gauntlet/run-store"
import Database from "better-sqlite3"
import { Effect, Option } from "effect"
import { newRun, succeeded } from "./fixtures/drafts.js"
import { fileStores, tempDir } from "./fixtures/stores.js"

const CONTENDER = fileURLToPath(new URL("./fixtures/contender.ts", import.meta.url))

interface ContenderReport {
  readonly committed: number
  readonly conflicts: number
  readonly otherErrors: ReadonlyArray<string>
}

const runContender = (file: string, runId: string, records: number) =>
  Effect.async<ContenderReport, Error>((resume) => {
    const child = spawn(process.execPath, ["--import", "tsx", CONTENDER, file, runId, String(records)], {
      stdio: ["ignore", "pipe", "pipe"]
    })
    let out = ""
    let err = ""
    child.stdout.on("data", (chunk) => {
      out += chunk
    })
    child.stderr.on("data", (chunk) => {
      err += chunk
    })
    child.on("close", (code) => {
      if (code === 0) resume(Effect.succeed(JSON.parse(out) as ContenderReport))
      else resume(Effect.fail(new Error(`contender exited ${code}: ${err}`)))
    })
    return Effect.sync(() => child.kill("SIGKILL"))
  })

describe("RunStoreSqlite across processes", () => {
  it.effect(
    "three processes checkpointing one run at the version they read: every commit lands exactly once",
    () =>
      Effect.scoped(
        Effect.gen(function* () {
          const file = join(yield* tempDir, "state.db")
          yield* Effect.provide(
            Effect.flatMap(RunStore, (store) => store.create(newRun("shared"))),
            fileStores(file)
          )
          const perProcess = 25
          const reports = yield* Effect.all(
            [
              runContender(file, "shared", perProcess),
              runContender(file, "shared", perProcess),
              runContender(file, "shared", perProcess)
            ],
            { concurrency: "unbounded" }
          )
          for (const report of reports) {
            expect(report.committed).toBe(perProcess)
            expect(report.otherErrors).toEqual([])
          }
          const total = perProcess * reports.length
          yield* Effect.provide(
            Effect.gen(function* () {
              const store = yield* RunStore
              const log = yield* EventLog
              const run = Option.getOrThrow(yield* store.get("shared"))
              expect(run.version).toBe(total)
              expect(run.eventSeq).toBe(total)
              expect((yield* log.head("shared")).seq).toBe(total)
              expect(yield* store.nodes("shared")).toHaveLength(total)
              expect((yield* log.verifyChain("shared")).ok).toBe(true)
            }),
            fileStores(file)
          )
        })
      ),
    60_000
  )

  it.effect(
    "another connection holding the write lock past the busy timeout fails busy and writes nothing",
    () =>
      Effect.scoped(
        Effect.gen(function* () {
          const file = join(yield* tempDir, "state.db")
          yield* Effect.provide(
            Effect.flatMap(RunStore, (store) => store.create(newRun("r-1"))),
            fileStores(file)
          )
          // The store is open first (opening migrates under the lock too); then another connection takes the write
          // lock and keeps it until the inner scope closes.
          const error = yield* Effect.provide(
            Effect.scoped(
              Effect.gen(function* () {
                const journal = yield* RunJournal
                yield* Effect.acquireRelease(
                  Effect.sync(() => {
                    const holder = new Database(file)
                    holder.exec("BEGIN IMMEDIATE")
                    return holder
                  }),
                  (holder) =>
                    Effect.sync(() => {
                      holder.exec("ROLLBACK")
                      holder.close()
                    })
                )
                return yield* Effect.flip(journal.record({ runId: "r-1", events: [succeeded("r-1", "a")] }))
              })
            ),
            fileStores(file, { busyTimeoutMs: 100 })
          )
          expect(error).toMatchObject({ _tag: "StoreFailure", reason: "busy", store: file })
          yield* Effect.provide(
            Effect.gen(function* () {
              expect(Option.getOrThrow(yield* (yield* RunStore).get("r-1")).version).toBe(0)
              expect((yield* (yield* EventLog).head("r-1")).seq).toBe(0)
            }),
            fileStores(file)
          )
        })
      )
  )
})
