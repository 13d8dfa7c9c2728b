import { it } from "@effect/vitest"
import type { EventLog } from "@gauntlet/event-stream"
import { RunStore } from "@gauntlet/run-store"
import { Effect, Fiber, Ref, TestClock } from "effect"
import { describe, expect } from "vitest"
import { WorkflowEngine } from "../src/index.js"
import {
  bad,
  eventsOf,
  expectConsistent,
  makeWorld,
  ok,
  settle,
  threePhases,
  typesOf,
  type World
} from "./support.js"

const runIn = <A, E>(world: World, program: Effect.Effect<A, E, WorkflowEngine | RunStore | EventLog>) =>
  Effect.provide(program, world.layer)

describe("WorkflowEngine: the inner loop", () => {
  it.effect("happy path: three phases complete in order, each checkpointed with its events", () =>
    Effect.gen(function* () {
      const world = yield* makeWorld({ a: [ok()], b: [ok()], c: [ok()] })
      yield* runIn(
        world,
        Effect.gen(function* () {
          const engine = yield* WorkflowEngine
          const outcome = yield* engine.start({
            definition: threePhases(),
            input: { ticket: "T-1" },
            runId: "run-happy"
          })
          expect(outcome).toEqual({ runId: "run-happy", workflowId: "demo", status: "completed" })
          const perPhase = [
            "phase/started",
            "agent/started",
            "agent/completed",
            "gate/started",
            "gate/passed",
            "phase/completed"
          ]
          expect(yield* typesOf("run-happy")).toEqual([
            "workflow/started",
            ...perPhase,
            ...perPhase,
            ...perPhase,
            "workflow/completed"
          ])
          expect(world.agent.invocations().map((i) => [i.phase, i.attempt])).toEqual([
            ["a", 1],
            ["b", 1],
            ["c", 1]
          ])
          const projection = yield* expectConsistent("run-happy")
          expect(projection.status).toBe("completed")
          expect(projection.budgetSpent).toEqual({ tokens: 45, costUsd: 0.003, wallMs: 0, iterations: 3 })
          const nodes = yield* (yield* RunStore).nodes("run-happy")
          expect(nodes.map((n) => [n.nodeId, n.status, n.attempts])).toEqual([
            ["phase:a", "succeeded", 1],
            ["phase:b", "succeeded", 1],
            ["phase:c", "succeeded", 1]
          ])
          expect(yield* Ref.get(world.terminal)).toEqual([outcome])
        })
      )
    })
  )

  it.effect("a gate failure is fed back and repaired with the alternative strategy", () =>
    Effect.gen(function* () {
      const world = yield* makeWorld({ a: [ok()], b: [bad("missing tests"), ok()], c: [ok()] })
      yield* runIn(
        world,
        Effect.gen(function* () {
          const engine = yield* WorkflowEngine
          const outcome = yield* engine.start({ definition: threePhases(), runId: "run-repair" })
          expect(outcome.status).toBe("completed")
          const events = yield* eventsOf("run-repair")
          const failed = events.find((e) => e.type === "gate/failed")
          expect(failed?.payload).toMatchObject({
            gate: "ok-gate",
            layer: "L0",
            failureClass: "agent-error",
            failedClosed: false,
            violations: [
              { ruleId: "must-be-ok", severity: "high", message: "output is not ok: missing tests" }
            ]
          })
          const bStarts = events.filter((e) => e.type === "phase/started" && e.payload.phase === "b")
          expect(bStarts.map((e) => e.payload.attempt)).toEqual([1, 2])
          expect(
            world.agent
              .invocations()
              .filter((i) => i.phase === "b")
              .map((i) => i.attempt)
          ).toEqual([1, 2])
          const bContexts = world.contexts.filter((c) => c.phase === "b")
          expect(bContexts.map((c) => [c.attempt, c.strategy])).toEqual([
            [1, "direct"],
            [2, "alternative"]
          ])
          expect(bContexts[0]?.feedback).toEqual([])
          expect(bContexts[1]?.feedback).toEqual([
            { source: "gate:ok-gate", message: "output is not ok: missing tests", ruleId: "must-be-ok" }
          ])
          expect(bContexts[1]?.input).toEqual({ run: {}, phases: { a: { ok: true } } })
          const projection = yield* expectConsistent("run-repair")
          expect(projection.phases.b).toEqual({ status: "succeeded", attempts: 2 })
        })
      )
    })
  )

  it.effect("an optional phase whose skipIf holds is skipped with phase/skipped and never invoked", () =>
    Effect.gen(function* () {
      const world = yield* makeWorld({ a: [ok()], c: [ok()] })
      yield* runIn(
        world,
        Effect.gen(function* () {
          const engine = yield* WorkflowEngine
          const definition = threePhases()
          const phases = definition.phases.map((p) =>
            p.name === "b" ? { ...p, optional: true, skipIf: { pointer: "/quick", equals: true } } : p
          )
          const outcome = yield* engine.start({
            definition: { ...definition, phases },
            input: { quick: true },
            runId: "run-skip"
          })
          expect(outcome.status).toBe("completed")
          const events = yield* eventsOf("run-skip")
          expect(events.find((e) => e.type === "phase/skipped")?.payload).toEqual({
            phase: "b",
            reason: "skipIf holds for the run input"
          })
          expect(world.agent.invocations().map((i) => i.phase)).toEqual(["a", "c"])
          expect((yield* expectConsistent("run-skip")).phases.b).toEqual({ status: "skipped", attempts: 0 })
        })
      )
    })
  )

  it.effect("an agent that overruns the phase timeout is interrupted, classified timeout and retried", () =>
    Effect.gen(function* () {
      const world = yield* makeWorld({ a: [{ ...ok(), delayMs: 5_000 }, ok()], b: [ok()], c: [ok()] })
      yield* runIn(
        world,
        Effect.gen(function* () {
          const engine = yield* WorkflowEngine
          const running = yield* Effect.fork(
            engine.start({ definition: threePhases({}, { timeoutMs: 100 }), runId: "run-timeout" })
          )
          yield* settle
          yield* TestClock.adjust("100 millis")
          const outcome = yield* Fiber.join(running)
          expect(outcome.status).toBe("completed")
          const failed = (yield* eventsOf("run-timeout")).find((e) => e.type === "agent/failed")
          expect(failed?.payload).toMatchObject({
            failureClass: "timeout",
            charged: { wallMs: 100, iterations: 1 }
          })
          expect(String(failed?.payload.reason)).toContain("within 100 ms")
          yield* expectConsistent("run-timeout")
        })
      )
    })
  )

  it.effect("start refuses unknown agents and gates, and non-JSON input, before creating the run", () =>
    Effect.gen(function* () {
      const world = yield* makeWorld({})
      yield* runIn(
        world,
        Effect.gen(function* () {
          const engine = yield* WorkflowEngine
          const noAgent = threePhases({}, { agent: "ghost" })
          expect(yield* Effect.flip(engine.start({ definition: noAgent, runId: "r1" }))).toMatchObject({
            _tag: "UnknownAgent",
            agentId: "ghost"
          })
          const noGate = threePhases({}, { gates: ["nope"] })
          expect(yield* Effect.flip(engine.start({ definition: noGate, runId: "r2" }))).toMatchObject({
            _tag: "UnknownGate"
          })
          const badInput = yield* Effect.flip(
            engine.start({ definition: threePhases(), input: { n: 1n }, runId: "r3" })
          )
          expect(badInput).toMatchObject({ _tag: "InvalidRequest", field: "input" })
          const invalid = yield* Effect.flip(engine.start({ definition: { id: "x" }, runId: "r4" }))
          expect(invalid).toMatchObject({ _tag: "InvalidWorkflow" })
          const store = yield* RunStore
          expect(yield* store.list()).toEqual([])
        })
      )
    })
  )
})
