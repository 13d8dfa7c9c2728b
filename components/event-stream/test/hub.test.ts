import { describe, expect, it } from "@effect/vitest"
import { isStreamOverflow, type LiveItem, makeLiveHub, type RunEvent } from "@gauntlet/event-stream"
import { Chunk, Deferred, Effect, Fiber, Stream } from "effect"

const event = (runId: string, seq: number, type = "task/started"): RunEvent => ({
  id: `${runId}-${seq}`,
  runId,
  seq,
  type,
  time: "2026-11-29T12:00:00.000Z",
  actor: "test",
  causationId: null,
  correlationId: runId,
  payload: {},
  prevHash: null,
  hash: `sha256:${seq.toString(16).padStart(64, "0")}`
})

const label = (item: LiveItem) =>
  isStreamOverflow(item) ? `overflow:${item.dropped}@${item.firstDropped.seq}` : `${item.runId}#${item.seq}`

describe("live hub", () => {
  it.scoped(
    "a slow subscriber gets one overflow notice with the exact dropped count, then the newest events",
    () =>
      Effect.gen(function* () {
        const hub = yield* makeLiveHub()
        const slow = yield* hub.subscribe({ bufferSize: 3 })
        const fast = yield* hub.subscribe()
        const fastFiber = yield* Stream.runCollect(Stream.take(fast, 10)).pipe(Effect.fork)
        yield* Effect.yieldNow()
        for (let seq = 1; seq <= 10; seq++) yield* hub.publish([event("r", seq)])
        const slowItems = yield* Stream.runCollect(Stream.take(slow, 4))
        expect(Chunk.toArray(slowItems).map(label)).toEqual(["overflow:7@1", "r#8", "r#9", "r#10"])
        const overflow = Chunk.unsafeHead(slowItems)
        expect(overflow).toEqual({
          type: "stream/overflow",
          dropped: 7,
          firstDropped: { runId: "r", seq: 1 }
        })
        const fastItems = yield* Fiber.join(fastFiber)
        expect(Chunk.toArray(fastItems).map(label)).toEqual(
          Array.from({ length: 10 }, (_, i) => `r#${i + 1}`)
        )
      })
  )

  it.scoped("a consumer held behind a gate sees the notice for what it missed, then the newest events", () =>
    Effect.gen(function* () {
      const hub = yield* makeLiveHub()
      const stream = yield* hub.subscribe({ bufferSize: 3 })
      const gotFirst = yield* Deferred.make<void>()
      const gate = yield* Deferred.make<void>()
      const seen: Array<string> = []
      const consumer = yield* Stream.take(stream, 5).pipe(
        Stream.runForEach((item) =>
          Effect.gen(function* () {
            seen.push(label(item))
            if (seen.length === 1) {
              yield* Deferred.succeed(gotFirst, undefined)
              yield* Deferred.await(gate)
            }
          })
        ),
        Effect.fork
      )
      yield* hub.publish([event("r", 1)])
      yield* Deferred.await(gotFirst)
      for (let seq = 2; seq <= 11; seq++) yield* hub.publish([event("r", seq)])
      expect(seen).toEqual(["r#1"])
      yield* Deferred.succeed(gate, undefined)
      yield* Fiber.join(consumer)
      expect(seen).toEqual(["r#1", "overflow:7@2", "r#9", "r#10", "r#11"])
    })
  )

  it.scoped("counts drops afresh after each notice", () =>
    Effect.gen(function* () {
      const hub = yield* makeLiveHub()
      const stream = yield* hub.subscribe({ bufferSize: 2 })
      yield* hub.publish([event("r", 1), event("r", 2), event("r", 3)])
      const first = yield* Stream.runCollect(Stream.take(stream, 3))
      yield* hub.publish([event("r", 4), event("r", 5), event("r", 6), event("r", 7), event("r", 8)])
      const second = yield* Stream.runCollect(Stream.take(stream, 3))
      expect(Chunk.toArray(first).map(label)).toEqual(["overflow:1@1", "r#2", "r#3"])
      expect(Chunk.toArray(second).map(label)).toEqual(["overflow:3@4", "r#7", "r#8"])
    })
  )

  it.scoped("filters by run and by exact type or domain/* at publish time", () =>
    Effect.gen(function* () {
      const hub = yield* makeLiveHub()
      const byRun = yield* hub.subscribe({ runId: "a", bufferSize: 2 })
      const byType = yield* hub.subscribe({ types: ["gate/*", "task/failed"], bufferSize: 2 })
      yield* hub.publish([
        event("b", 1, "gate/started"),
        event("a", 1, "task/started"),
        event("b", 2, "task/failed"),
        event("a", 2, "task/succeeded"),
        event("b", 3, "gatex/started")
      ])
      expect(Chunk.toArray(yield* Stream.runCollect(Stream.take(byRun, 2))).map(label)).toEqual([
        "a#1",
        "a#2"
      ])
      expect(Chunk.toArray(yield* Stream.runCollect(Stream.take(byType, 2))).map(label)).toEqual([
        "b#1",
        "b#2"
      ])
    })
  )

  it.effect("unsubscribes when the scope closes and ends the stream", () =>
    Effect.gen(function* () {
      const hub = yield* makeLiveHub()
      const collected = yield* Effect.scoped(
        Effect.gen(function* () {
          const stream = yield* hub.subscribe()
          expect(yield* hub.subscriberCount).toBe(1)
          yield* hub.publish([event("r", 1)])
          return yield* Stream.runCollect(Stream.take(stream, 1))
        })
      )
      expect(Chunk.size(collected)).toBe(1)
      expect(yield* hub.subscriberCount).toBe(0)
      yield* hub.publish([event("r", 2)])
    })
  )

  it.scoped("refuses a non-positive buffer size as a defect", () =>
    Effect.gen(function* () {
      const hub = yield* makeLiveHub()
      const exit = yield* Effect.exit(hub.subscribe({ bufferSize: 0 }))
      expect(String(exit)).toContain("bufferSize must be a positive integer, got 0")
    })
  )
})
