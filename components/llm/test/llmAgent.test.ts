import { describe, expect, it } from "@effect/vitest"
import { declaredClassOf } from "@gauntlet/failure"
import { Effect, Option, Schema } from "effect"
import { makeLlmAgent } from "../src/index.js"
import { chokepoint, events, fakeProvider, RUN } from "./support.js"

const phaseContext = (attempt: number) => ({
  runId: RUN,
  phase: "review",
  attempt,
  input: { diff: "+ a line" },
  feedback: attempt === 1 ? [] : [{ source: "gate:tests", message: "2 tests fail" }],
  strategy: attempt === 1 ? ("direct" as const) : ("escalated" as const)
})

describe("makeLlmAgent", () => {
  it.effect("routes, records model/routed, and escalates to a stronger model after a failed attempt", () =>
    Effect.gen(function* () {
      const alpha = yield* fakeProvider("alpha", [{ text: "looks fine" }, { text: "found the bug" }])
      const { outputs, log } = yield* Effect.gen(function* () {
        const agent = yield* makeLlmAgent({
          id: "reviewer",
          choose: {
            route: () => ({ phase: "review", files: ["src/a.ts"], linesChanged: 3, maxOutputTokens: 1000 })
          },
          prompt: (ctx) => ({
            system: "You review diffs.",
            messages: [{ role: "user", content: JSON.stringify(ctx.input) }],
            maxOutputTokens: 1000
          })
        })
        const first = yield* agent.invoke(phaseContext(1))
        const second = yield* agent.invoke(phaseContext(2))
        return { outputs: [first, second], log: yield* events }
      }).pipe(Effect.provide(chokepoint({ providers: [alpha.provider] })))
      expect(outputs.map((o) => o.usage.model)).toEqual(["alpha/small", "alpha/big"])
      expect(outputs[0]).toMatchObject({
        output: "looks fine",
        usage: { inputTokens: 100, outputTokens: 20 }
      })
      const routed = log.filter((e) => e.type === "model/routed").map((e) => e.payload)
      expect(routed[0]).toMatchObject({
        model: "alpha/small",
        tier: "economy",
        rule: "small-safe-review",
        capUsd: 0.5
      })
      expect(routed[1]).toMatchObject({ model: "alpha/big", escalatedFrom: "alpha/small", attempt: 2 })
      const secondCall = (yield* alpha.calls)[1]
      expect(secondCall?.messages.at(-1)?.content).toBe(
        "Previous attempt failed:\n- gate:tests: 2 tests fail"
      )
    })
  )

  it.effect("returns decoded structured output, and fails with the error's class", () =>
    Effect.gen(function* () {
      const alpha = yield* fakeProvider("alpha", [
        { text: '{"ok": true}' },
        { fail: "bad-request", status: 400 }
      ])
      const agent = makeLlmAgent({
        id: "planner",
        choose: { model: "alpha/big" },
        prompt: () => ({ messages: [{ role: "user", content: "plan" }], maxOutputTokens: 100 }),
        output: { name: "plan", schema: Schema.Struct({ ok: Schema.Boolean }) }
      })
      const [ok, failure] = yield* Effect.flatMap(agent, (a) =>
        Effect.all([a.invoke(phaseContext(1)), Effect.flip(a.invoke(phaseContext(2)))])
      ).pipe(Effect.provide(chokepoint({ providers: [alpha.provider] })))
      expect(ok.output).toEqual({ ok: true })
      expect(failure).toMatchObject({
        _tag: "AgentFailure",
        agentId: "planner",
        failureClass: "tool-error",
        attempt: 2
      })
      expect(declaredClassOf(failure)).toEqual(Option.some("tool-error"))
    })
  )
})
