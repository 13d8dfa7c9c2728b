import { describe, expect, it } from "@effect/vitest"
import { Effect, Fiber, TestClock } from "effect"
import { runDag, type TaskEvent } from "../src/index.js"
import { fail, node, retry, runOne } from "./fixtures.js"

describe("runDag retries", () => {
  it.effect("retries a retryable class with exponential, jittered backoff until it succeeds", () =>
    Effect.gen(function* () {
      const {
        node: r,
        gaps,
        events
      } = yield* runOne(node("x", [], { retry: retry(5) }), (n) =>
        n < 3 ? fail("external", `503 on attempt ${n}`) : Effect.succeed("ok")
      )
      expect(r).toMatchObject({ status: "succeeded", attempts: 3, output: "ok" })
      expect(gaps.length).toBe(2)
      expect(gaps[0]).toBeGreaterThanOrEqual(80)
      expect(gaps[0]).toBeLessThanOrEqual(120)
      expect(gaps[1]).toBeGreaterThanOrEqual(160)
      expect(gaps[1]).toBeLessThanOrEqual(240)
      const retried = events.filter(
        (e): e is Extract<TaskEvent, { type: "task/retried" }> => e.type === "task/retried"
      )
      expect(retried.map((e) => [e.attempt, e.failureClass, e.reason])).toEqual([
        [1, "external", "503 on attempt 1"],
        [2, "external", "503 on attempt 2"]
      ])
      expect(retried.map((e) => e.delayMs)).toEqual(gaps)
      expect(events.map((e) => e.type)).toEqual([
        "task/ready",
        "task/started",
        "task/retried",
        "task/started",
        "task/retried",
        "task/started",
        "task/succeeded"
      ])
    })
  )

  it.effect("makes exactly maxAttempts attempts, then fails with the last failure", () =>
    Effect.gen(function* () {
      let calls = 0
      const { node: r, events } = yield* runOne(node("x", [], { retry: retry(4, 10, 50) }), (n) => {
        calls++
        return fail("tool-error", `tool crashed (${n})`)
      })
      expect(calls).toBe(4)
      expect(r).toMatchObject({
        status: "failed",
        attempts: 4,
        failure: { failureClass: "tool-error", reason: "tool crashed (4)" }
      })
      expect(events.filter((e) => e.type === "task/retried").length).toBe(3)
      expect(events.at(-1)).toMatchObject({ type: "task/failed", attempt: 4, failureClass: "tool-error" })
    })
  )

  it.effect("caps the delay at maxDelayMs", () =>
    Effect.gen(function* () {
      const { gaps } = yield* runOne(node("x", [], { retry: retry(4, 100, 150) }), (n) =>
        n < 4 ? fail("concurrency") : Effect.void
      )
      expect(gaps[0]).toBeGreaterThanOrEqual(80)
      expect(gaps[0]).toBeLessThanOrEqual(120)
      expect(gaps.slice(1)).toEqual([150, 150])
    })
  )

  it.effect("jitters the delays (80–120% of the exponential step)", () =>
    Effect.gen(function* () {
      const firstGaps = new Set<number>()
      for (let k = 0; k < 12; k++) {
        const { gaps } = yield* runOne(node("x", [], { retry: retry(2, 1000, 5000) }), (n) =>
          n < 2 ? fail("external") : Effect.void
        )
        expect(gaps[0]).toBeGreaterThanOrEqual(800)
        expect(gaps[0]).toBeLessThanOrEqual(1200)
        firstGaps.add(gaps[0]!)
      }
      expect(firstGaps.size).toBeGreaterThan(1)
    })
  )

  it.effect("never retries repairable or terminal classes", () =>
    Effect.gen(function* () {
      for (const failureClass of [
        "task-code",
        "agent-error",
        "policy",
        "resource",
        "data-integrity",
        "unknown"
      ] as const) {
        let calls = 0
        const { node: r } = yield* runOne(node("x", [], { retry: retry(5) }), () => {
          calls++
          return fail(failureClass)
        })
        expect([failureClass, calls, r.status, r.attempts]).toEqual([failureClass, 1, "failed", 1])
      }
    })
  )

  it.effect("uses the run's defaultRetry for nodes that declare none, and the node's own policy first", () =>
    Effect.gen(function* () {
      let calls = 0
      const flaky = () => {
        calls++
        return fail("external")
      }
      yield* runOne(node("x"), flaky, { defaultRetry: retry(3, 1, 1) })
      expect(calls).toBe(3)
      calls = 0
      yield* runOne(node("x", [], { retry: retry(2, 1, 1) }), flaky, { defaultRetry: retry(3, 1, 1) })
      expect(calls).toBe(2)
      calls = 0
      yield* runOne(node("x"), flaky)
      expect(calls).toBe(1)
    })
  )

  it.effect("keeps dependents waiting during backoff and runs them after the retry succeeds", () =>
    Effect.gen(function* () {
      const startedAt: Record<string, number> = {}
      const fiber = yield* Effect.fork(
        runDag({
          dag: { nodes: [node("flaky", [], { retry: retry(2, 1000, 1000) }), node("next", ["flaky"])] },
          concurrency: 2,
          execute: (nd, n) =>
            Effect.gen(function* () {
              startedAt[`${nd.id}#${n}`] = yield* TestClock.currentTimeMillis
              if (nd.id === "flaky" && n === 1) return yield* fail("external")
            })
        })
      )
      yield* TestClock.adjust("1 minute")
      const result = yield* Fiber.join(fiber)
      expect(result.status).toBe("succeeded")
      expect(startedAt["flaky#1"]).toBe(0)
      expect(startedAt["flaky#2"]).toBe(startedAt["next#1"])
      expect(startedAt["flaky#2"]).toBeGreaterThanOrEqual(800)
    })
  )
})

describe("runDag timeouts and defects", () => {
  it.effect("interrupts an attempt that exceeds timeoutMs and fails it with class timeout", () =>
    Effect.gen(function* () {
      let interrupted = 0
      const { node: r } = yield* runOne(node("hang", [], { timeoutMs: 50 }), () =>
        Effect.never.pipe(Effect.onInterrupt(() => Effect.sync(() => interrupted++)))
      )
      expect(interrupted).toBe(1)
      expect(r).toMatchObject({
        status: "failed",
        attempts: 1,
        failure: { failureClass: "timeout", reason: 'attempt 1 of node "hang" timed out after 50ms' },
        startedAt: 0,
        finishedAt: 50
      })
    })
  )

  it.effect("retries timeouts (a retryable class), each attempt with its own timeout", () =>
    Effect.gen(function* () {
      let interrupted = 0
      const { node: r, starts } = yield* runOne(
        node("slow", [], { timeoutMs: 50, retry: retry(3, 10, 10) }),
        (n) =>
          n < 3
            ? Effect.never.pipe(Effect.onInterrupt(() => Effect.sync(() => interrupted++)))
            : Effect.succeed(n)
      )
      expect(interrupted).toBe(2)
      expect(r).toMatchObject({ status: "succeeded", attempts: 3, output: 3 })
      // Each attempt times out at 50ms, then waits 8–10ms (10ms jittered to 80–120%, capped at 10ms).
      expect(starts[0]).toBe(0)
      expect(starts[1]! - 50).toBeGreaterThanOrEqual(8)
      expect(starts[1]! - 50).toBeLessThanOrEqual(10)
      expect(starts[2]! - starts[1]! - 50).toBeGreaterThanOrEqual(8)
      expect(starts[2]! - starts[1]! - 50).toBeLessThanOrEqual(10)
    })
  )

  it.effect("does not time out an attempt that finishes in time", () =>
    Effect.gen(function* () {
      const { node: r } = yield* runOne(node("ok", [], { timeoutMs: 50 }), () =>
        Effect.as(Effect.sleep(49), "done")
      )
      expect(r).toMatchObject({ status: "succeeded", output: "done", durationMs: 49 })
    })
  )

  it.effect("classifies a throwing executor as unknown and skips its dependents", () =>
    Effect.gen(function* () {
      const result = yield* runDag({
        dag: { nodes: [node("boom"), node("child", ["boom"]), node("grandchild", ["child"]), node("other")] },
        concurrency: 2,
        execute: (nd) => {
          if (nd.id === "boom") throw new TypeError("cannot read x of undefined")
          return Effect.succeed(nd.id)
        }
      })
      expect(result.nodes.get("boom")!.failure).toEqual({
        failureClass: "unknown",
        reason: "executor defect: TypeError: cannot read x of undefined"
      })
      expect(result.nodes.get("child")).toMatchObject({ status: "skipped", causeChain: ["boom"] })
      expect(result.nodes.get("grandchild")).toMatchObject({
        status: "skipped",
        causeChain: ["boom", "child"]
      })
      expect(result.nodes.get("other")!.status).toBe("succeeded")
      expect(result.status).toBe("failed")
      expect(result.counts).toEqual({ succeeded: 1, failed: 1, skipped: 2, cancelled: 0 })
    })
  )

  it.effect("reports a node that interrupts itself as cancelled and skips its dependents", () =>
    Effect.gen(function* () {
      const result = yield* runDag({
        dag: { nodes: [node("quits"), node("child", ["quits"])] },
        concurrency: 1,
        execute: (nd) => (nd.id === "quits" ? Effect.interrupt : Effect.void)
      })
      expect(result.nodes.get("quits")!.status).toBe("cancelled")
      expect(result.nodes.get("child")).toMatchObject({ status: "skipped", causeChain: ["quits"] })
    })
  )
})
