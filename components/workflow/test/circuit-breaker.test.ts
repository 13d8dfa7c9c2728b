import { it } from "@effect/vitest"
import { makeCircuitBreaker } from "@gauntlet/supervision"
import { Effect } from "effect"
import { describe, expect } from "vitest"
import { WorkflowEngine } from "../src/index.js"
import { makeWorld, ok, threePhases } from "./support.js"

const refused = { fail: { failureClass: "policy" as const, reason: "refused by the scripted reviewer" } }

describe("WorkflowEngine with a run circuit breaker (N2 supervision)", () => {
  it.effect("3 consecutive failed runs open the circuit: the next start is refused, nothing is created", () =>
    Effect.gen(function* () {
      const breaker = yield* makeCircuitBreaker({ threshold: 3 })
      const world = yield* makeWorld(
        { a: [refused, refused, ok(), refused, refused, refused, ok()], b: [ok(), ok()], c: [ok(), ok()] },
        { circuitBreaker: breaker }
      )
      yield* Effect.provide(
        Effect.gen(function* () {
          const engine = yield* WorkflowEngine
          const start = (runId: string) => engine.start({ definition: threePhases(), runId })
          // Two failures, then a success: the count starts again.
          expect((yield* start("r1")).status).toBe("failed")
          expect((yield* start("r2")).status).toBe("failed")
          expect((yield* start("r3")).status).toBe("completed")
          expect((yield* breaker.state).consecutiveFailures).toBe(0)
          // Three failures in a row open it.
          for (const runId of ["r4", "r5", "r6"]) expect((yield* start(runId)).status).toBe("failed")
          expect(yield* breaker.isOpen).toBe(true)
          const error = yield* Effect.flip(start("r7"))
          expect(error).toMatchObject({ _tag: "CircuitOpen", consecutiveFailures: 3, threshold: 3 })
          expect(yield* Effect.option((yield* WorkflowEngine).projection("r7"))).toMatchObject({
            _tag: "None"
          })
          // An operator resets it: runs are taken again.
          yield* breaker.reset
          expect((yield* start("r8")).status).toBe("completed")
          expect(world.agent.invocations().filter((i) => i.phase === "a")).toHaveLength(7)
        }),
        world.layer
      )
    })
  )
})
