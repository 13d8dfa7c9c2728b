import { describe, expect, it } from "@effect/vitest"
import { classifyUnknown } from "@gauntlet/failure"
import { Effect, Fiber, TestClock } from "effect"
import { CircuitOpen, makeCircuitBreaker } from "../src/index.js"

describe("circuit breaker", () => {
  it.effect("opens after threshold consecutive failed runs and refuses new runs with CircuitOpen", () =>
    Effect.gen(function* () {
      const breaker = yield* makeCircuitBreaker({ threshold: 3, name: "factory" })
      yield* breaker.recordRunOutcome(false)
      yield* breaker.recordRunOutcome(false)
      expect(yield* breaker.isOpen).toBe(false)
      yield* breaker.admit
      const state = yield* breaker.recordRunOutcome(false)
      expect(state).toEqual({ status: "open", consecutiveFailures: 3, threshold: 3, openedAt: 0 })
      expect(yield* breaker.isOpen).toBe(true)
      const refused = yield* Effect.flip(breaker.admit)
      expect(refused).toEqual(new CircuitOpen({ name: "factory", consecutiveFailures: 3, threshold: 3 }))
      expect(classifyUnknown(refused).failureClass).toBe("resource")
      yield* breaker.reset
      expect(yield* breaker.isOpen).toBe(false)
      yield* breaker.admit
    })
  )

  it.effect("a success in between clears the count (failures must be consecutive)", () =>
    Effect.gen(function* () {
      const breaker = yield* makeCircuitBreaker()
      for (const ok of [false, false, true, false, false]) yield* breaker.recordRunOutcome(ok)
      expect(yield* breaker.state).toMatchObject({ status: "closed", consecutiveFailures: 2 })
    })
  )

  it.effect("with a cooldown, admits one trial run; its failure re-opens, its success closes", () =>
    Effect.gen(function* () {
      const breaker = yield* makeCircuitBreaker({ threshold: 1, cooldownMs: 60_000 })
      yield* breaker.recordRunOutcome(false)
      yield* TestClock.adjust("59 seconds")
      expect((yield* Effect.flip(breaker.admit))._tag).toBe("CircuitOpen")
      yield* TestClock.adjust("1 second")
      expect(yield* breaker.isOpen).toBe(false)
      yield* breaker.admit
      expect((yield* breaker.state).status).toBe("half-open")
      expect((yield* Effect.flip(breaker.admit))._tag).toBe("CircuitOpen")
      yield* breaker.recordRunOutcome(false)
      expect(yield* breaker.state).toMatchObject({ status: "open", openedAt: 60_000 })
      yield* TestClock.adjust("60 seconds")
      yield* breaker.admit
      yield* breaker.recordRunOutcome(true)
      expect(yield* breaker.state).toEqual({
        status: "closed",
        consecutiveFailures: 0,
        threshold: 1,
        openedAt: null
      })
    })
  )

  it.effect("protect records failures and defects, not refusals or interruptions", () =>
    Effect.gen(function* () {
      const breaker = yield* makeCircuitBreaker({ threshold: 2 })
      expect(yield* breaker.protect(Effect.succeed(1))).toBe(1)
      yield* Effect.flip(breaker.protect(Effect.fail("bad")))
      const fiber = yield* Effect.fork(breaker.protect(Effect.never))
      yield* Effect.yieldNow()
      yield* Fiber.interrupt(fiber)
      expect((yield* breaker.state).consecutiveFailures).toBe(1)
      yield* Effect.exit(breaker.protect(Effect.die("defect")))
      expect(yield* breaker.isOpen).toBe(true)
      let ran = false
      const refused = yield* Effect.flip(breaker.protect(Effect.sync(() => (ran = true))))
      expect(refused._tag).toBe("CircuitOpen")
      expect(ran).toBe(false)
      expect((yield* breaker.state).consecutiveFailures).toBe(2)
    })
  )

  it.effect("refuses a threshold below 1", () =>
    Effect.gen(function* () {
      const exit = yield* Effect.exit(makeCircuitBreaker({ threshold: 0 }))
      expect(exit._tag).toBe("Failure")
    })
  )
})
