import { describe, expect, it } from "@effect/vitest"
import { classifyUnknown } from "@gauntlet/failure"
import { Effect, Exit, Fiber, TestClock } from "effect"
import { TimedOut, withTimeout } from "../src/index.js"

describe("withTimeout", () => {
  it.effect("interrupts the effect (running its finalizers) and fails with TimedOut", () =>
    Effect.gen(function* () {
      let finalized = false
      const slow = Effect.sleep("10 seconds").pipe(
        Effect.as("done"),
        Effect.onInterrupt(() => Effect.sync(() => (finalized = true)))
      )
      const fiber = yield* Effect.fork(withTimeout(slow, 1000, "phase implement"))
      yield* TestClock.adjust("999 millis")
      expect(fiber.unsafePoll()).toBeNull()
      yield* TestClock.adjust("1 millis")
      const exit = yield* Fiber.await(fiber)
      expect(exit).toEqual(Exit.fail(new TimedOut({ what: "phase implement", ms: 1000 })))
      expect(finalized).toBe(true)
      const error = new TimedOut({ what: "phase implement", ms: 1000 })
      expect(error.message).toBe("phase implement timed out after 1000 ms")
      expect(classifyUnknown(error).failureClass).toBe("timeout")
    })
  )

  it.effect("returns the value (or the effect's own failure) when it finishes in time; pipeable", () =>
    Effect.gen(function* () {
      const fiber = yield* Effect.fork(Effect.sleep("500 millis").pipe(Effect.as(7), withTimeout(1000, "x")))
      yield* TestClock.adjust("500 millis")
      expect(yield* Fiber.join(fiber)).toBe(7)
      expect(yield* Effect.flip(withTimeout(Effect.fail("own"), 1000, "x"))).toBe("own")
    })
  )
})
