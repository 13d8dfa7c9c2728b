import { describe, expect, it } from "@effect/vitest"
import { sha256Digest } from "@gauntlet/canonical"
import { Effect, Either, Fiber, TestClock } from "effect"
import {
  AgentFailure,
  type AgentScript,
  decodeAgentScript,
  type Invocation,
  makeScriptedAgent,
  type PhaseContext
} from "../src/index.js"

const ctx = (phase: string, attempt = 1, taskId?: string): PhaseContext => ({
  runId: "run-1",
  phase,
  attempt,
  ...(taskId === undefined ? {} : { taskId }),
  input: { spec: "x" },
  feedback: [],
  strategy: "direct"
})

const script = (value: unknown): AgentScript => Either.getOrThrow(decodeAgentScript(value))

describe("scripted agent", () => {
  it.effect("consumes the steps of a phase in order, labelling usage as scripted", () =>
    Effect.gen(function* () {
      const agent = makeScriptedAgent(
        script({
          id: "impl",
          steps: {
            implement: [
              { fail: { failureClass: "agent-error", reason: "syntax error in diff" } },
              {
                respond: {
                  output: { diff: "ok" },
                  usage: { inputTokens: 10, outputTokens: 5, costUsd: 0.01 }
                }
              }
            ]
          }
        })
      )
      const first = yield* Effect.flip(agent.invoke(ctx("implement", 1)))
      expect(first).toBeInstanceOf(AgentFailure)
      expect(first.failureClass).toBe("agent-error")
      expect(first.reason).toBe("syntax error in diff")
      expect(first.agentId).toBe("impl")
      const second = yield* agent.invoke(ctx("implement", 2))
      expect(second).toEqual({
        output: { diff: "ok" },
        artifacts: [],
        usage: { inputTokens: 10, outputTokens: 5, costUsd: 0.01, model: "scripted" }
      })
      expect(agent.unconsumed()).toEqual([])
    })
  )

  it.effect("running out of steps is an agent-error naming the key", () =>
    Effect.gen(function* () {
      const agent = makeScriptedAgent(script({ steps: { plan: [{ respond: { output: 1 } }] } }))
      yield* agent.invoke(ctx("plan"))
      const error = yield* Effect.flip(agent.invoke(ctx("plan", 2)))
      expect(error.failureClass).toBe("agent-error")
      expect(error.reason).toBe('script exhausted for phase "plan": all 1 steps were consumed')
      expect(error.agentId).toBe("scripted")
    })
  )

  it.effect("an unscripted phase is an agent-error naming phase and task", () =>
    Effect.gen(function* () {
      const agent = makeScriptedAgent(script({ steps: {} }))
      const error = yield* Effect.flip(agent.invoke(ctx("review", 1, "t9")))
      expect(error.reason).toBe('no steps scripted for phase "review" task "t9"')
      expect(error.taskId).toBe("t9")
    })
  )

  it.effect("task steps take precedence over phase steps; other tasks share the phase queue", () =>
    Effect.gen(function* () {
      const agent = makeScriptedAgent(
        script({
          steps: { implement: [{ respond: { output: "shared-1" } }, { respond: { output: "shared-2" } }] },
          taskSteps: { implement: { t1: [{ respond: { output: "t1-only" } }] } }
        })
      )
      expect((yield* agent.invoke(ctx("implement", 1, "t2"))).output).toBe("shared-1")
      expect((yield* agent.invoke(ctx("implement", 1, "t1"))).output).toBe("t1-only")
      expect(agent.unconsumed()).toEqual([{ phase: "implement", remaining: 1 }])
      const exhausted = yield* Effect.flip(agent.invoke(ctx("implement", 2, "t1")))
      expect(exhausted.reason).toBe(
        'script exhausted for phase "implement" task "t1": all 1 steps were consumed'
      )
    })
  )

  it.effect("counts every invocation, failed ones included, in order", () =>
    Effect.gen(function* () {
      const agent = makeScriptedAgent(script({ steps: { plan: [{ respond: { output: 1 } }] } }))
      yield* agent.invoke(ctx("plan", 1))
      yield* Effect.flip(agent.invoke(ctx("plan", 2)))
      yield* Effect.flip(agent.invoke(ctx("verify", 1, "t1")))
      const expected: ReadonlyArray<Invocation> = [
        { agent: "scripted", runId: "run-1", phase: "plan", attempt: 1 },
        { agent: "scripted", runId: "run-1", phase: "plan", attempt: 2 },
        { agent: "scripted", runId: "run-1", phase: "verify", taskId: "t1", attempt: 1 }
      ]
      expect(agent.invocations()).toEqual(expected)
    })
  )

  it.effect("an extra counter is called before the step runs; its failure fails the invocation", () =>
    Effect.gen(function* () {
      const seen: Array<Invocation> = []
      const agent = makeScriptedAgent(script({ steps: { plan: [{ respond: { output: 1 } }] } }), {
        id: "counted",
        counter: {
          record: (invocation) =>
            seen.length === 0
              ? Effect.sync(() => void seen.push(invocation))
              : Effect.fail(
                  new AgentFailure({
                    agentId: invocation.agent,
                    phase: invocation.phase,
                    failureClass: "tool-error",
                    reason: "disk full"
                  })
                )
        }
      })
      yield* agent.invoke(ctx("plan"))
      expect(seen).toEqual([{ agent: "counted", runId: "run-1", phase: "plan", attempt: 1 }])
      const error = yield* Effect.flip(agent.invoke(ctx("plan", 2)))
      expect(error.reason).toBe("disk full")
    })
  )

  it.effect("waits delayMs on Effect's clock before answering", () =>
    Effect.gen(function* () {
      const agent = makeScriptedAgent(
        script({ steps: { plan: [{ respond: { output: "late" }, delayMs: 5000 }] } })
      )
      const fiber = yield* Effect.fork(agent.invoke(ctx("plan")))
      yield* TestClock.adjust("4999 millis")
      expect(fiber.unsafePoll()).toBeNull()
      yield* TestClock.adjust("1 millis")
      const out = yield* Fiber.join(fiber)
      expect(out.output).toBe("late")
    })
  )

  it.effect("artifacts given by content get their sha256 digest", () =>
    Effect.gen(function* () {
      const agent = makeScriptedAgent(
        script({
          steps: {
            implement: [
              {
                respond: {
                  output: {},
                  artifacts: [{ name: "patch.diff", content: "+a\n", mediaType: "text/x-diff" }]
                }
              }
            ]
          }
        })
      )
      const out = yield* agent.invoke(ctx("implement"))
      expect(out.artifacts).toEqual([
        { name: "patch.diff", digest: sha256Digest("+a\n"), mediaType: "text/x-diff", content: "+a\n" }
      ])
    })
  )

  it.effect("a failure step keeps the scripted class", () =>
    Effect.gen(function* () {
      const agent = makeScriptedAgent(
        script({ steps: { plan: [{ fail: { failureClass: "external", reason: "HTTP 503" } }] } })
      )
      const error = yield* Effect.flip(agent.invoke(ctx("plan")))
      expect(error.failureClass).toBe("external")
      expect(error.message).toBe("agent scripted failed in phase plan attempt 1 (external): HTTP 503")
    })
  )
})
