import { afterAll, beforeAll, describe, expect, it } from "@effect/vitest"
import { classifyUnknown } from "@gauntlet/failure"
import { collectStream, LlmProviderError, type LlmRequest, type LlmStreamChunk } from "@gauntlet/llm"
import { Chunk, ConfigProvider, Effect, Either, Exit, Option, Stream } from "effect"
import { anthropicConfigFromEnv, makeAnthropicProvider, toAnthropicParams } from "../src/index.js"
import {
  errorBody,
  FAKE_KEY,
  type FakeAnthropic,
  messageBody,
  startFakeAnthropic,
  streamEvents
} from "./fakeAnthropicServer.js"

let server: FakeAnthropic
beforeAll(async () => {
  server = await startFakeAnthropic()
})
afterAll(() => server.close())

const provider = () => makeAnthropicProvider({ apiKey: FAKE_KEY, baseUrl: server.baseUrl })

const hello: LlmRequest = {
  model: "claude-sonnet-4-6",
  system: "You are terse.",
  messages: [{ role: "user", content: "Say hello" }],
  maxOutputTokens: 64
}

const lastBody = () => server.requests.at(-1)!.body

const failureOf = <A>(effect: Effect.Effect<A, LlmProviderError>) => Effect.flip(effect)

describe("Anthropic provider against a loopback Messages API", () => {
  it.live("completes a message: request mapping, headers, text, usage with cache tokens, request id", () =>
    Effect.gen(function* () {
      server.reply({
        kind: "json",
        body: messageBody({
          text: "Hello.",
          usage: {
            input_tokens: 12,
            output_tokens: 5,
            cache_read_input_tokens: 100,
            cache_creation_input_tokens: 8
          }
        })
      })
      const response = yield* provider().complete({ ...hello, temperature: 0.2, stop: ["END"] })
      expect(response).toEqual({
        model: "claude-sonnet-4-6",
        content: [{ type: "text", text: "Hello." }],
        text: "Hello.",
        finishReason: "stop",
        usage: { inputTokens: 120, outputTokens: 5, cachedInputTokens: 100 },
        providerRequestId: "msg_fake_1"
      })
      const recorded = server.requests.at(-1)!
      expect(recorded.headers.authorization ?? recorded.headers["x-api-key"]).toContain(FAKE_KEY)
      expect(recorded.headers["anthropic-version"]).toBeTypeOf("string")
      expect(recorded.body).toEqual({
        model: "claude-sonnet-4-6",
        max_tokens: 64,
        system: "You are terse.",
        messages: [{ role: "user", content: [{ type: "text", text: "Say hello" }] }],
        temperature: 0.2,
        stop_sequences: ["END"]
      })
    })
  )

  it.live("sends tools, tool choice, tool results and images; reads a tool_use answer", () =>
    Effect.gen(function* () {
      server.reply({
        kind: "json",
        body: messageBody({
          text: "Looking it up.",
          toolUse: { id: "toolu_2", name: "lookup", input: { q: "weather" } },
          stopReason: "tool_use"
        })
      })
      const response = yield* provider().complete({
        model: "claude-sonnet-4-6",
        maxOutputTokens: 100,
        tools: [
          {
            name: "lookup",
            description: "Look things up",
            inputSchema: { type: "object", properties: { q: { type: "string" } } }
          }
        ],
        toolChoice: "required",
        messages: [
          {
            role: "user",
            content: [
              { type: "text", text: "What is this?" },
              { type: "image", mediaType: "image/png", data: "iVBORw0KGgo=" }
            ]
          },
          {
            role: "assistant",
            content: [{ type: "tool-call", id: "toolu_1", name: "lookup", arguments: { q: "image" } }]
          },
          {
            role: "tool",
            content: [{ type: "tool-result", toolCallId: "toolu_1", content: "a cat", isError: false }]
          },
          { role: "user", content: "And the weather?" }
        ]
      })
      expect(response.finishReason).toBe("tool-calls")
      expect(response.content).toEqual([
        { type: "text", text: "Looking it up." },
        { type: "tool-call", id: "toolu_2", name: "lookup", arguments: { q: "weather" } }
      ])
      expect(lastBody()).toMatchObject({
        tools: [
          {
            name: "lookup",
            description: "Look things up",
            input_schema: { type: "object", properties: { q: { type: "string" } } }
          }
        ],
        tool_choice: { type: "any" },
        messages: [
          {
            role: "user",
            content: [
              { type: "text", text: "What is this?" },
              { type: "image", source: { type: "base64", media_type: "image/png", data: "iVBORw0KGgo=" } }
            ]
          },
          {
            role: "assistant",
            content: [{ type: "tool_use", id: "toolu_1", name: "lookup", input: { q: "image" } }]
          },
          {
            role: "user",
            content: [
              { type: "tool_result", tool_use_id: "toolu_1", content: "a cat", is_error: false },
              { type: "text", text: "And the weather?" }
            ]
          }
        ]
      })
    })
  )

  it.live("asks for JSON-schema structured output through output_config.format", () =>
    Effect.gen(function* () {
      server.reply({ kind: "json", body: messageBody({ text: '{"verdict":"pass"}' }) })
      const schema = { type: "object", properties: { verdict: { type: "string" } }, required: ["verdict"] }
      const response = yield* provider().complete({
        ...hello,
        responseFormat: { type: "json-schema", name: "review", schema }
      })
      expect(JSON.parse(response.text)).toEqual({ verdict: "pass" })
      expect(lastBody().output_config).toEqual({ format: { type: "json_schema", schema } })
    })
  )

  it.live("refuses a request the Messages API cannot express before any network traffic", () =>
    Effect.gen(function* () {
      const before = server.requests.length
      const error = yield* failureOf(
        provider().complete({
          model: "claude-sonnet-4-6",
          maxOutputTokens: 10,
          messages: [{ role: "assistant", content: [{ type: "image", mediaType: "image/png", data: "x" }] }]
        })
      )
      expect(error.kind).toBe("bad-request")
      expect(error.detail).toContain("messages[0].content[0]")
      expect(server.requests.length).toBe(before)
    })
  )

  it.live("streams text and tool-call deltas and ends with one done chunk carrying the usage", () =>
    Effect.gen(function* () {
      server.reply({
        kind: "sse",
        events: streamEvents({
          textPieces: ["Hel", "lo"],
          toolUse: { id: "toolu_9", name: "lookup", inputPieces: ['{"q":', '"x"}'] },
          stopReason: "tool_use"
        })
      })
      const chunks = Chunk.toReadonlyArray(yield* Stream.runCollect(provider().stream(hello)))
      expect(chunks.slice(0, -1)).toEqual<Array<LlmStreamChunk>>([
        { type: "text-delta", text: "Hel" },
        { type: "text-delta", text: "lo" },
        { type: "tool-call-delta", index: 0, id: "toolu_9", name: "lookup", argumentsDelta: "" },
        { type: "tool-call-delta", index: 0, argumentsDelta: '{"q":' },
        { type: "tool-call-delta", index: 0, argumentsDelta: '"x"}' }
      ])
      expect(chunks.at(-1)).toEqual({
        type: "done",
        response: {
          model: "claude-sonnet-4-6",
          content: [
            { type: "text", text: "Hello" },
            { type: "tool-call", id: "toolu_9", name: "lookup", arguments: { q: "x" } }
          ],
          text: "Hello",
          finishReason: "tool-calls",
          usage: { inputTokens: 40, outputTokens: 42, cachedInputTokens: 10 },
          providerRequestId: "msg_fake_stream"
        }
      })
      expect(lastBody().stream).toBe(true)
    })
  )

  it.live("collectStream gives the same response as the done chunk", () =>
    Effect.gen(function* () {
      server.reply({ kind: "sse", events: streamEvents({ textPieces: ["a", "b", "c"] }) })
      const response = yield* collectStream(provider().stream(hello), () => new Error("cut"))
      expect(response.text).toBe("abc")
      expect(response.finishReason).toBe("stop")
    })
  )
})

describe("Anthropic provider faults", () => {
  it.live("never retries on its own: one failing call is one request (the chokepoint retries)", () =>
    Effect.gen(function* () {
      const before = server.requests.length
      server.reply({ kind: "json", status: 503, body: errorBody("api_error", "unavailable") })
      yield* Effect.flip(provider().complete(hello))
      expect(server.requests.length - before).toBe(1)
    })
  )

  it.live("429 with retry-after is rate-limited with the server's delay (retryable, class external)", () =>
    Effect.gen(function* () {
      server.reply({
        kind: "json",
        status: 429,
        headers: { "retry-after": "7" },
        body: errorBody("rate_limit_error", "slow down")
      })
      const error = yield* failureOf(provider().complete(hello))
      expect(error).toMatchObject({
        kind: "rate-limited",
        status: 429,
        retryAfterMs: 7000,
        provider: "anthropic",
        model: "claude-sonnet-4-6",
        providerRequestId: "req_fake_1"
      })
      expect(error.detail).toBe("slow down")
      expect(classifyUnknown(error)).toMatchObject({ failureClass: "external", disposition: "retryable" })
    })
  )

  it.live("500 and 529 (overloaded) are server errors, retryable", () =>
    Effect.gen(function* () {
      server.reply(
        { kind: "json", status: 500, body: errorBody("api_error", "boom") },
        { kind: "json", status: 529, body: errorBody("overloaded_error", "overloaded") }
      )
      const first = yield* failureOf(provider().complete(hello))
      const second = yield* failureOf(provider().complete(hello))
      expect([first.kind, first.status, second.kind, second.status]).toEqual(["server", 500, "server", 529])
      expect(classifyUnknown(second).disposition).toBe("retryable")
    })
  )

  it.live("a wrong key is auth (401) and so is 403; neither is retried on this provider", () =>
    Effect.gen(function* () {
      const wrong = makeAnthropicProvider({ apiKey: "sk-wrong", baseUrl: server.baseUrl })
      const unauthorised = yield* failureOf(wrong.complete(hello))
      server.reply({ kind: "json", status: 403, body: errorBody("permission_error", "not allowed") })
      const forbidden = yield* failureOf(provider().complete(hello))
      expect([unauthorised.kind, unauthorised.status, forbidden.kind, forbidden.status]).toEqual([
        "auth",
        401,
        "auth",
        403
      ])
      expect(unauthorised.detail).toBe("invalid x-api-key")
    })
  )

  it.live("400 is a terminal bad request (class tool-error)", () =>
    Effect.gen(function* () {
      server.reply({
        kind: "json",
        status: 400,
        body: errorBody("invalid_request_error", "max_tokens: too large")
      })
      const error = yield* failureOf(provider().complete(hello))
      expect(error).toMatchObject({ kind: "bad-request", status: 400, detail: "max_tokens: too large" })
      expect(classifyUnknown(error)).toMatchObject({ failureClass: "tool-error" })
    })
  )

  it.live("a server that never answers times out (per-call timeout and the client's own timeout)", () =>
    Effect.gen(function* () {
      server.reply({ kind: "hang" }, { kind: "hang" })
      const perCall = yield* failureOf(provider().complete(hello, { timeoutMs: 150 }))
      expect(perCall.kind).toBe("timeout")
      const clientTimeout = makeAnthropicProvider({
        apiKey: FAKE_KEY,
        baseUrl: server.baseUrl,
        timeoutMs: 150
      })
      const sdkTimeout = yield* failureOf(clientTimeout.complete(hello))
      expect(sdkTimeout.kind).toBe("timeout")
      expect(classifyUnknown(sdkTimeout)).toMatchObject({ failureClass: "timeout", disposition: "retryable" })
    })
  )

  it.live("a stream whose connection is cut midway fails with stream-cut and never yields done", () =>
    Effect.gen(function* () {
      server.reply({
        kind: "sse",
        events: streamEvents({ textPieces: ["one ", "two ", "three"] }),
        destroyAfter: 5
      })
      const seen: Array<LlmStreamChunk> = []
      const exit = yield* Stream.runForEach(provider().stream(hello), (chunk) =>
        Effect.sync(() => seen.push(chunk))
      ).pipe(Effect.exit)
      expect(Exit.isFailure(exit)).toBe(true)
      const error = yield* Effect.flip(exit)
      expect(error).toMatchObject({ _tag: "LlmProviderError", kind: "stream-cut" })
      expect(seen.some((chunk) => chunk.type === "done")).toBe(false)
      expect(seen).toContainEqual({ type: "text-delta", text: "one " })
      expect(classifyUnknown(error)).toMatchObject({ failureClass: "external", disposition: "retryable" })
    })
  )

  it.live("a stream that ends cleanly before message_stop is also stream-cut", () =>
    Effect.gen(function* () {
      const events = streamEvents({ textPieces: ["partial"] }).slice(0, -1)
      server.reply({ kind: "sse", events })
      const error = yield* Effect.flip(Stream.runDrain(provider().stream(hello)))
      expect(error.kind).toBe("stream-cut")
      expect(error.detail).toContain("message_stop")
    })
  )

  it.live("an error event inside the stream is classified by its type (overloaded → server)", () =>
    Effect.gen(function* () {
      const events = [
        ...streamEvents({ textPieces: ["x"] }).slice(0, 4),
        { event: "error", data: errorBody("overloaded_error", "Overloaded") }
      ]
      server.reply({ kind: "sse", events })
      const error = yield* Effect.flip(Stream.runDrain(provider().stream(hello)))
      expect(error.kind).toBe("server")
      expect(error.detail).toContain("overloaded_error")
    })
  )

  it.live("a 429 on a streaming request fails before any chunk, with its delay", () =>
    Effect.gen(function* () {
      server.reply({
        kind: "json",
        status: 429,
        headers: { "retry-after": "2" },
        body: errorBody("rate_limit_error", "later")
      })
      const error = yield* Effect.flip(Stream.runDrain(provider().stream(hello)))
      expect(error).toMatchObject({ kind: "rate-limited", retryAfterMs: 2000 })
    })
  )

  it.live("a stream that stalls past its timeout fails with timeout", () =>
    Effect.gen(function* () {
      server.reply({ kind: "hang" })
      const error = yield* Effect.flip(Stream.runDrain(provider().stream(hello, { timeoutMs: 150 })))
      expect(error.kind).toBe("timeout")
    })
  )

  it.live("nothing listening is a network error", () =>
    Effect.gen(function* () {
      const closed = makeAnthropicProvider({ apiKey: FAKE_KEY, baseUrl: "http://127.0.0.1:1" })
      const error = yield* failureOf(closed.complete(hello))
      expect(error.kind).toBe("network")
      expect(error).toBeInstanceOf(LlmProviderError)
    })
  )
})

describe("anthropicConfigFromEnv", () => {
  it.effect("is configured only when ANTHROPIC_API_KEY is set; ANTHROPIC_BASE_URL is optional", () =>
    Effect.gen(function* () {
      const withKey = yield* Effect.withConfigProvider(
        anthropicConfigFromEnv,
        ConfigProvider.fromMap(
          new Map([
            ["ANTHROPIC_API_KEY", "k"],
            ["ANTHROPIC_BASE_URL", "http://127.0.0.1:9"]
          ])
        )
      )
      expect(withKey).toEqual(Option.some({ apiKey: "k", baseUrl: "http://127.0.0.1:9" }))
      const without = yield* Effect.withConfigProvider(
        anthropicConfigFromEnv,
        ConfigProvider.fromMap(new Map())
      )
      expect(Option.isNone(without)).toBe(true)
    })
  )
})

describe("toAnthropicParams", () => {
  it("maps every tool choice and drops an empty tool list", () => {
    const choices = (["auto", "none", "required", { name: "f" }] as const).map((toolChoice) =>
      Either.map(toAnthropicParams({ ...hello, tools: [], toolChoice }), (params) => [
        params.tool_choice,
        params.tools
      ])
    )
    expect(choices).toEqual([
      Either.right([{ type: "auto" }, undefined]),
      Either.right([{ type: "none" }, undefined]),
      Either.right([{ type: "any" }, undefined]),
      Either.right([{ type: "tool", name: "f" }, undefined])
    ])
  })

  it("refuses a tool result outside a tool message with its location", () => {
    const mapped = toAnthropicParams({
      ...hello,
      messages: [{ role: "user", content: [{ type: "tool-result", toolCallId: "t", content: "x" }] }]
    })
    expect(mapped).toEqual(
      Either.left({ detail: "messages[0].content[0]: a tool result may only appear in a tool message" })
    )
  })
})
