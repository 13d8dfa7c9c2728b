import { truncateSync, writeFileSync } from "node:fs"
import { join } from "node:path"
import { describe, expect, it } from "@effect/vitest"
import { sha256Digest } from "@gauntlet/canonical"
import { type EventDraft, EventLog, StoreFailure } from "@gauntlet/event-stream"
import Database from "better-sqlite3"
import { Cause, Effect, Exit, Stream } from "effect"
import { fileLogLayer } from "./fixtures/eventTypes.js"
import { tempStoreFile, withRawDb } from "./fixtures/tempStore.js"

const counted = (runId: string, n: number): EventDraft => ({
  runId,
  type: "test/counted",
  actor: "tester",
  payload: { n }
})

/** Appends `count` events to `runId` in a store on `file`, then closes the store. */
const seedRun = (file: string, runId: string, count: number) =>
  Effect.provide(
    Effect.flatMap(EventLog, (log) =>
      Effect.forEach(
        Array.from({ length: Math.ceil(count / 1000) }, (_, b) => b),
        (b) =>
          log.appendBatch(
            Array.from({ length: Math.min(1000, count - b * 1000) }, (_, i) => counted(runId, b * 1000 + i))
          ),
        { discard: true }
      )
    ),
    fileLogLayer(file)
  )

const verifyOnFile = (file: string, runId: string) =>
  Effect.provide(
    Effect.flatMap(EventLog, (log) => log.verifyChain(runId)),
    fileLogLayer(file)
  )

/** Opens the file and verifies + replays the run; returns the StoreFailure wherever it surfaced. */
const storeFailureOf = (file: string) =>
  Effect.flatMap(
    Effect.exit(
      Effect.provide(
        Effect.flatMap(EventLog, (log) =>
          Effect.zipRight(log.verifyChain("run-t"), Stream.runDrain(log.read("run-t")))
        ),
        fileLogLayer(file)
      )
    ),
    (exit) => {
      if (Exit.isSuccess(exit)) return Effect.dieMessage("expected the store to fail")
      const failure = Cause.failureOption(exit.cause)
      if (failure._tag === "Some" && failure.value instanceof StoreFailure)
        return Effect.succeed(failure.value)
      return Effect.dieMessage(`expected a StoreFailure, got ${Cause.pretty(exit.cause)}`)
    }
  )

describe("EventLogSqlite tamper evidence and damaged files", () => {
  it.effect("a payload byte edited by hand is reported as hash-mismatch at that seq", () =>
    Effect.scoped(
      Effect.gen(function* () {
        const { file } = yield* tempStoreFile
        yield* seedRun(file, "run-t", 10)
        withRawDb(file, (db) => {
          const row = db
            .prepare("SELECT canonical FROM events WHERE run_id = ? AND seq = 6")
            .get("run-t") as {
            canonical: string
          }
          const edited = row.canonical.replace('"payload":{"n":5}', '"payload":{"n":6}')
          expect(edited).not.toBe(row.canonical)
          db.prepare("UPDATE events SET canonical = ? WHERE run_id = ? AND seq = 6").run(edited, "run-t")
        })
        const verdict = yield* verifyOnFile(file, "run-t")
        expect(verdict).toMatchObject({ ok: false, brokenSeq: 6, reason: "hash-mismatch", count: 5 })
      })
    )
  )

  it.effect("a deleted row is reported as seq-gap at the missing seq", () =>
    Effect.scoped(
      Effect.gen(function* () {
        const { file } = yield* tempStoreFile
        yield* seedRun(file, "run-t", 10)
        withRawDb(file, (db) => db.prepare("DELETE FROM events WHERE run_id = ? AND seq = 4").run("run-t"))
        expect(yield* verifyOnFile(file, "run-t")).toMatchObject({
          ok: false,
          brokenSeq: 4,
          reason: "seq-gap"
        })
      })
    )
  )

  it.effect("deleting the last events is caught against the recorded head", () =>
    Effect.scoped(
      Effect.gen(function* () {
        const { file } = yield* tempStoreFile
        yield* seedRun(file, "run-t", 10)
        withRawDb(file, (db) => db.prepare("DELETE FROM events WHERE run_id = ? AND seq >= 9").run("run-t"))
        expect(yield* verifyOnFile(file, "run-t")).toMatchObject({
          ok: false,
          brokenSeq: 9,
          reason: "seq-gap",
          count: 8
        })
      })
    )
  )

  it.effect("a row replaced with a re-hashed edit breaks the next event's prevHash", () =>
    Effect.scoped(
      Effect.gen(function* () {
        const { file } = yield* tempStoreFile
        yield* seedRun(file, "run-t", 10)
        withRawDb(file, (db) => {
          const row = db
            .prepare("SELECT canonical FROM events WHERE run_id = ? AND seq = 3")
            .get("run-t") as {
            canonical: string
          }
          const edited = row.canonical.replace('"payload":{"n":2}', '"payload":{"n":200}')
          db.prepare("UPDATE events SET canonical = ?, hash = ? WHERE run_id = ? AND seq = 3").run(
            edited,
            sha256Digest(edited),
            "run-t"
          )
        })
        expect(yield* verifyOnFile(file, "run-t")).toMatchObject({
          ok: false,
          brokenSeq: 4,
          reason: "prev-mismatch"
        })
      })
    )
  )

  it.effect("replaying a row whose stored text is not JSON fails corrupt, naming the run and seq", () =>
    Effect.scoped(
      Effect.gen(function* () {
        const { file } = yield* tempStoreFile
        yield* seedRun(file, "run-t", 10)
        withRawDb(file, (db) =>
          db.prepare("UPDATE events SET canonical = '{broken' WHERE run_id = ? AND seq = 7").run("run-t")
        )
        const failure = yield* Effect.flip(
          Effect.provide(
            Effect.flatMap(EventLog, (log) => Stream.runDrain(log.read("run-t"))),
            fileLogLayer(file)
          )
        )
        expect(failure).toMatchObject({ _tag: "StoreFailure", reason: "corrupt", store: file })
        expect(failure.message).toContain("run run-t seq 7")
        expect(yield* verifyOnFile(file, "run-t")).toMatchObject({
          ok: false,
          brokenSeq: 7,
          reason: "hash-mismatch"
        })
      })
    )
  )

  it.effect("a file that is not SQLite fails corrupt, naming the file, without a stack trace", () =>
    Effect.scoped(
      Effect.gen(function* () {
        const { file } = yield* tempStoreFile
        writeFileSync(file, "this is a plain text file, not a database\n".repeat(200))
        const failure = yield* storeFailureOf(file)
        expect(failure.reason).toBe("corrupt")
        expect(failure.message).toContain(file)
        expect(failure.message).not.toMatch(/\n\s+at /)
        expect(failure.detail).toContain("not a database")
      })
    )
  )

  it.effect("a truncated SQLite file fails corrupt, naming the file", () =>
    Effect.scoped(
      Effect.gen(function* () {
        const { file } = yield* tempStoreFile
        yield* seedRun(file, "run-t", 5000)
        withRawDb(file, (db) => db.pragma("wal_checkpoint(TRUNCATE)"))
        truncateSync(file, 64 * 1024)
        const failure = yield* storeFailureOf(file)
        expect(failure.reason).toBe("corrupt")
        expect(failure.message).toContain(file)
        expect(failure.message).not.toMatch(/\n\s+at /)
      })
    )
  )

  it.effect("a file in a missing directory fails unavailable, naming the file", () =>
    Effect.scoped(
      Effect.gen(function* () {
        const { dir } = yield* tempStoreFile
        const file = join(dir, "no-such-dir", "events.db")
        const failure = yield* storeFailureOf(file)
        expect(failure).toMatchObject({ reason: "unavailable", store: file })
      })
    )
  )

  it.effect("a write lock held by another connection past busy_timeout fails busy and writes nothing", () =>
    Effect.scoped(
      Effect.gen(function* () {
        const { file } = yield* tempStoreFile
        yield* seedRun(file, "run-t", 3)
        const holder = new Database(file)
        yield* Effect.addFinalizer(() => Effect.sync(() => holder.close()))
        const failure = yield* Effect.provide(
          Effect.flatMap(EventLog, (log) =>
            Effect.gen(function* () {
              holder.exec("BEGIN IMMEDIATE")
              const error = yield* Effect.flip(log.append(counted("run-t", 99)))
              holder.exec("ROLLBACK")
              const after = yield* log.append(counted("run-t", 100))
              expect(after.seq).toBe(4)
              return error
            })
          ),
          fileLogLayer(file, { busyTimeoutMs: 50 })
        )
        expect(failure).toMatchObject({ _tag: "StoreFailure", reason: "busy", store: file })
        expect(failure.message).toContain("SQLITE_BUSY")
      })
    )
  )

  it.effect("a SQLite file of another application is refused as not a Gauntlet store", () =>
    Effect.scoped(
      Effect.gen(function* () {
        const { file } = yield* tempStoreFile
        withRawDb(file, (db) => db.exec("CREATE TABLE events (what TEXT, happened_at TEXT)"))
        const failure = yield* storeFailureOf(file)
        expect(failure.reason).toBe("corrupt")
        expect(failure.detail).toContain("not a Gauntlet event store")
        expect(
          withRawDb(file, (db) =>
            db.prepare("SELECT COUNT(*) AS n FROM sqlite_master WHERE name = 'runs'").get()
          )
        ).toEqual({ n: 0 })
      })
    )
  )

  it.effect("a store written by a newer schema version is refused, not guessed at", () =>
    Effect.scoped(
      Effect.gen(function* () {
        const { file } = yield* tempStoreFile
        yield* seedRun(file, "run-t", 1)
        withRawDb(file, (db) =>
          db
            .prepare(
              "INSERT INTO schema_migrations (component, version, name, applied_at) VALUES (?, ?, ?, ?)"
            )
            .run("event-store", 99, "from the future", "2030-01-01T00:00:00.000Z")
        )
        const failure = yield* storeFailureOf(file)
        expect(failure.reason).toBe("unavailable")
        expect(failure.detail).toContain("schema version 99 is newer")
      })
    )
  )
})
