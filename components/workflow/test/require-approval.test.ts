import { it } from "@effect/vitest"
import { type Gate, predicateGate } from "@gauntlet/gate"
import { Effect } from "effect"
import { describe, expect } from "vitest"
import { WorkflowEngine } from "../src/index.js"
import { eventsOf, expectConsistent, makeWorld, ok, okGate, threePhases } from "./support.js"

/** An L2 gate standing in for a policy pack: changing the lockfile requires approval, a secret blocks. */
const lockfileGate: Gate = predicateGate("policy", "L2", (input) => {
  const output = input.output as { touches?: ReadonlyArray<string> } | undefined
  const touches = output?.touches ?? []
  return [
    ...(touches.includes("package-lock.json")
      ? [
          {
            ruleId: "lockfile-change",
            severity: "high" as const,
            message: "the lockfile changes",
            action: "require-approval" as const,
            packId: "gauntlet/foundations",
            packVersion: "1.0.0"
          }
        ]
      : []),
    ...(touches.includes("secret.env")
      ? [
          {
            ruleId: "no-secrets",
            severity: "critical" as const,
            message: "a secret is added",
            action: "block" as const
          }
        ]
      : [])
  ]
})

const definition = threePhases({}, { gates: ["ok-gate", "policy"], maxAttempts: 3 })

describe("WorkflowEngine: require-approval violations ask a person at once", () => {
  it.effect(
    "a verdict blocked only by require-approval rules escalates on the first attempt; approve continues",
    () =>
      Effect.gen(function* () {
        const world = yield* makeWorld(
          { a: [ok({ touches: ["package-lock.json"] }), ok()], b: [ok()], c: [ok()] },
          { gates: [okGate, lockfileGate] }
        )
        yield* Effect.provide(
          Effect.gen(function* () {
            const engine = yield* WorkflowEngine
            const outcome = yield* engine.start({ definition, runId: "run-approval" })
            expect(outcome.status).toBe("awaiting-approval")
            expect(world.agent.invocations().map((i) => `${i.phase}#${i.attempt}`)).toEqual(["a#1"])
            const requested = (yield* eventsOf("run-approval")).find((e) => e.type === "approval/requested")
            expect(requested?.payload).toMatchObject({
              subject: "phase:a",
              reason: "phase a: policy requires approval: lockfile-change (gauntlet/foundations@1.0.0)"
            })
            const approved = yield* engine.approve(outcome.approvalId!, {
              by: "alice",
              reason: "lockfile bump reviewed",
              method: "human"
            })
            expect(approved.status).toBe("completed")
            yield* expectConsistent("run-approval")
          }),
          world.layer
        )
      })
  )

  it.effect("a block violation beside a require-approval one is repaired, not sent for approval", () =>
    Effect.gen(function* () {
      const world = yield* makeWorld(
        { a: [ok({ touches: ["package-lock.json", "secret.env"] }), ok()], b: [ok()], c: [ok()] },
        { gates: [okGate, lockfileGate] }
      )
      yield* Effect.provide(
        Effect.gen(function* () {
          const engine = yield* WorkflowEngine
          const outcome = yield* engine.start({ definition, runId: "run-mixed" })
          expect(outcome.status).toBe("completed")
          expect(world.agent.invocations().filter((i) => i.phase === "a")).toHaveLength(2)
        }),
        world.layer
      )
    })
  )
})
