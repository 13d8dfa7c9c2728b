import { describe, expect, it } from "@effect/vitest"
import { isSha256Digest, sha256Digest } from "@gauntlet/canonical"
import { type EventDraft, EventLog } from "@gauntlet/event-stream"
import { Chunk, Effect, Fiber, Option, Stream } from "effect"
import { fileLogLayer } from "./fixtures/eventTypes.js"
import { countRows, tempStoreFile, withRawDb } from "./fixtures/tempStore.js"

const note = (runId: string, text: string, extra: Partial<EventDraft> = {}): EventDraft => ({
  runId,
  type: "test/noted",
  actor: "tester",
  payload: { text },
  ...extra
})
const counted = (runId: string, n: number, extra: Partial<EventDraft> = {}): EventDraft => ({
  runId,
  type: "test/counted",
  actor: "tester",
  payload: { n },
  ...extra
})

/** Runs `body` against a log on a fresh temp file; `body` also gets the file path. */
const onFreshStore = <A, E>(body: (log: EventLog["Type"], file: string) => Effect.Effect<A, E, EventLog>) =>
  Effect.scoped(
    Effect.flatMap(tempStoreFile, ({ file }) =>
      Effect.provide(
        Effect.flatMap(EventLog, (log) => body(log, file)),
        fileLogLayer(file)
      )
    )
  )

describe("EventLogSqlite contract", () => {
  it.effect("append assigns seq, chains prevHash and hashes the stored canonical text", () =>
    onFreshStore((log, file) =>
      Effect.gen(function* () {
        const first = yield* log.append(note("run-a", "hello"))
        const second = yield* log.append(note("run-a", "world"))
        expect(first.seq).toBe(1)
        expect(first.prevHash).toBeNull()
        expect(first.correlationId).toBe("run-a")
        expect(first.causationId).toBeNull()
        expect(isSha256Digest(first.hash)).toBe(true)
        expect(second.seq).toBe(2)
        expect(second.prevHash).toBe(first.hash)
        const stored = withRawDb(file, (db) =>
          db.prepare("SELECT seq, hash, canonical FROM events ORDER BY seq").all()
        ) as Array<{ seq: number; hash: string; canonical: string }>
        expect(stored.map((row) => row.seq)).toEqual([1, 2])
        for (const row of stored) expect(sha256Digest(row.canonical)).toBe(row.hash)
        expect(JSON.parse((stored[1] as { canonical: string }).canonical)).toEqual({
          ...second,
          hash: undefined
        })
      })
    )
  )

  it.effect("appendBatch stores all events in order and read replays exactly what was appended", () =>
    onFreshStore((log) =>
      Effect.gen(function* () {
        const drafts = [note("run-b", "a"), counted("run-b", 1), note("run-b", "b", { causationId: "c-1" })]
        const appended = yield* log.appendBatch(drafts)
        expect(appended.map((event) => event.seq)).toEqual([1, 2, 3])
        const replayed = Chunk.toReadonlyArray(yield* Stream.runCollect(log.read("run-b")))
        expect(replayed).toEqual(appended)
        const tail = Chunk.toReadonlyArray(yield* Stream.runCollect(log.read("run-b", 2)))
        expect(tail.map((event) => event.seq)).toEqual([2, 3])
        expect(tail[1]?.causationId).toBe("c-1")
        expect(Chunk.size(yield* Stream.runCollect(log.read("no-such-run")))).toBe(0)
        expect(yield* Stream.runCount(log.read("run-b", 0))).toBe(3)
        expect(yield* Stream.runCount(log.read("run-b", 4))).toBe(0)
        expect(yield* Stream.runCount(log.read("run-b", Number.POSITIVE_INFINITY))).toBe(0)
      })
    )
  )

  it.effect("read and verifyChain page through runs longer than one page", () =>
    onFreshStore((log) =>
      Effect.gen(function* () {
        const total = 4_500
        for (let start = 0; start < total; start += 1_000) {
          const size = Math.min(1_000, total - start)
          yield* log.appendBatch(Array.from({ length: size }, (_, i) => counted("run-long", start + i)))
        }
        const seqs = yield* Stream.runFold(log.read("run-long"), [] as Array<number>, (acc, event) => {
          acc.push(event.seq)
          return acc
        })
        expect(seqs.length).toBe(total)
        expect(seqs.every((seq, i) => seq === i + 1)).toBe(true)
        const fromMiddle = yield* Stream.runCount(log.read("run-long", 2_001))
        expect(fromMiddle).toBe(total - 2_000)
        const verdict = yield* log.verifyChain("run-long")
        const head = yield* log.head("run-long")
        expect(verdict).toEqual({
          ok: true,
          runId: "run-long",
          count: total,
          firstHash: expect.stringMatching(/^sha256:/),
          lastHash: head.hash,
          lastSeq: total
        })
      })
    )
  )

  it.effect("latestOfType, head and listRuns reflect the stored events", () =>
    onFreshStore((log) =>
      Effect.gen(function* () {
        expect(yield* log.head("run-c")).toEqual({ runId: "run-c", seq: 0, hash: null })
        yield* log.appendBatch([
          note("run-c", "one", { time: "2026-01-01T00:00:00.000Z" }),
          counted("run-c", 7),
          note("run-c", "two", { time: "2026-01-01T00:00:02.000Z" })
        ])
        const last = yield* log.append(counted("run-c", 8, { time: "2026-01-01T00:00:03.000Z" }))
        yield* log.append(note("run-d", "other run", { time: "2026-01-01T00:00:01.000Z" }))
        const latestNote = yield* log.latestOfType("run-c", "test/noted")
        expect(Option.map(latestNote, (event) => [event.seq, event.payload])).toEqual(
          Option.some([3, { text: "two" }])
        )
        expect(Option.map(yield* log.latestOfType("run-c", "test/counted"), (event) => event.seq)).toEqual(
          Option.some(4)
        )
        expect(Option.isNone(yield* log.latestOfType("run-c", "test/missing"))).toBe(true)
        expect(yield* log.head("run-c")).toEqual({ runId: "run-c", seq: 4, hash: last.hash })
        const runs = yield* log.listRuns()
        expect(runs.map((run) => run.runId)).toEqual(["run-d", "run-c"])
        expect(runs[1]).toEqual({
          runId: "run-c",
          events: 4,
          firstTime: "2026-01-01T00:00:00.000Z",
          lastTime: "2026-01-01T00:00:03.000Z",
          lastType: "test/counted"
        })
        expect((yield* log.listRuns({ limit: 1 })).map((run) => run.runId)).toEqual(["run-d"])
        yield* log.append(counted("run-c", 9))
        expect((yield* log.listRuns()).map((run) => run.runId)).toEqual(["run-c", "run-d"])
      })
    )
  )

  it.effect("an unknown type, an invalid payload or a stale expectedSeq fail typed and write nothing", () =>
    onFreshStore((log, file) =>
      Effect.gen(function* () {
        yield* log.append(note("run-e", "kept"))
        const before = countRows(file)
        const unknown = yield* Effect.flip(log.append({ ...note("run-e", "x"), type: "test/unheard-of" }))
        expect(unknown._tag).toBe("UnknownEventType")
        const invalid = yield* Effect.flip(
          log.appendBatch([
            note("run-e", "fine"),
            { runId: "run-e", type: "test/counted", actor: "t", payload: { n: "x" } }
          ])
        )
        expect(invalid).toMatchObject({ _tag: "InvalidEvent", type: "test/counted", pointer: "/1/payload/n" })
        const stale = yield* Effect.flip(log.append(note("run-e", "late"), { expectedSeq: 0 }))
        expect(stale).toMatchObject({ _tag: "SeqConflict", runId: "run-e", expectedSeq: 0, actualSeq: 1 })
        const mixed = yield* Effect.flip(log.appendBatch([note("run-e", "a"), note("run-f", "b")]))
        expect(mixed).toMatchObject({ _tag: "InvalidEvent", pointer: "/1/runId" })
        expect(countRows(file)).toBe(before)
        expect(yield* log.head("run-e")).toMatchObject({ seq: 1 })
        expect(Option.isNone(yield* log.latestOfType("run-f", "test/noted"))).toBe(true)
        const ok = yield* log.append(note("run-e", "next"), { expectedSeq: 1 })
        expect(ok.seq).toBe(2)
      })
    )
  )

  it.effect("a duplicate event id is refused without writing", () =>
    onFreshStore((log, file) =>
      Effect.gen(function* () {
        yield* log.append(note("run-g", "a", { id: "fixed-id" }))
        const error = yield* Effect.flip(log.append(note("run-h", "b", { id: "fixed-id" })))
        expect(error).toMatchObject({ _tag: "InvalidEvent", pointer: "/id" })
        expect(error.message).toContain("event id fixed-id is already stored")
        const inBatch = yield* Effect.flip(
          log.appendBatch([note("run-h", "b", { id: "new-1" }), note("run-h", "c", { id: "fixed-id" })])
        )
        expect(inBatch).toMatchObject({ _tag: "InvalidEvent", pointer: "/1/id" })
        const twice = yield* Effect.flip(
          log.appendBatch([note("run-h", "b", { id: "new-2" }), note("run-h", "c", { id: "new-2" })])
        )
        expect(twice).toMatchObject({ _tag: "InvalidEvent", pointer: "/1/id" })
        expect(twice.message).toContain("already used earlier in this batch")
        expect(countRows(file)).toBe(1)
        expect(yield* log.head("run-h")).toEqual({ runId: "run-h", seq: 0, hash: null })
      })
    )
  )

  it.effect("a row another writer put at the next seq makes appends fail SeqConflict, writing nothing", () =>
    onFreshStore((log, file) =>
      Effect.gen(function* () {
        const first = yield* log.append(note("run-x", "ours"))
        // A foreign writer that does not follow the store's protocol (no head update) takes seq 2.
        withRawDb(file, (db) =>
          db
            .prepare(
              "INSERT INTO events (run_id, seq, id, type, time, hash, canonical) VALUES (?, 2, ?, ?, ?, ?, ?)"
            )
            .run("run-x", "foreign-id", "test/noted", first.time, first.hash, "{}")
        )
        const withExpected = yield* Effect.flip(log.append(note("run-x", "a"), { expectedSeq: 1 }))
        expect(withExpected).toMatchObject({
          _tag: "SeqConflict",
          runId: "run-x",
          expectedSeq: 1,
          actualSeq: 2
        })
        const plain = yield* Effect.flip(log.appendBatch([note("run-x", "b"), note("run-x", "c")]))
        expect(plain).toMatchObject({ _tag: "SeqConflict", runId: "run-x", expectedSeq: 1, actualSeq: 2 })
        expect(countRows(file)).toBe(2)
        expect(yield* log.head("run-x")).toEqual({ runId: "run-x", seq: 1, hash: first.hash })
      })
    )
  )

  it.effect("events survive closing and reopening the file", () =>
    Effect.scoped(
      Effect.gen(function* () {
        const { file } = yield* tempStoreFile
        const appended = yield* Effect.provide(
          Effect.flatMap(EventLog, (log) => log.appendBatch([note("run-p", "a"), counted("run-p", 2)])),
          fileLogLayer(file)
        )
        const reopened = yield* Effect.provide(
          Effect.flatMap(EventLog, (log) =>
            Effect.all([
              Stream.runCollect(log.read("run-p")),
              log.verifyChain("run-p"),
              log.append(note("run-p", "c"))
            ])
          ),
          fileLogLayer(file)
        )
        expect(Chunk.toReadonlyArray(reopened[0])).toEqual(appended)
        expect(reopened[1]).toMatchObject({ ok: true, count: 2 })
        expect(reopened[2]).toMatchObject({ seq: 3, prevHash: appended[1]?.hash })
      })
    )
  )

  it.effect(
    "concurrent fibers: plain appends all land in order; of racing expectedSeq appends exactly one wins",
    () =>
      onFreshStore((log) =>
        Effect.gen(function* () {
          const plain = yield* Effect.all(
            Array.from({ length: 30 }, (_, i) => log.append(counted("run-race", i))),
            { concurrency: "unbounded" }
          )
          expect(plain.map((event) => event.seq).sort((a, b) => a - b)).toEqual(
            Array.from({ length: 30 }, (_, i) => i + 1)
          )
          const racing = yield* Effect.all(
            Array.from({ length: 10 }, (_, i) =>
              Effect.either(log.append(counted("run-race", 100 + i), { expectedSeq: 30 }))
            ),
            { concurrency: "unbounded" }
          )
          const winners = racing.filter((outcome) => outcome._tag === "Right")
          const losers = racing.filter((outcome) => outcome._tag === "Left")
          expect(winners.length).toBe(1)
          expect(losers.map((outcome) => outcome.left)).toEqual(
            Array.from({ length: 9 }, () =>
              expect.objectContaining({ _tag: "SeqConflict", expectedSeq: 30, actualSeq: 31 })
            )
          )
          expect(yield* log.verifyChain("run-race")).toMatchObject({ ok: true, count: 31 })
        })
      )
  )

  it.effect("a live subscriber sees appended events of its run", () =>
    onFreshStore((log) =>
      Effect.scoped(
        Effect.gen(function* () {
          const live = yield* log.subscribe({ runId: "run-live" })
          const collector = yield* Effect.fork(Stream.runCollect(Stream.take(live, 3)))
          yield* log.append(note("other-run", "not for this subscriber"))
          const appended = yield* log.appendBatch([note("run-live", "1"), note("run-live", "2")])
          const third = yield* log.append(counted("run-live", 3))
          const seen = Chunk.toReadonlyArray(yield* Fiber.join(collector))
          expect(seen).toEqual([...appended, third])
        })
      )
    )
  )
})
