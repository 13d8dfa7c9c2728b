import { describe, expect, it } from "@effect/vitest"
import { canonicalize } from "@gauntlet/canonical"
import { declaredClassOf } from "@gauntlet/failure"
import { Effect, Either, Option, Stream } from "effect"
import {
  collectStream,
  estimatePromptTokens,
  LlmProviderError,
  makeLlmProviders,
  providerErrorFromStatus
} from "../src/index.js"

const failure = (status: number, headers?: Record<string, string>) =>
  providerErrorFromStatus({
    provider: "openai",
    model: "gpt-4.1-mini",
    status,
    detail: "boom",
    ...(headers ? { headers } : {})
  })

describe("providerErrorFromStatus", () => {
  it("classifies statuses by recovery", () => {
    expect(failure(429, { "retry-after": "2" })).toMatchObject({ kind: "rate-limited", retryAfterMs: 2000 })
    expect(failure(500).kind).toBe("server")
    expect(failure(529).kind).toBe("server")
    expect(failure(401).kind).toBe("auth")
    expect(failure(403).kind).toBe("auth")
    expect(failure(403, { "retry-after": "1" }).kind).toBe("rate-limited")
    expect(failure(400).kind).toBe("bad-request")
    expect(failure(404).kind).toBe("bad-request")
    expect(failure(504).kind).toBe("timeout")
  })

  it("declares failure classes and names provider, model and status", () => {
    expect(declaredClassOf(failure(400))).toEqual(Option.some("tool-error"))
    expect(declaredClassOf(failure(503))).toEqual(Option.some("external"))
    expect(declaredClassOf(failure(408))).toEqual(Option.some("timeout"))
    expect(failure(429, { "retry-after": "3" }).message).toBe(
      "openai gpt-4.1-mini: rate-limited (HTTP 429): boom, retry after 3000 ms"
    )
  })
})

describe("provider registry", () => {
  it("refuses duplicate ids", () => {
    const provider = { id: "x", complete: () => Effect.die("unused"), stream: () => Stream.empty }
    expect(Either.isLeft(makeLlmProviders([provider, provider]))).toBe(true)
    const registry = Either.getOrThrow(makeLlmProviders([provider]))
    expect(registry.ids).toEqual(["x"])
    expect(registry.get("y")).toBeUndefined()
  })
})

describe("collectStream", () => {
  const cut = () =>
    new LlmProviderError({ provider: "p", model: "m", kind: "stream-cut", detail: "no done chunk" })
  it.effect("returns the done chunk's response", () =>
    Effect.gen(function* () {
      const response = {
        model: "m",
        content: [{ type: "text" as const, text: "hi" }],
        text: "hi",
        finishReason: "stop" as const,
        usage: { inputTokens: 1, outputTokens: 1 }
      }
      const got = yield* collectStream(
        Stream.make({ type: "text-delta" as const, text: "hi" }, { type: "done" as const, response }),
        cut
      )
      expect(got).toEqual(response)
    })
  )
  it.effect("fails a stream that ends without done", () =>
    Effect.gen(function* () {
      const error = yield* Effect.flip(
        collectStream(Stream.make({ type: "text-delta" as const, text: "h" }), cut)
      )
      expect(error.kind).toBe("stream-cut")
    })
  )
})

describe("estimatePromptTokens", () => {
  it("is the RFC 8785 length of system, messages, tools and format / 3, plus 4 per message and 1 more", () => {
    const request = {
      model: "m",
      system: "Be brief.",
      messages: [{ role: "user" as const, content: 'héllo \u2028 "quoted"' }],
      maxOutputTokens: 10
    }
    const jcs = canonicalize({ system: request.system, messages: request.messages })
    expect(estimatePromptTokens(request)).toBe(Math.ceil(jcs.length / 3) + 8)
  })
})
