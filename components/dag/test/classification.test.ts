import { describe, expect, it } from "@effect/vitest"
import { Effect } from "effect"
import { NodeFailure, toNodeFailure } from "../src/index.js"
import { node, retry, runOne } from "./fixtures.js"

describe("NodeFailure and classification", () => {
  it("says its class and reason", () => {
    expect(new NodeFailure({ failureClass: "external", reason: "HTTP 503" }).message).toBe(
      "external: HTTP 503"
    )
  })

  it("toNodeFailure classifies anything thrown with @gauntlet/failure and keeps NodeFailures as they are", () => {
    const own = new NodeFailure({ failureClass: "policy", reason: "denied" })
    expect(toNodeFailure(own)).toBe(own)
    const refused = Object.assign(new Error("connect ECONNREFUSED 127.0.0.1:80"), { code: "ECONNREFUSED" })
    expect(toNodeFailure(refused)).toMatchObject({
      failureClass: "external",
      disposition: "retryable",
      reason: "Error: connect ECONNREFUSED 127.0.0.1:80"
    })
    expect(toNodeFailure({ status: 429, headers: { "retry-after": "7" } })).toMatchObject({
      failureClass: "external",
      retryAfterMs: 7000
    })
    expect(toNodeFailure({ status: 404, message: "no such repo" }, "fetch: ")).toMatchObject({
      failureClass: "tool-error",
      disposition: "terminal"
    })
  })

  it.effect("retries a defect whose classified class is retryable (a refused connection)", () =>
    Effect.gen(function* () {
      const refused = () =>
        Object.assign(new Error("connect ECONNREFUSED 10.0.0.1:443"), { code: "ECONNREFUSED" })
      const { node: r } = yield* runOne(node("net", [], { retry: retry(3, 1, 1) }), (n) =>
        n < 3 ? Effect.die(refused()) : Effect.succeed(n)
      )
      expect(r).toMatchObject({ status: "succeeded", attempts: 3 })
    })
  )

  it.effect("waits at least a failure's retryAfterMs (a server's Retry-After), even beyond the cap", () =>
    Effect.gen(function* () {
      const {
        node: r,
        gaps,
        events
      } = yield* runOne(node("limited", [], { retry: retry(2, 10, 20) }), (n) =>
        n < 2
          ? Effect.fail(new NodeFailure({ failureClass: "external", reason: "HTTP 429", retryAfterMs: 3000 }))
          : Effect.succeed(n)
      )
      expect(r).toMatchObject({ status: "succeeded", attempts: 2 })
      expect(gaps).toEqual([3000])
      expect(events.find((e) => e.type === "task/retried")).toMatchObject({ delayMs: 3000 })
    })
  )

  it.effect("does not retry a retryable class whose failure says terminal", () =>
    Effect.gen(function* () {
      const { node: r } = yield* runOne(node("gone", [], { retry: retry(5, 1, 1) }), () =>
        Effect.fail(
          new NodeFailure({ failureClass: "tool-error", disposition: "terminal", reason: "HTTP 404" })
        )
      )
      expect(r).toMatchObject({ status: "failed", attempts: 1, failure: { failureClass: "tool-error" } })
    })
  )

  it.effect("classifies an executor that fails with something other than a NodeFailure", () =>
    Effect.gen(function* () {
      const untyped = (() => Effect.fail("socket hang up")) as unknown as () => Effect.Effect<
        never,
        NodeFailure
      >
      const { node: r } = yield* runOne(node("js"), untyped)
      expect(r.status).toBe("failed")
      expect(r.failure!.reason).toBe("socket hang up")
      expect(r.failure!.failureClass).toBe(toNodeFailure("socket hang up").failureClass)
    })
  )
})
