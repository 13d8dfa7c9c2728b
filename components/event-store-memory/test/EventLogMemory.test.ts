import { describe, expect, it, layer } from "@effect/vitest"
import { EventLog, isStreamOverflow, type RunEvent } from "@gauntlet/event-stream"
import { Chunk, Effect, Exit, Fiber, Option, Stream, TestClock } from "effect"
import { move, RUN, TestLog } from "./support.js"

const readAll = (runId: string, fromSeq?: number) =>
  Effect.flatMap(EventLog, (log) => Stream.runCollect(log.read(runId, fromSeq))).pipe(
    Effect.map(Chunk.toArray)
  )

layer(TestLog)("EventLogMemory", (it) => {
  it.effect("appends, assigns seq 1.. and chains prevHash, with time from the Clock and ids from Ids", () =>
    Effect.gen(function* () {
      const log = yield* EventLog
      const runId = "run-basic"
      yield* TestClock.setTime(Date.parse("2026-11-29T12:00:00.000Z"))
      const first = yield* log.append(move(1, "c", runId))
      const [second, third] = yield* log.appendBatch([move(2, "c", runId), move(3, "c", runId)])
      expect(first).toMatchObject({
        seq: 1,
        prevHash: null,
        time: "2026-11-29T12:00:00.000Z",
        correlationId: runId
      })
      expect(first.id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7/)
      expect(second!.seq).toBe(2)
      expect(second!.prevHash).toBe(first.hash)
      expect(third!.prevHash).toBe(second!.hash)
      expect(yield* log.head(runId)).toEqual({ runId, seq: 3, hash: third!.hash })
      expect(yield* log.head("run-none")).toEqual({ runId: "run-none", seq: 0, hash: null })
    })
  )

  it.effect("replays from any seq exactly what was appended", () =>
    Effect.gen(function* () {
      const log = yield* EventLog
      const runId = "run-replay"
      const appended = yield* log.appendBatch([
        move(1, "a", runId, "é😀"),
        move(-4, "b", runId),
        move(9, "a", runId)
      ])
      expect(yield* readAll(runId)).toEqual(appended)
      expect(yield* readAll(runId, 2)).toEqual(appended.slice(1))
      expect(yield* readAll(runId, 4)).toEqual([])
    })
  )

  it.effect("refuses a stale expectedSeq with SeqConflict and writes nothing", () =>
    Effect.gen(function* () {
      const log = yield* EventLog
      const runId = "run-conflict"
      yield* log.append(move(1, "c", runId), { expectedSeq: 0 })
      const stale = yield* Effect.flip(log.append(move(1, "c", runId), { expectedSeq: 0 }))
      expect(stale).toMatchObject({ _tag: "SeqConflict", runId, expectedSeq: 0, actualSeq: 1 })
      yield* log.appendBatch([move(2, "c", runId)], { expectedSeq: 1 })
      expect((yield* log.head(runId)).seq).toBe(2)
    })
  )

  it.effect("writes a batch all or nothing", () =>
    Effect.gen(function* () {
      const log = yield* EventLog
      const runId = "run-atomic"
      yield* log.append(move(1, "c", runId))
      const bad = { ...move(2, "c", runId), payload: { counter: "c", delta: 0.5 } }
      const error = yield* Effect.flip(log.appendBatch([move(5, "c", runId), bad, move(6, "c", runId)]))
      expect(error).toMatchObject({ _tag: "InvalidEvent", pointer: "/1/payload/delta" })
      const unknown = yield* Effect.flip(
        log.appendBatch([move(5, "c", runId), { ...move(1, "c", runId), type: "test/nope" }])
      )
      expect(unknown._tag).toBe("UnknownEventType")
      expect((yield* readAll(runId)).map((e) => e.seq)).toEqual([1])
      expect(yield* log.verifyChain(runId)).toMatchObject({ ok: true, count: 1 })
    })
  )

  it.effect("single appends point at /payload/…", () =>
    Effect.gen(function* () {
      const log = yield* EventLog
      const error = yield* Effect.flip(
        log.append({ ...move(1, "c", "run-pointer"), payload: { counter: 3, delta: 1 } })
      )
      expect(error).toMatchObject({ _tag: "InvalidEvent", pointer: "/payload/counter", runId: "run-pointer" })
      expect(error.message).toContain(
        "invalid test/counter-moved event for run run-pointer at /payload/counter"
      )
    })
  )

  it.effect("refuses an event id that is already stored, or repeated in the batch, and writes nothing", () =>
    Effect.gen(function* () {
      const log = yield* EventLog
      const runId = "run-ids"
      yield* log.append({ ...move(1, "c", runId), id: "id-1" })
      const again = yield* Effect.flip(log.append({ ...move(2, "c", "run-ids-other"), id: "id-1" }))
      expect(again).toMatchObject({ _tag: "InvalidEvent", pointer: "/id", runId: "run-ids-other" })
      const repeated = yield* Effect.flip(
        log.appendBatch([
          { ...move(2, "c", runId), id: "id-2" },
          { ...move(3, "c", runId), id: "id-2" }
        ])
      )
      expect(repeated).toMatchObject({ _tag: "InvalidEvent", pointer: "/1/id" })
      expect((yield* log.head(runId)).seq).toBe(1)
      expect((yield* log.head("run-ids-other")).seq).toBe(0)
    })
  )

  it.effect("finds the latest event of a type", () =>
    Effect.gen(function* () {
      const log = yield* EventLog
      const runId = "run-latest"
      yield* log.append({ runId, type: "workflow/started", actor: "kernel", payload: { workflow: "demo" } })
      yield* log.appendBatch([move(1, "c", runId), move(2, "c", runId)])
      const latest = yield* log.latestOfType(runId, "test/counter-moved")
      expect(Option.map(latest, (e) => [e.seq, e.payload.delta])).toEqual(Option.some([3, 2]))
      expect(yield* log.latestOfType(runId, "workflow/failed")).toEqual(Option.none())
    })
  )

  it.effect("lists runs most recently appended first, with counts and times", () =>
    Effect.gen(function* () {
      const log = yield* EventLog
      yield* log.append({ ...move(1, "c", "run-list-a"), time: "2026-01-01T00:00:00Z" })
      yield* log.append({ ...move(1, "c", "run-list-b"), time: "2026-01-02T00:00:00Z" })
      yield* log.append({ ...move(1, "c", "run-list-a"), time: "2026-01-03T00:00:00Z" })
      const [top, next] = yield* log.listRuns({ limit: 2 })
      expect(top).toEqual({
        runId: "run-list-a",
        events: 2,
        firstTime: "2026-01-01T00:00:00Z",
        lastTime: "2026-01-03T00:00:00Z",
        lastType: "test/counter-moved"
      })
      expect(next?.runId).toBe("run-list-b")
      expect(yield* log.listRuns({ limit: 1 })).toHaveLength(1)
    })
  )

  it.scoped("publishes appended events live, after the append, filtered by run", () =>
    Effect.gen(function* () {
      const log = yield* EventLog
      const runId = "run-live"
      const live = yield* log.subscribe({ runId })
      const fiber = yield* Stream.runCollect(Stream.take(live, 3)).pipe(Effect.fork)
      yield* Effect.yieldNow()
      yield* log.append(move(1, "c", "run-live-other"))
      const appended = yield* log.appendBatch([move(1, "c", runId), move(2, "c", runId)])
      yield* Effect.flip(log.append({ ...move(1, "c", runId), type: "test/nope" }))
      const last = yield* log.append(move(3, "c", runId))
      const items = Chunk.toArray(yield* Fiber.join(fiber))
      expect(items.some(isStreamOverflow)).toBe(false)
      expect(items as ReadonlyArray<RunEvent>).toEqual([...appended, last])
    })
  )

  it.effect("verifies an untouched chain and reports its anchors", () =>
    Effect.gen(function* () {
      const log = yield* EventLog
      const runId = "run-verify"
      const events = yield* log.appendBatch([move(1, "c", runId), move(2, "c", runId)])
      expect(yield* log.verifyChain(runId)).toEqual({
        ok: true,
        runId,
        count: 2,
        firstHash: events[0]!.hash,
        lastHash: events[1]!.hash,
        lastSeq: 2
      })
      expect(yield* log.verifyChain("run-empty")).toEqual({
        ok: true,
        runId: "run-empty",
        count: 0,
        firstHash: null,
        lastHash: null,
        lastSeq: 0
      })
    })
  )

  it.effect("serializes concurrent appends: every writer with the same expectedSeq but one conflicts", () =>
    Effect.gen(function* () {
      const log = yield* EventLog
      const runId = "run-race"
      const exits = yield* Effect.all(
        Array.from({ length: 8 }, () => Effect.exit(log.append(move(1, "c", runId), { expectedSeq: 0 }))),
        { concurrency: "unbounded" }
      )
      expect(exits.filter(Exit.isSuccess)).toHaveLength(1)
      expect((yield* log.head(runId)).seq).toBe(1)
    })
  )
})

describe("EventLogMemory isolation", () => {
  it.effect("each layer build is a fresh store", () =>
    Effect.gen(function* () {
      const appendOne = Effect.flatMap(EventLog, (log) => log.append(move(1))).pipe(Effect.provide(TestLog))
      const headSeq = Effect.flatMap(EventLog, (log) => log.head(RUN)).pipe(Effect.provide(TestLog))
      expect((yield* appendOne).seq).toBe(1)
      expect((yield* appendOne).seq).toBe(1)
      expect((yield* headSeq).seq).toBe(0)
    })
  )
})
