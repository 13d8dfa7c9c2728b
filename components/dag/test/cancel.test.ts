import { describe, expect, it } from "@effect/vitest"
import { Deferred, Effect, Fiber, FastCheck as fc, TestClock } from "effect"
import { runDag } from "../src/index.js"
import { eventRecorder, fail, node, scenario } from "./fixtures.js"

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

describe("runDag cancellation (property)", () => {
  it.effect.prop(
    "after a cancel at any point, nothing starts, every running node is interrupted, outcomes stay consistent",
    [scenario, fc.nat({ max: 30 })],
    ([s, cancelAfter]) =>
      Effect.gen(function* () {
        const cancel = yield* Deferred.make<void>()
        const ids = s.deps.map((_, i) => `n${i}`)
        const nodes = s.deps.map((ds, i) =>
          node(
            ids[i]!,
            ds.map((d) => ids[d]!),
            { priority: s.priorities[i]! }
          )
        )
        let completions = 0
        let cancelled = false
        const startedAfterCancel: Array<string> = []
        const open = new Set<string>()
        const result = yield* runDag({
          dag: { nodes },
          concurrency: s.concurrency,
          cancel,
          execute: (nd) =>
            Effect.gen(function* () {
              if (cancelled) startedAfterCancel.push(nd.id)
              open.add(nd.id)
              for (let k = 0; k < s.yields[Number(nd.id.slice(1))]!; k++) yield* Effect.yieldNow()
              open.delete(nd.id)
              if (++completions === cancelAfter) {
                cancelled = true
                yield* Deferred.succeed(cancel, undefined)
              }
              if (s.fails[Number(nd.id.slice(1))]) return yield* fail("policy")
            }).pipe(Effect.onInterrupt(() => Effect.sync(() => open.delete(nd.id))))
        })
        expect(startedAfterCancel).toEqual([])
        expect([...open]).toEqual([])
        const total =
          result.counts.succeeded + result.counts.failed + result.counts.skipped + result.counts.cancelled
        expect(total).toBe(nodes.length)
        const all = [...result.nodes.values()]
        if (result.status !== "cancelled") expect(result.counts.cancelled).toBe(0)
        for (const r of all) {
          const deps = nodes[Number(r.id.slice(1))]!.dependsOn.map((d) => result.nodes.get(d)!.status)
          if (r.status === "succeeded" || r.status === "failed")
            expect(deps.every((d) => d === "succeeded")).toBe(true)
          if (r.status === "skipped") expect(deps.some((d) => d === "failed" || d === "skipped")).toBe(true)
          if (r.status === "succeeded" || r.status === "failed") expect(r.attempts).toBe(1)
        }
      }),
    { fastCheck: { numRuns: 100 } }
  )
})

describe("runDag cancellation (signals)", () => {
  it.effect("treats an interrupted cancel signal as a cancel, and does not hang", () =>
    Effect.gen(function* () {
      const signal = yield* Deferred.make<void>()
      const fiber = yield* Effect.fork(
        runDag({
          dag: { nodes: [node("a"), node("b", ["a"])] },
          concurrency: 1,
          cancel: signal,
          execute: () => Effect.never
        })
      )
      yield* TestClock.adjust(10)
      yield* Deferred.interrupt(signal)
      const result = yield* Fiber.join(fiber)
      expect(result.status).toBe("cancelled")
      expect(result.counts.cancelled).toBe(2)
    })
  )

  it.effect("a signal already done before the run starts lets nothing run", () =>
    Effect.gen(function* () {
      const signal = yield* Deferred.make<void>()
      yield* Deferred.succeed(signal, undefined)
      let ran = 0
      const result = yield* runDag({
        dag: { nodes: [node("a"), node("b")] },
        concurrency: 2,
        cancel: signal,
        execute: () => Effect.sync(() => ran++)
      })
      expect(ran).toBe(0)
      expect(result.status).toBe("cancelled")
      expect([...result.nodes.values()].map((r) => [r.status, r.attempts])).toEqual([
        ["cancelled", 0],
        ["cancelled", 0]
      ])
    })
  )
})
