import { describe, expect, it } from "@effect/vitest"
import { Effect, Fiber, TestClock } from "effect"
import { makeStagnationDetector, withHeartbeats } from "../src/index.js"

describe("stagnation detector", () => {
  it.effect("the same failure fingerprint sameFingerprintLimit times in a row is stagnation", () =>
    Effect.gen(function* () {
      const detector = yield* makeStagnationDetector({ sameFingerprintLimit: 3, progressWindowMs: 60_000 })
      yield* detector.failure("sha256:aa")
      yield* detector.failure("sha256:aa")
      expect(yield* detector.check()).toEqual({ stagnant: false })
      yield* detector.failure("sha256:aa")
      expect(yield* detector.check()).toEqual({
        stagnant: true,
        reason: "repeated-failure",
        detail: "the same failure (sha256:aa) occurred 3 times in a row without progress",
        fingerprint: "sha256:aa",
        count: 3
      })
    })
  )

  it.effect("a different fingerprint or progress restarts the count; a heartbeat does not", () =>
    Effect.gen(function* () {
      const detector = yield* makeStagnationDetector({ sameFingerprintLimit: 2, progressWindowMs: 60_000 })
      yield* detector.failure("a")
      yield* detector.failure("b")
      expect((yield* detector.check()).stagnant).toBe(false)
      yield* detector.progress()
      yield* detector.failure("b")
      expect((yield* detector.check()).stagnant).toBe(false)
      yield* detector.heartbeat()
      yield* detector.failure("b")
      expect(yield* detector.check()).toMatchObject({ stagnant: true, reason: "repeated-failure", count: 2 })
    })
  )

  it.effect("no progress and no heartbeat for longer than the window is stagnation", () =>
    Effect.gen(function* () {
      const detector = yield* makeStagnationDetector({ sameFingerprintLimit: 3, progressWindowMs: 30_000 })
      yield* TestClock.adjust("30 seconds")
      expect((yield* detector.check()).stagnant).toBe(false)
      yield* TestClock.adjust("1 second")
      expect(yield* detector.check()).toEqual({
        stagnant: true,
        reason: "no-progress",
        detail: "no progress or heartbeat for 31000 ms (window 30000 ms)",
        idleMs: 31_000,
        lastActivityAt: 0
      })
      yield* detector.progress()
      expect((yield* detector.check()).stagnant).toBe(false)
      expect(yield* detector.check(31_000 + 30_001)).toMatchObject({ stagnant: true, idleMs: 30_001 })
    })
  )

  it.effect(
    "a node waiting on a long subprocess that sends heartbeats is not stagnant; once it stops, it is",
    () =>
      Effect.gen(function* () {
        const detector = yield* makeStagnationDetector({ sameFingerprintLimit: 3, progressWindowMs: 30_000 })
        // the node's subprocess runs for 10 minutes; its watcher heartbeats every 10 s while it is alive
        const watcher = yield* Effect.fork(
          Effect.repeatN(Effect.zipRight(Effect.sleep("10 seconds"), detector.heartbeat()), 59)
        )
        for (let minute = 1; minute <= 10; minute++) {
          yield* TestClock.adjust("1 minute")
          expect(yield* detector.check()).toEqual({ stagnant: false })
        }
        yield* Fiber.join(watcher)
        yield* TestClock.adjust("31 seconds")
        expect(yield* detector.check()).toMatchObject({
          stagnant: true,
          reason: "no-progress",
          idleMs: 31_000
        })
      })
  )

  it.effect("withHeartbeats keeps a long wait alive and stops heartbeating when the wait ends", () =>
    Effect.gen(function* () {
      const detector = yield* makeStagnationDetector({ sameFingerprintLimit: 3, progressWindowMs: 30_000 })
      const wait = yield* Effect.fork(
        withHeartbeats(Effect.as(Effect.sleep("305 seconds"), "exit 0"), detector, 10_000)
      )
      for (let i = 0; i < 5; i++) {
        yield* TestClock.adjust("1 minute")
        expect((yield* detector.check()).stagnant).toBe(false)
      }
      yield* TestClock.adjust("5 seconds")
      expect(yield* Fiber.join(wait)).toBe("exit 0") // last heartbeat at 300 s, none after
      yield* TestClock.adjust("25001 millis")
      expect(yield* detector.check()).toMatchObject({ stagnant: true, reason: "no-progress", idleMs: 30_001 })
    })
  )

  it.effect("refuses nonsensical options", () =>
    Effect.gen(function* () {
      expect(
        (yield* Effect.exit(makeStagnationDetector({ sameFingerprintLimit: 0, progressWindowMs: 1 })))._tag
      ).toBe("Failure")
      expect(
        (yield* Effect.exit(makeStagnationDetector({ sameFingerprintLimit: 1, progressWindowMs: 0 })))._tag
      ).toBe("Failure")
    })
  )
})
