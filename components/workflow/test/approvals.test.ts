import { it } from "@effect/vitest"
import type { EventLog } from "@gauntlet/event-stream"
import { RunStore } from "@gauntlet/run-store"
import { Effect, Option, Ref } from "effect"
import { describe, expect } from "vitest"
import { WorkflowEngine } from "../src/index.js"
import {
  bad,
  eventsOf,
  expectConsistent,
  makeWorld,
  ok,
  threePhases,
  typesOf,
  type World
} from "./support.js"

const runIn = <A, E>(world: World, program: Effect.Effect<A, E, WorkflowEngine | RunStore | EventLog>) =>
  Effect.provide(program, world.layer)

/** Phase b fails its gate twice (maxAttempts 2), so the run escalates. */
const escalating = threePhases({}, { maxAttempts: 2 })

describe("WorkflowEngine: escalation and approvals", () => {
  it.effect(
    "exhaustion escalates to awaiting-approval with a durable approval; approve continues and completes",
    () =>
      Effect.gen(function* () {
        const world = yield* makeWorld({ a: [ok()], b: [bad("one"), bad("two"), ok()], c: [ok()] })
        yield* runIn(
          world,
          Effect.gen(function* () {
            const engine = yield* WorkflowEngine
            const store = yield* RunStore
            const waiting = yield* engine.start({ definition: escalating, runId: "run-esc" })
            expect(waiting.status).toBe("awaiting-approval")
            expect(waiting.phase).toBe("b")
            const approvalId = waiting.approvalId as string
            const pending = Option.getOrThrow(yield* store.approval(approvalId))
            expect(pending).toMatchObject({ runId: "run-esc", phase: "b", status: "pending" })
            expect(pending.reason).toContain("inner loop exhausted after 2 attempt(s)")
            expect((yield* typesOf("run-esc")).slice(-4)).toEqual([
              "gate/failed",
              "phase/failed",
              "approval/requested",
              "run/paused"
            ])
            const halfway = yield* expectConsistent("run-esc")
            expect(halfway).toMatchObject({
              status: "awaiting-approval",
              currentPhase: "b",
              pendingApproval: approvalId,
              phases: { b: { status: "escalated", attempts: 2 } }
            })
            expect(yield* Ref.get(world.terminal)).toEqual([])

            const done = yield* engine.approve(approvalId, {
              by: "alice",
              reason: "try once more",
              method: "human"
            })
            expect(done.status).toBe("completed")
            const decided = Option.getOrThrow(yield* store.approval(approvalId))
            expect(decided).toMatchObject({
              status: "approved",
              decidedBy: "alice",
              method: "human",
              justification: "try once more"
            })
            const b = world.contexts.filter((c) => c.phase === "b")
            expect(b.map((c) => [c.attempt, c.strategy])).toEqual([
              [1, "direct"],
              [2, "alternative"],
              [3, "escalated"]
            ])
            const events = yield* eventsOf("run-esc")
            expect(events.find((e) => e.type === "approval/granted")?.payload).toEqual({
              approvalId,
              approver: "alice",
              method: "human",
              comment: "try once more"
            })
            expect(events.find((e) => e.type === "approval/granted")?.actor).toBe("alice")
            const final = yield* expectConsistent("run-esc")
            expect(final.phases.b).toEqual({ status: "succeeded", attempts: 3 })
            expect(final.pendingApproval).toBeNull()
            const again = yield* Effect.flip(
              engine.approve(approvalId, { by: "bob", reason: "late", method: "human" })
            )
            expect(again._tag).toBe("ApprovalDecided")
          })
        )
      })
  )

  it.effect("reject ends the run failed with class policy and calls the terminal hook", () =>
    Effect.gen(function* () {
      const world = yield* makeWorld({ a: [ok()], b: [bad(), bad()] })
      yield* runIn(
        world,
        Effect.gen(function* () {
          const engine = yield* WorkflowEngine
          const waiting = yield* engine.start({ definition: escalating, runId: "run-rej" })
          const outcome = yield* engine.reject(waiting.approvalId as string, {
            by: "carol",
            reason: "out of scope",
            method: "policy"
          })
          expect(outcome).toMatchObject({
            runId: "run-rej",
            status: "failed",
            failureClass: "policy",
            phase: "b"
          })
          expect(outcome.reason).toContain("rejected by carol (policy): out of scope")
          expect(yield* Ref.get(world.terminal)).toEqual([outcome])
          expect((yield* typesOf("run-rej")).slice(-2)).toEqual(["approval/rejected", "workflow/failed"])
          const projection = yield* expectConsistent("run-rej")
          expect(projection.failure).toMatchObject({ failureClass: "policy", phase: "b" })
          expect(projection.phases.b?.status).toBe("failed")
          const resumed = yield* Effect.flip(engine.resume("run-rej"))
          expect(resumed).toMatchObject({ _tag: "RunFinished", status: "failed" })
        })
      )
    })
  )

  it.effect("decisions need an actor and a justification; unknown approvals are refused", () =>
    Effect.gen(function* () {
      const world = yield* makeWorld({ a: [ok()], b: [bad(), bad()] })
      yield* runIn(
        world,
        Effect.gen(function* () {
          const engine = yield* WorkflowEngine
          const waiting = yield* engine.start({ definition: escalating, runId: "run-dec" })
          const noActor = yield* Effect.flip(
            engine.approve(waiting.approvalId as string, { by: " ", reason: "ok", method: "human" })
          )
          expect(noActor).toMatchObject({ _tag: "InvalidRequest", field: "by" })
          const noReason = yield* Effect.flip(
            engine.approve(waiting.approvalId as string, { by: "dan", reason: "", method: "human" })
          )
          expect(noReason).toMatchObject({ _tag: "InvalidRequest", field: "reason" })
          const unknown = yield* Effect.flip(
            engine.approve("nope", { by: "dan", reason: "x", method: "human" })
          )
          expect(unknown).toMatchObject({ _tag: "ApprovalNotFound", approvalId: "nope" })
          const paused = yield* Effect.flip(engine.pause("run-dec", "dan"))
          expect(paused).toMatchObject({
            _tag: "IllegalTransition",
            from: "awaiting-approval",
            event: "pause"
          })
          yield* expectConsistent("run-dec")
        })
      )
    })
  )
})

describe("WorkflowEngine: terminal failures", () => {
  it.effect(
    "budget exhaustion ends the run failed with class resource and calls the terminal hook once",
    () =>
      Effect.gen(function* () {
        const world = yield* makeWorld({ a: [ok()], b: [ok()], c: [ok()] })
        yield* runIn(
          world,
          Effect.gen(function* () {
            const engine = yield* WorkflowEngine
            const outcome = yield* engine.start({
              definition: threePhases({ budget: { iterations: 2 } }),
              runId: "run-budget"
            })
            expect(outcome).toMatchObject({ status: "failed", failureClass: "resource", phase: "c" })
            expect(outcome.reason).toContain("iterations")
            expect(world.agent.invocations().map((i) => i.phase)).toEqual(["a", "b"])
            expect(yield* Ref.get(world.terminal)).toEqual([outcome])
            expect((yield* typesOf("run-budget")).slice(-2)).toEqual(["phase/failed", "workflow/failed"])
            const projection = yield* expectConsistent("run-budget")
            expect(projection.budgetSpent.iterations).toBe(2)
          })
        )
      })
  )

  it.effect("a worst-case estimate over a phase budget is refused before the agent is called", () =>
    Effect.gen(function* () {
      const world = yield* makeWorld({ a: [ok()] })
      yield* runIn(
        world,
        Effect.gen(function* () {
          const engine = yield* WorkflowEngine
          const definition = {
            id: "tight",
            version: "1",
            family: "custom",
            phases: [
              { name: "a", agent: "bot", gates: [], budget: { costUsd: 0.5 }, estimate: { costUsd: 0.75 } }
            ],
            budget: {}
          }
          const outcome = yield* engine.start({ definition, runId: "run-tight" })
          expect(outcome).toMatchObject({ status: "failed", failureClass: "resource", phase: "a" })
          expect(outcome.reason).toContain("run/phase:a")
          expect(world.agent.invocations()).toEqual([])
          yield* expectConsistent("run-tight")
        })
      )
    })
  )

  it.effect("a terminal agent failure fails the run with the class the runtime classified", () =>
    Effect.gen(function* () {
      const world = yield* makeWorld({
        a: [{ fail: { failureClass: "data-integrity", reason: "hash mismatch" } }]
      })
      yield* runIn(
        world,
        Effect.gen(function* () {
          const engine = yield* WorkflowEngine
          const outcome = yield* engine.start({ definition: threePhases(), runId: "run-term" })
          expect(outcome).toMatchObject({ status: "failed", failureClass: "data-integrity", phase: "a" })
          expect(world.agent.invocations()).toHaveLength(1)
          const events = yield* eventsOf("run-term")
          expect(events.find((e) => e.type === "agent/failed")?.payload).toMatchObject({
            agent: "bot",
            failureClass: "data-integrity",
            charged: { iterations: 1 }
          })
          yield* expectConsistent("run-term")
        })
      )
    })
  )

  it.effect("a retryable agent failure is retried within the inner loop", () =>
    Effect.gen(function* () {
      const world = yield* makeWorld({
        a: [{ fail: { failureClass: "external", reason: "HTTP 503" } }, ok()],
        b: [ok()],
        c: [ok()]
      })
      yield* runIn(
        world,
        Effect.gen(function* () {
          const engine = yield* WorkflowEngine
          const outcome = yield* engine.start({ definition: threePhases(), runId: "run-retry" })
          expect(outcome.status).toBe("completed")
          const a = world.contexts.filter((c) => c.phase === "a")
          expect(a[1]?.feedback[0]?.message).toContain("external")
          const projection = yield* expectConsistent("run-retry")
          expect(projection.phases.a).toEqual({ status: "succeeded", attempts: 2 })
        })
      )
    })
  )
})
