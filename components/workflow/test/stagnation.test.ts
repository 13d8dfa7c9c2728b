import { it } from "@effect/vitest"
import { Effect } from "effect"
import { describe, expect } from "vitest"
import { WorkflowEngine } from "../src/index.js"
import { bad, eventsOf, expectConsistent, makeWorld, ok, threePhases } from "./support.js"

const stagnating = (phaseOverrides: Record<string, unknown>) => threePhases({}, phaseOverrides)

describe("WorkflowEngine: stagnation (the same failure fingerprint N times in a row)", () => {
  it.effect("escalates after stagnationLimit identical failures instead of spending every attempt", () =>
    Effect.gen(function* () {
      // "3 tests fail" and "4 tests fail" normalise to one fingerprint (numbers are not part of it).
      const world = yield* makeWorld({
        a: [bad("3 tests fail"), bad("4 tests fail"), ok()],
        b: [ok()],
        c: [ok()]
      })
      yield* Effect.provide(
        Effect.gen(function* () {
          const engine = yield* WorkflowEngine
          const outcome = yield* engine.start({
            definition: stagnating({ maxAttempts: 5, stagnationLimit: 2 }),
            runId: "run-stuck"
          })
          expect(outcome.status).toBe("awaiting-approval")
          expect(world.agent.invocations().map((i) => `${i.phase}#${i.attempt}`)).toEqual(["a#1", "a#2"])
          const failed = (yield* eventsOf("run-stuck")).find((e) => e.type === "phase/failed")
          expect(String(failed?.payload.reason)).toMatch(
            /stagnant: the same failure 2 times in a row \(sha256:/
          )
          yield* expectConsistent("run-stuck")
        }),
        world.layer
      )
    })
  )

  it.effect("different failures are progress: the loop keeps repairing up to maxAttempts", () =>
    Effect.gen(function* () {
      const world = yield* makeWorld({
        a: [bad("lint fails"), bad("tests fail"), ok()],
        b: [ok()],
        c: [ok()]
      })
      yield* Effect.provide(
        Effect.gen(function* () {
          const engine = yield* WorkflowEngine
          const outcome = yield* engine.start({
            definition: stagnating({ maxAttempts: 5, stagnationLimit: 2 }),
            runId: "run-moving"
          })
          expect(outcome.status).toBe("completed")
          expect(world.agent.invocations().filter((i) => i.phase === "a")).toHaveLength(3)
        }),
        world.layer
      )
    })
  )
})
