import { it } from "@effect/vitest"
import type { EventLog } from "@gauntlet/event-stream"
import type { RunStore } from "@gauntlet/run-store"
import { Effect, Fiber, Ref, TestClock } from "effect"
import { describe, expect } from "vitest"
import { WorkflowEngine } from "../src/index.js"
import {
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

const slow = (ms: number) => ({ ...ok(), delayMs: ms })

describe("WorkflowEngine: pause, resume, cancel", () => {
  it.effect(
    "pause stops an executing run at the next boundary; resume continues without repeating a phase",
    () =>
      Effect.gen(function* () {
        const world = yield* makeWorld({ a: [slow(1000)], b: [ok()], c: [ok()] })
        yield* runIn(
          world,
          Effect.gen(function* () {
            const engine = yield* WorkflowEngine
            const running = yield* Effect.fork(
              engine.start({ definition: threePhases(), runId: "run-pause" })
            )
            yield* settle
            expect(world.agent.invocations()).toHaveLength(1)
            const pausing = yield* Effect.fork(engine.pause("run-pause", "ops", "maintenance window"))
            yield* settle
            yield* TestClock.adjust("1 second")
            const paused = yield* Fiber.join(pausing)
            expect(paused).toMatchObject({ runId: "run-pause", status: "paused" })
            expect(yield* Fiber.join(running)).toEqual(paused)
            const events = yield* eventsOf("run-pause")
            const pauseEvent = events.at(-1)
            expect(pauseEvent).toMatchObject({
              type: "run/paused",
              actor: "ops",
              payload: { reason: "maintenance window", pausedBy: "ops" }
            })
            expect((yield* expectConsistent("run-pause")).phases).toEqual({
              a: { status: "succeeded", attempts: 1 }
            })

            const resumed = yield* engine.resume("run-pause", { by: "ops" })
            expect(resumed.status).toBe("completed")
            expect(world.agent.invocations().map((i) => i.phase)).toEqual(["a", "b", "c"])
            const after = yield* eventsOf("run-pause")
            expect(after.find((e) => e.type === "run/resumed")?.payload).toMatchObject({
              reason: "resumed after a pause",
              resumedBy: "ops",
              fromPhase: "a"
            })
            yield* expectConsistent("run-pause")
          })
        )
      })
  )

  it.effect(
    "pause of a run that is not executing here is recorded directly; a paused run cannot be paused again",
    () =>
      Effect.gen(function* () {
        const world = yield* makeWorld({ a: [slow(5000)], b: [ok()], c: [ok()] })
        yield* runIn(
          world,
          Effect.gen(function* () {
            const engine = yield* WorkflowEngine
            const running = yield* Effect.fork(
              engine.start({ definition: threePhases(), runId: "run-crash-pause" })
            )
            yield* settle
            yield* Fiber.interrupt(running)
            const paused = yield* engine.pause("run-crash-pause", "ops")
            expect(paused.status).toBe("paused")
            const twice = yield* Effect.flip(engine.pause("run-crash-pause", "ops"))
            expect(twice).toMatchObject({ _tag: "IllegalTransition", from: "paused", event: "pause" })
            yield* expectConsistent("run-crash-pause")
          })
        )
      })
  )

  it.effect("cancel interrupts the running attempt, charges its worst case and is terminal", () =>
    Effect.gen(function* () {
      const world = yield* makeWorld({ a: [ok()], b: [slow(60_000)], c: [ok()] })
      yield* runIn(
        world,
        Effect.gen(function* () {
          const engine = yield* WorkflowEngine
          const running = yield* Effect.fork(
            engine.start({
              definition: threePhases({}, { estimate: { tokens: 100, iterations: 1 } }),
              runId: "run-cancel"
            })
          )
          yield* settle
          expect(world.agent.invocations().map((i) => i.phase)).toEqual(["a", "b"])
          const outcome = yield* engine.cancel("run-cancel", "ops", "wrong branch")
          expect(outcome).toMatchObject({ runId: "run-cancel", status: "cancelled", phase: "b" })
          expect(yield* Fiber.join(running)).toEqual(outcome)
          expect(yield* Ref.get(world.terminal)).toEqual([outcome])
          const types = yield* typesOf("run-cancel")
          expect(types.slice(-2)).toEqual(["agent/failed", "workflow/cancelled"])
          const events = yield* eventsOf("run-cancel")
          expect(events.at(-1)?.payload).toEqual({ reason: "wrong branch", cancelledBy: "ops", phase: "b" })
          expect(events.at(-2)?.payload).toMatchObject({ charged: { tokens: 100, iterations: 1 } })
          const projection = yield* expectConsistent("run-cancel")
          expect(projection.budgetSpent.tokens).toBe(15 + 100)
          const again = yield* Effect.flip(engine.resume("run-cancel"))
          expect(again).toMatchObject({ _tag: "RunFinished", status: "cancelled" })
          const cancelAgain = yield* Effect.flip(engine.cancel("run-cancel", "ops"))
          expect(cancelAgain._tag).toBe("RunFinished")
        })
      )
    })
  )
})

describe("WorkflowEngine: resume", () => {
  it.effect(
    "a run interrupted mid-phase resumes from its checkpoint without re-invoking completed phases",
    () =>
      Effect.gen(function* () {
        const world = yield* makeWorld({ a: [ok()], b: [slow(10_000), ok()], c: [ok()] })
        yield* runIn(
          world,
          Effect.gen(function* () {
            const engine = yield* WorkflowEngine
            const running = yield* Effect.fork(
              engine.start({ definition: threePhases(), runId: "run-crash" })
            )
            yield* settle
            yield* Fiber.interrupt(running)
            const stopped = yield* expectConsistent("run-crash")
            expect(stopped).toMatchObject({ status: "running", currentPhase: "b" })
            const outcome = yield* engine.resume("run-crash")
            expect(outcome.status).toBe("completed")
            const calls = world.agent.invocations().map((i) => `${i.phase}#${i.attempt}`)
            expect(calls).toEqual(["a#1", "b#1", "b#2", "c#1"])
            const events = yield* eventsOf("run-crash")
            const resumed = events.find((e) => e.type === "run/resumed")
            expect(resumed?.payload).toMatchObject({ fromPhase: "b", resumedBy: "kernel" })
            expect(resumed?.payload.forced).toBeUndefined()
            const projection = yield* expectConsistent("run-crash")
            expect(projection.phases).toEqual({
              a: { status: "succeeded", attempts: 1 },
              b: { status: "succeeded", attempts: 2 },
              c: { status: "succeeded", attempts: 1 }
            })
          })
        )
      })
  )

  it.effect("a changed spec is refused unless forced; the forced resume is recorded", () =>
    Effect.gen(function* () {
      const world = yield* makeWorld({ a: [ok()], b: [slow(10_000), ok()], c: [ok()], d: [ok()] })
      yield* runIn(
        world,
        Effect.gen(function* () {
          const engine = yield* WorkflowEngine
          const running = yield* Effect.fork(engine.start({ definition: threePhases(), runId: "run-spec" }))
          yield* settle
          yield* Fiber.interrupt(running)
          const changed = {
            ...threePhases(),
            phases: [...threePhases().phases, { name: "d", agent: "bot", gates: ["ok-gate"] }]
          }
          const refused = yield* Effect.flip(engine.resume("run-spec", { definition: changed }))
          expect(refused._tag).toBe("SpecChanged")
          if (refused._tag !== "SpecChanged") return
          expect(refused.expected).toMatch(/^sha256:[0-9a-f]{64}$/)
          expect(refused.actual).not.toBe(refused.expected)
          const otherInput = yield* Effect.flip(engine.resume("run-spec", { input: { ticket: "other" } }))
          expect(otherInput._tag).toBe("SpecChanged")

          const forced = yield* engine.resume("run-spec", { definition: changed, force: true, by: "lead" })
          expect(forced.status).toBe("completed")
          const events = yield* eventsOf("run-spec")
          const resumed = events.filter((e) => e.type === "run/resumed")
          expect(resumed).toHaveLength(1)
          expect(resumed[0]?.payload).toMatchObject({
            forced: true,
            resumedBy: "lead",
            specDigest: refused.actual
          })
          expect(world.agent.invocations().map((i) => i.phase)).toEqual(["a", "b", "b", "c", "d"])
          yield* expectConsistent("run-spec")
        })
      )
    })
  )

  it.effect("unknown runs are refused with RunNotFound", () =>
    Effect.gen(function* () {
      const world = yield* makeWorld({})
      yield* runIn(
        world,
        Effect.gen(function* () {
          const engine = yield* WorkflowEngine
          expect(yield* Effect.flip(engine.resume("nope"))).toMatchObject({
            _tag: "RunNotFound",
            runId: "nope"
          })
          expect(yield* Effect.flip(engine.pause("nope", "ops"))).toMatchObject({ _tag: "RunNotFound" })
          expect(yield* Effect.flip(engine.projection("nope"))).toMatchObject({ _tag: "RunNotFound" })
        })
      )
    })
  )

  it.effect("a run whose start was never recorded (store outage) starts on resume", () =>
    Effect.gen(function* () {
      const world = yield* makeWorld({ a: [ok()], b: [ok()], c: [ok()] }, { failingRecords: 1 })
      yield* runIn(
        world,
        Effect.gen(function* () {
          const engine = yield* WorkflowEngine
          const failed = yield* Effect.flip(engine.start({ definition: threePhases(), runId: "run-outage" }))
          expect(failed).toMatchObject({ _tag: "StoreFailure", detail: "disk full (simulated)" })
          expect(yield* typesOf("run-outage")).toEqual([])
          expect((yield* engine.projection("run-outage")).status).toBe("pending")
          const outcome = yield* engine.resume("run-outage")
          expect(outcome.status).toBe("completed")
          expect((yield* typesOf("run-outage"))[0]).toBe("workflow/started")
          yield* expectConsistent("run-outage")
        })
      )
    })
  )
})
