import { describe, expect, it } from "@effect/vitest"
import { Deferred, Effect, Fiber, TestClock } from "effect"
import { runDag } from "../src/index.js"
import { eventRecorder, node } from "./fixtures.js"

describe("runDag cancellation", () => {
  it.effect("cancel interrupts running nodes, never starts the rest, and reports status cancelled", () =>
    Effect.gen(function* () {
      const cancel = yield* Deferred.make<void>()
      const released: Array<string> = []
      const recorder = eventRecorder()
      const fiber = yield* Effect.fork(
        runDag({
          dag: {
            nodes: [
              node("quick"),
              node("long"),
              node("afterLong", ["long"]),
              node("afterQuick", ["quick"]),
              node("queued", [], { priority: -1 })
            ]
          },
          concurrency: 2,
          onEvent: recorder.onEvent,
          cancel: Deferred.await(cancel),
          execute: (nd) =>
            nd.id === "quick"
              ? Effect.as(Effect.sleep(10), "q")
              : Effect.never.pipe(Effect.onInterrupt(() => Effect.sync(() => released.push(nd.id))))
        })
      )
      yield* TestClock.adjust(50)
      yield* Deferred.succeed(cancel, undefined)
      const result = yield* Fiber.join(fiber)

      expect(result.status).toBe("cancelled")
      expect(released.sort()).toEqual(["afterQuick", "long"])
      const status = Object.fromEntries([...result.nodes].map(([id, r]) => [id, [r.status, r.attempts]]))
      expect(status).toEqual({
        quick: ["succeeded", 1],
        long: ["cancelled", 1],
        afterLong: ["cancelled", 0],
        afterQuick: ["cancelled", 1],
        queued: ["cancelled", 0]
      })
      expect(result.counts).toEqual({ succeeded: 1, failed: 0, skipped: 0, cancelled: 4 })
      expect(result.nodes.get("long")).toMatchObject({ startedAt: 0, finishedAt: 50 })
      const cancelledEvents = recorder.of("task/cancelled").map((e) => e.nodeId)
      expect(cancelledEvents.sort()).toEqual(["afterLong", "afterQuick", "long", "queued"])
    })
  )

  it.effect("interrupting runDag interrupts every running node", () =>
    Effect.gen(function* () {
      const started = yield* Deferred.make<void>()
      const released: Array<string> = []
      let running = 0
      const fiber = yield* Effect.fork(
        runDag({
          dag: { nodes: [node("a"), node("b"), node("c", ["a"])] },
          concurrency: 4,
          execute: (nd) =>
            Effect.gen(function* () {
              if (++running === 2) yield* Deferred.succeed(started, undefined)
              return yield* Effect.never
            }).pipe(Effect.onInterrupt(() => Effect.sync(() => released.push(nd.id))))
        })
      )
      yield* Deferred.await(started)
      yield* Fiber.interrupt(fiber)
      expect(released.sort()).toEqual(["a", "b"])
    })
  )

  it.effect("a cancel signal that fires after the run finished changes nothing", () =>
    Effect.gen(function* () {
      const result = yield* runDag({
        dag: { nodes: [node("a"), node("b", ["a"])] },
        concurrency: 1,
        cancel: Effect.never,
        execute: (nd) => Effect.succeed(nd.id)
      })
      expect(result.status).toBe("succeeded")
      expect(result.nodes.get("b")!.output).toBe("b")
    })
  )
})
