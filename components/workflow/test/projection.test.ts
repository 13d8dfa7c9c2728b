import { it } from "@effect/vitest"
import type { AgentScript } from "@gauntlet/agent"
import { FAILURE_CLASSES } from "@gauntlet/failure"
import { Effect } from "effect"
import * as fc from "fast-check"
import { describe, expect } from "vitest"
import { isTerminal, type RunOutcome, WorkflowEngine } from "../src/index.js"
import { bad, expectConsistent, makeWorld, ok, threePhases } from "./support.js"

type Step = AgentScript["steps"][string][number]

const step: fc.Arbitrary<Step> = fc.oneof(
  { weight: 5, arbitrary: fc.constant(ok() as Step) },
  { weight: 3, arbitrary: fc.constant(bad() as Step) },
  {
    weight: 2,
    arbitrary: fc
      .constantFrom(...FAILURE_CLASSES)
      .map((failureClass): Step => ({ fail: { failureClass, reason: `scripted ${failureClass}` } }))
  }
)

const scenario = fc.record({
  steps: fc.record({
    a: fc.array(step, { minLength: 0, maxLength: 6 }),
    b: fc.array(step, { minLength: 0, maxLength: 6 }),
    c: fc.array(step, { minLength: 0, maxLength: 6 })
  }),
  maxAttempts: fc.integer({ min: 1, max: 3 }),
  iterations: fc.option(fc.integer({ min: 1, max: 8 }), { nil: undefined }),
  decisions: fc.array(fc.constantFrom("approve" as const, "reject" as const, "cancel" as const), {
    maxLength: 4
  })
})

describe("the projection", () => {
  it.effect(
    "folding the stored events equals the checkpoint's projection after any mix of failures, repairs and decisions",
    () =>
      Effect.gen(function* () {
        const samples = fc.sample(scenario, { numRuns: 60, seed: 20261129 })
        const seen = new Set<string>()
        for (const [index, sample] of samples.entries()) {
          const world = yield* makeWorld(sample.steps)
          const runId = `run-prop-${index}`
          const outcome = yield* Effect.gen(function* () {
            const engine = yield* WorkflowEngine
            const definition = threePhases(
              sample.iterations === undefined ? {} : { budget: { iterations: sample.iterations } },
              { maxAttempts: sample.maxAttempts }
            )
            let current: RunOutcome = yield* engine.start({ definition, runId })
            yield* expectConsistent(runId)
            for (const decision of sample.decisions) {
              if (current.status !== "awaiting-approval" || current.approvalId === undefined) break
              const by = { by: "prop", reason: "property decision", method: "rule" as const }
              current =
                decision === "cancel"
                  ? yield* engine.cancel(runId, "prop")
                  : decision === "approve"
                    ? yield* engine.approve(current.approvalId, by)
                    : yield* engine.reject(current.approvalId, by)
              yield* expectConsistent(runId)
            }
            return current
          }).pipe(Effect.provide(world.layer))
          seen.add(outcome.status)
          if (isTerminal(outcome.status))
            expect(outcome.status === "failed").toBe(outcome.failureClass !== undefined)
        }
        // the sample covers every way a run stops
        expect([...seen].sort()).toEqual(["awaiting-approval", "cancelled", "completed", "failed"])
      })
  )
})
