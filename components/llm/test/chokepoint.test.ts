import { describe, expect, it } from "@effect/vitest"
import { BudgetLedger, openReservations } from "@gauntlet/budget"
import { declaredClassOf } from "@gauntlet/failure"
import { Effect, Fiber, Layer, Option, TestClock } from "effect"
import {
  estimatePromptTokens,
  Llm,
  normalizeRequest,
  requestDigestOf,
  StageCache,
  StageCacheFailure
} from "../src/index.js"
import { ask, chokepoint, ctx, events, fakeProvider } from "./support.js"

describe("Llm.complete", () => {
  it.effect(
    "reserves the worst case, calls, commits the actual cost and records llm/request + llm/response",
    () =>
      Effect.gen(function* () {
        const alpha = yield* fakeProvider("alpha", [
          { text: "Budgets hold", usage: { inputTokens: 100, outputTokens: 20 } }
        ])
        const result = yield* Effect.gen(function* () {
          const llm = yield* Llm
          const done = yield* llm.complete(ask("alpha/big"), ctx)
          const ledger = yield* BudgetLedger
          return { done, state: yield* ledger.snapshot, log: yield* events }
        }).pipe(Effect.provide(chokepoint({ providers: [alpha.provider] })))
        // 100 × $10/M + 20 × $50/M = $0.002
        expect(result.done).toMatchObject({
          model: "alpha/big",
          provider: "alpha",
          costUsd: 0.002,
          source: "live"
        })
        expect(result.done.response.text).toBe("Budgets hold")
        expect((yield* alpha.calls)[0]?.model).toBe("big")
        expect(result.state.scopes.run?.spent).toMatchObject({ tokens: 120, costMicroUsd: 2000 })
        expect(openReservations(result.state)).toEqual([])
        expect(result.log.map((e) => e.type)).toEqual(["llm/request", "llm/response"])
        const request = ask("big")
        const estimated = estimatePromptTokens(request)
        expect(result.log[0]?.payload).toMatchObject({
          provider: "alpha",
          model: "alpha/big",
          maxOutputTokens: 1000,
          estimatedInputTokens: estimated,
          worstCaseCostUsd: (estimated * 10 + 1000 * 50) / 1e6,
          promptDigest: requestDigestOf(normalizeRequest("alpha", request)),
          phase: "implement",
          attempt: 1
        })
        expect(result.log[1]?.payload).toMatchObject({
          model: "alpha/big",
          inputTokens: 100,
          outputTokens: 20,
          costUsd: 0.002,
          source: "live",
          finishReason: "stop"
        })
      })
  )

  it.effect("refuses a call whose worst case does not fit the budget before any network traffic", () =>
    Effect.gen(function* () {
      const alpha = yield* fakeProvider("alpha", [{ text: "never" }])
      const { error, log } = yield* Effect.gen(function* () {
        const llm = yield* Llm
        const error = yield* Effect.flip(llm.complete(ask("alpha/big"), ctx))
        return { error, log: yield* events }
      }).pipe(Effect.provide(chokepoint({ providers: [alpha.provider], plan: { run: { costUsd: 0.01 } } })))
      expect(error._tag).toBe("BudgetExhausted")
      expect(declaredClassOf(error)).toEqual(Option.some("resource"))
      expect(yield* alpha.calls).toEqual([])
      expect(log).toEqual([])
    })
  )

  it.effect("a stream cut midway is an external error and nothing is committed", () =>
    Effect.gen(function* () {
      const alpha = yield* fakeProvider("alpha", [{ cut: 2 }])
      const { error, state, log } = yield* Effect.gen(function* () {
        const llm = yield* Llm
        const error = yield* Effect.flip(llm.complete(ask("alpha/big"), ctx, { stream: true }))
        return { error, state: yield* (yield* BudgetLedger).snapshot, log: yield* events }
      }).pipe(Effect.provide(chokepoint({ providers: [alpha.provider], config: { maxRetries: 0 } })))
      expect(error).toMatchObject({ _tag: "LlmProviderError", kind: "stream-cut" })
      expect(declaredClassOf(error)).toEqual(Option.some("external"))
      expect(state.scopes.run?.spent.costMicroUsd).toBe(0)
      expect(openReservations(state)).toEqual([])
      expect(log.map((e) => e.type)).toEqual(["llm/request"])
    })
  )

  it.effect("streams deltas to the observer and assembles the answer", () =>
    Effect.gen(function* () {
      const alpha = yield* fakeProvider("alpha", [{ text: "one two three" }])
      const seen: Array<string> = []
      const done = yield* Effect.flatMap(Llm, (llm) =>
        llm.complete(ask("alpha/big"), ctx, {
          onChunk: (chunk) => Effect.sync(() => void (chunk.type === "text-delta" && seen.push(chunk.text)))
        })
      ).pipe(Effect.provide(chokepoint({ providers: [alpha.provider] })))
      expect(seen).toEqual(["one ", "two ", "three "])
      expect(done.response.text).toBe("one two three")
    })
  )

  it.effect("honours retry-after on 429, then succeeds", () =>
    Effect.gen(function* () {
      const alpha = yield* fakeProvider("alpha", [
        { fail: "rate-limited", status: 429, retryAfterMs: 7000 },
        { text: "ok" }
      ])
      const fiber = yield* Effect.fork(
        Effect.flatMap(Llm, (llm) => llm.complete(ask("alpha/big"), ctx)).pipe(
          Effect.provide(chokepoint({ providers: [alpha.provider] }))
        )
      )
      yield* TestClock.adjust("6999 millis")
      expect((yield* alpha.calls).length).toBe(1)
      yield* TestClock.adjust("1 millis")
      const done = yield* Fiber.join(fiber)
      expect(done.response.text).toBe("ok")
      expect(done.tries).toEqual([
        {
          model: "alpha/big",
          error: "alpha big: rate-limited (HTTP 429): fake rate-limited, retry after 7000 ms"
        }
      ])
    })
  )

  it.effect(
    "retries 5xx with backoff, then falls back to a capability-matched model on another provider",
    () =>
      Effect.gen(function* () {
        const alpha = yield* fakeProvider("alpha", [
          { fail: "server", status: 503 },
          { fail: "server", status: 503 },
          { fail: "server", status: 503 }
        ])
        const beta = yield* fakeProvider("beta", [{ text: "from beta" }])
        const fiber = yield* Effect.fork(
          Effect.flatMap(Llm, (llm) =>
            Effect.zip(llm.complete(ask("alpha/big"), ctx, { fallbacks: ["beta/big"] }), events)
          ).pipe(Effect.provide(chokepoint({ providers: [alpha.provider, beta.provider] })))
        )
        yield* TestClock.adjust("100 millis")
        yield* TestClock.adjust("200 millis")
        const [done, log] = yield* Fiber.join(fiber)
        expect(done).toMatchObject({ model: "beta/big", provider: "beta" })
        expect((yield* alpha.calls).length).toBe(3)
        expect(done.tries.map((t) => t.model)).toEqual(["alpha/big", "alpha/big", "alpha/big"])
        expect(log.filter((e) => e.type === "llm/request").length).toBe(4)
        expect(log.filter((e) => e.type === "llm/response").length).toBe(1)
      })
  )

  it.effect("401 falls back; 400 is terminal with no retry and no fallback", () =>
    Effect.gen(function* () {
      const alpha = yield* fakeProvider("alpha", [
        { fail: "auth", status: 401 },
        { fail: "bad-request", status: 400 }
      ])
      const beta = yield* fakeProvider("beta", [{ text: "beta answers" }, { text: "unused" }])
      const [fellBack, terminal] = yield* Effect.flatMap(Llm, (llm) =>
        Effect.zip(
          llm.complete(ask("alpha/big"), ctx, { fallbacks: ["beta/big"] }),
          Effect.flip(llm.complete(ask("alpha/big"), ctx, { fallbacks: ["beta/big"] }))
        )
      ).pipe(Effect.provide(chokepoint({ providers: [alpha.provider, beta.provider] })))
      expect(fellBack.model).toBe("beta/big")
      expect(terminal).toMatchObject({ kind: "bad-request", status: 400 })
      expect(declaredClassOf(terminal)).toEqual(Option.some("tool-error"))
      expect((yield* beta.calls).length).toBe(1)
    })
  )

  it.effect("retries a call that times out", () =>
    Effect.gen(function* () {
      const alpha = yield* fakeProvider("alpha", [{ sleepMs: 60_000, text: "late" }, { text: "in time" }])
      const fiber = yield* Effect.fork(
        Effect.flatMap(Llm, (llm) => llm.complete(ask("alpha/big"), ctx)).pipe(
          Effect.provide(chokepoint({ providers: [alpha.provider], config: { timeoutMs: 1000 } }))
        )
      )
      yield* TestClock.adjust("1000 millis")
      yield* TestClock.adjust("100 millis")
      const done = yield* Fiber.join(fiber)
      expect(done.response.text).toBe("in time")
      expect(done.tries[0]?.error).toContain("timeout")
    })
  )

  it.effect("refuses unknown models, unconfigured providers and oversized outputs before reserving", () =>
    Effect.gen(function* () {
      const alpha = yield* fakeProvider("alpha", [])
      const errors = yield* Effect.flatMap(Llm, (llm) =>
        Effect.all([
          Effect.flip(llm.complete(ask("alpha/nope"), ctx)),
          Effect.flip(llm.complete(ask("beta/big"), ctx)),
          Effect.flip(llm.complete(ask("alpha/big", "x", { maxOutputTokens: 5000 }), ctx))
        ])
      ).pipe(Effect.provide(chokepoint({ providers: [alpha.provider] })))
      expect(errors.map((e) => e._tag)).toEqual([
        "LlmRequestRefused",
        "LlmRequestRefused",
        "LlmRequestRefused"
      ])
      expect(errors[1]?.message).toBe(
        "llm call to beta/big refused at /model: provider beta is not configured (register a beta provider)"
      )
      expect(errors[2]?.message).toContain(
        "/maxOutputTokens: 5000 exceeds the model's maximum output of 4000 tokens"
      )
    })
  )

  it.effect("answers a repeated templated request from the stage cache without paying twice", () =>
    Effect.gen(function* () {
      const alpha = yield* fakeProvider("alpha", [{ text: "cached" }])
      const request = ask("alpha/big", "Summarise", { promptTemplateId: "summary/v1" })
      const [first, second, state] = yield* Effect.flatMap(Llm, (llm) =>
        Effect.all([
          llm.complete(request, ctx),
          llm.complete(request, ctx),
          Effect.flatMap(BudgetLedger, (l) => l.snapshot)
        ])
      ).pipe(Effect.provide(chokepoint({ providers: [alpha.provider] })))
      expect(first.source).toBe("live")
      expect(second).toMatchObject({ source: "cache", costUsd: 0 })
      expect(second.response).toEqual(first.response)
      expect((yield* alpha.calls).length).toBe(1)
      expect(state.scopes.run?.spent.costMicroUsd).toBe(2000)
    })
  )

  it.effect("a stage cache that cannot store an answer does not fail the paid call", () =>
    Effect.gen(function* () {
      const alpha = yield* fakeProvider("alpha", [{ text: "paid" }])
      const broken = Layer.succeed(StageCache, {
        get: () => Effect.succeed(Option.none()),
        put: () => Effect.fail(new StageCacheFailure({ operation: "put", reason: "disk full" }))
      })
      const done = yield* Effect.flatMap(Llm, (llm) =>
        llm.complete(ask("alpha/big", "x", { promptTemplateId: "t/v1" }), ctx)
      ).pipe(Effect.provide(chokepoint({ providers: [alpha.provider], cache: broken })))
      expect(done).toMatchObject({ source: "live", costUsd: 0.002 })
    })
  )
})
