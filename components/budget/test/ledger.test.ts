import { describe, expect, it } from "@effect/vitest"
import { Effect, Exit, Fiber, TestClock } from "effect"
import { BudgetLedger, callScope, makeBudgetState, phaseScope, spentOf } from "../src/index.js"

const initial = () =>
  makeBudgetState({ run: { tokens: 100, costUsd: 0.01 }, phases: { implement: { tokens: 60 } } })

describe("BudgetLedger", () => {
  it.effect("reserves, commits and snapshots atomically", () =>
    Effect.gen(function* () {
      const ledger = yield* BudgetLedger
      yield* ledger.reserve({ scope: callScope("implement", "1"), id: "1", estimate: { tokens: 50 } })
      const before = yield* ledger.snapshot
      const refused = yield* Effect.flip(
        ledger.reserve({ scope: callScope("implement", "2"), id: "2", estimate: { tokens: 20 } })
      )
      expect(refused).toMatchObject({ _tag: "BudgetExhausted", scope: "run/phase:implement", reserved: 50 })
      expect(yield* ledger.snapshot).toBe(before)
      yield* ledger.commit({ id: "1", actual: { tokens: 40, costUsd: 0.002 } })
      const snapshot = yield* ledger.snapshot
      expect(spentOf(snapshot, "run")).toEqual({ tokens: 40, costUsd: 0.002, wallMs: 0, iterations: 0 })
      expect((yield* ledger.remaining(phaseScope("implement"))).tokens).toBe(20)
    }).pipe(Effect.provide(BudgetLedger.layer(initial())))
  )

  it.effect("concurrent reservations never over-commit the budget", () =>
    Effect.gen(function* () {
      const ledger = yield* BudgetLedger.make(initial())
      const results = yield* Effect.forEach(
        Array.from({ length: 20 }, (_, i) => i),
        (i) => Effect.either(ledger.reserve({ scope: "run", id: `c${i}`, estimate: { tokens: 10 } })),
        { concurrency: "unbounded" }
      )
      expect(results.filter((r) => r._tag === "Right")).toHaveLength(10)
      expect(Object.keys((yield* ledger.snapshot).reservations)).toHaveLength(10)
    })
  )

  it.effect("metered commits the actual on success and never starts a refused call", () =>
    Effect.gen(function* () {
      const ledger = yield* BudgetLedger.make(initial())
      let started = 0
      const call = Effect.sync(() => {
        started++
        return { outputTokens: 7 }
      })
      const out = yield* ledger.metered({ scope: "run", id: "a", estimate: { tokens: 30 } }, call, (r) => ({
        tokens: r.outputTokens
      }))
      expect(out).toEqual({ outputTokens: 7 })
      const refused = yield* Effect.flip(
        ledger.metered({ scope: "run", id: "b", estimate: { tokens: 94 } }, call, () => ({}))
      )
      expect(refused._tag).toBe("BudgetExhausted")
      expect(started).toBe(1)
      const state = yield* ledger.snapshot
      expect(spentOf(state, "run").tokens).toBe(7)
      expect(state.reservations).toEqual({})
    })
  )

  it.effect("metered releases the reservation when the call fails or is interrupted", () =>
    Effect.gen(function* () {
      const ledger = yield* BudgetLedger.make(initial())
      const failed = yield* Effect.exit(
        ledger.metered(
          { scope: "run", id: "f", estimate: { tokens: 90 } },
          Effect.fail("boom" as const),
          () => ({})
        )
      )
      expect(failed).toEqual(Exit.fail("boom"))
      const fiber = yield* Effect.fork(
        ledger.metered(
          { scope: "run", id: "slow", estimate: { tokens: 90 } },
          Effect.sleep("1 hour"),
          () => ({})
        )
      )
      yield* TestClock.adjust("1 minute")
      expect(Object.keys((yield* ledger.snapshot).reservations)).toEqual(["slow"])
      yield* Fiber.interrupt(fiber)
      const state = yield* ledger.snapshot
      expect(state.reservations).toEqual({})
      expect(spentOf(state, "run").tokens).toBe(0)
    })
  )
})
