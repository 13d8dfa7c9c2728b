import { describe, expect, it } from "@effect/vitest"
import { Effect, Fiber, TestClock } from "effect"
import { makeManualSignalSource, onShutdownSignal, runWithGracefulShutdown } from "../src/index.js"

describe("onShutdownSignal", () => {
  it.effect("completes with the first signal and unsubscribes", () =>
    Effect.gen(function* () {
      const source = makeManualSignalSource()
      const fiber = yield* Effect.fork(onShutdownSignal(source))
      yield* Effect.yieldNow()
      expect(source.subscribers()).toBe(1)
      source.send("SIGINT")
      expect(yield* Fiber.join(fiber)).toBe("SIGINT")
      expect(source.subscribers()).toBe(0)
    })
  )

  it.effect("unsubscribes when interrupted", () =>
    Effect.gen(function* () {
      const source = makeManualSignalSource()
      const fiber = yield* Effect.fork(onShutdownSignal(source))
      yield* Effect.yieldNow()
      yield* Fiber.interrupt(fiber)
      expect(source.subscribers()).toBe(0)
    })
  )
})

describe("runWithGracefulShutdown", () => {
  it.effect("a program that ends without a signal is Completed", () =>
    Effect.gen(function* () {
      const source = makeManualSignalSource()
      const outcome = yield* runWithGracefulShutdown({
        source,
        graceMs: 1000,
        run: () => Effect.succeed("all done")
      })
      expect(outcome).toEqual({ _tag: "Completed", value: "all done" })
      expect(source.subscribers()).toBe(0)
    })
  )

  it.effect("on SIGTERM the program stops taking work and drains within the grace period", () =>
    Effect.gen(function* () {
      const source = makeManualSignalSource()
      const processed: Array<number> = []
      const worker = Effect.gen(function* () {
        let next = 0
        while (true) {
          if (yield* shutdownRef.isRequested) break
          processed.push(next++)
          yield* Effect.sleep("1 second") // one unit of work
        }
        yield* Effect.sleep("2 seconds") // let running nodes checkpoint
        return processed.length
      })
      let shutdownRef: { isRequested: Effect.Effect<boolean> } = { isRequested: Effect.succeed(false) }
      const fiber = yield* Effect.fork(
        runWithGracefulShutdown({
          source,
          graceMs: 10_000,
          run: (shutdown) => {
            shutdownRef = shutdown
            return worker
          }
        })
      )
      yield* TestClock.adjust("3500 millis")
      source.send("SIGTERM")
      yield* TestClock.adjust("3 seconds")
      expect(yield* Fiber.join(fiber)).toEqual({ _tag: "Drained", signal: "SIGTERM", value: 4 })
      expect(processed).toEqual([0, 1, 2, 3])
    })
  )

  it.effect(
    "a program that does not drain in time is interrupted (finalizers run) and the outcome is Forced",
    () =>
      Effect.gen(function* () {
        const source = makeManualSignalSource()
        let finalized = false
        const fiber = yield* Effect.fork(
          runWithGracefulShutdown({
            source,
            graceMs: 5000,
            run: () => Effect.never.pipe(Effect.onInterrupt(() => Effect.sync(() => (finalized = true))))
          })
        )
        yield* TestClock.adjust("1 second")
        source.send("SIGINT")
        yield* TestClock.adjust("4999 millis")
        expect(fiber.unsafePoll()).toBeNull()
        yield* TestClock.adjust("1 millis")
        expect(yield* Fiber.join(fiber)).toEqual({
          _tag: "Forced",
          signal: "SIGINT",
          reason: "grace-expired",
          graceMs: 5000
        })
        expect(finalized).toBe(true)
        expect(source.subscribers()).toBe(0)
      })
  )

  it.effect("a second signal forces at once", () =>
    Effect.gen(function* () {
      const source = makeManualSignalSource()
      const fiber = yield* Effect.fork(
        runWithGracefulShutdown({ source, graceMs: 60_000, run: () => Effect.never })
      )
      yield* Effect.yieldNow()
      source.send("SIGTERM")
      yield* Effect.yieldNow()
      source.send("SIGTERM")
      expect(yield* Fiber.join(fiber)).toMatchObject({ _tag: "Forced", reason: "second-signal" })
    })
  )

  it.effect("a program failing while it drains fails the whole (no waiting for the grace period)", () =>
    Effect.gen(function* () {
      const source = makeManualSignalSource()
      const fiber = yield* Effect.fork(
        runWithGracefulShutdown({
          source,
          graceMs: 60_000,
          run: (shutdown) => Effect.zipRight(shutdown.requested, Effect.fail("checkpoint failed" as const))
        })
      )
      yield* Effect.yieldNow()
      source.send("SIGTERM")
      expect(yield* Effect.flip(Fiber.join(fiber))).toBe("checkpoint failed")
    })
  )
})
