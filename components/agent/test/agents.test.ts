import { describe, expect, it } from "@effect/vitest"
import { declaredClassOf } from "@gauntlet/failure"
import { Effect, Either, Option } from "effect"
import { type Agent, AgentFailure, Agents, DuplicateAgent, makeAgents, UnknownAgent } from "../src/index.js"

const agentNamed = (id: string): Agent => ({
  id,
  invoke: () =>
    Effect.succeed({
      output: { by: id },
      artifacts: [],
      usage: { inputTokens: 1, outputTokens: 2, costUsd: 0 }
    })
})

const ctx = { runId: "r1", phase: "plan", attempt: 1, input: {}, feedback: [], strategy: "direct" } as const

describe("Agents registry", () => {
  it.effect("returns the registered agent by id", () =>
    Effect.gen(function* () {
      const agents = yield* Agents
      const agent = yield* agents.get("planner")
      const out = yield* agent.invoke(ctx)
      expect(out.output).toEqual({ by: "planner" })
      expect(agents.ids).toEqual(["planner", "implementer"])
    }).pipe(Effect.provide(Agents.layer([agentNamed("planner"), agentNamed("implementer")])))
  )

  it.effect("an unknown id fails with UnknownAgent listing the known ids", () =>
    Effect.gen(function* () {
      const agents = yield* Agents
      const error = yield* Effect.flip(agents.get("reviewer"))
      expect(error).toBeInstanceOf(UnknownAgent)
      expect(error.known).toEqual(["planner", "implementer"])
      expect(error.message).toBe('unknown agent "reviewer" (known: planner, implementer)')
    }).pipe(Effect.provide(Agents.layer([agentNamed("planner"), agentNamed("implementer")])))
  )

  it("refuses two agents with the same id", () => {
    const result = makeAgents([agentNamed("planner"), agentNamed("planner")])
    expect(Either.isLeft(result)).toBe(true)
    if (Either.isLeft(result)) {
      expect(result.left).toBeInstanceOf(DuplicateAgent)
      expect(result.left.agentId).toBe("planner")
    }
  })

  it.effect("the layer fails with DuplicateAgent", () =>
    Effect.gen(function* () {
      const error = yield* Effect.flip(
        Agents.pipe(Effect.provide(Agents.layer([agentNamed("a"), agentNamed("a")])))
      )
      expect(error._tag).toBe("DuplicateAgent")
    })
  )
})

describe("AgentFailure", () => {
  it("declares its failure class to the runtime classifier", () => {
    const failure = new AgentFailure({
      agentId: "a",
      phase: "plan",
      reason: "rate limited",
      failureClass: "external"
    })
    expect(declaredClassOf(failure)).toEqual(Option.some("external"))
    expect(failure.message).toBe("agent a failed in phase plan (external): rate limited")
  })

  it("names task and attempt in its message when it has them", () => {
    const failure = new AgentFailure({
      agentId: "a",
      phase: "implement",
      taskId: "t1",
      attempt: 2,
      reason: "bad diff",
      failureClass: "agent-error"
    })
    expect(failure.message).toBe(
      "agent a failed in phase implement task t1 attempt 2 (agent-error): bad diff"
    )
  })
})
