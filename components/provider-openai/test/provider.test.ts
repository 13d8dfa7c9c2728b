import { afterAll, beforeAll, describe, expect, it } from "@effect/vitest"
import { classifyUnknown } from "@gauntlet/failure"
import type { LlmRequest, LlmStreamChunk } from "@gauntlet/llm"
import { Chunk, ConfigProvider, Effect, Option, Stream } from "effect"
import {
  localConfigFromEnv,
  makeOpenAiProvider,
  maxTokensFieldOf,
  ollamaBaseUrlOf,
  openAiConfigFromEnv
} from "../src/index.js"
import {
  completionBody,
  errorBody,
  FAKE_KEY,
  type FakeOpenAi,
  startFakeOpenAi,
  streamChunks
} from "./fakeOpenAiServer.js"

let server: FakeOpenAi
let local: FakeOpenAi
beforeAll(async () => {
  server = await startFakeOpenAi()
  local = await startFakeOpenAi({ requireKey: false })
})
afterAll(async () => {
  await server.close()
  await local.close()
})

// `maxTokensField` pinned: the loopback server stands in for api.openai.com.
const provider = () =>
  makeOpenAiProvider({ apiKey: FAKE_KEY, baseUrl: server.baseUrl, maxTokensField: "max_completion_tokens" })

const hello: LlmRequest = {
  model: "gpt-4.1-mini",
  system: "Be brief.",
  messages: [{ role: "user", content: "Say hi" }],
  maxOutputTokens: 32
}

const lastBody = (fake: FakeOpenAi = server) => fake.requests.at(-1)!.body

describe("OpenAI provider against a loopback Chat Completions API", () => {
  it.live("completes: bearer key, system message, max_completion_tokens, text, usage, request id", () =>
    Effect.gen(function* () {
      server.reply({
        kind: "json",
        body: completionBody({
          content: "Hi.",
          usage: {
            prompt_tokens: 20,
            completion_tokens: 4,
            total_tokens: 24,
            prompt_tokens_details: { cached_tokens: 16 },
            completion_tokens_details: { reasoning_tokens: 2 }
          }
        })
      })
      const response = yield* provider().complete({ ...hello, temperature: 0, topP: 0.5, stop: ["\n\n"] })
      expect(response).toEqual({
        model: "gpt-4.1-mini-2025-04-14",
        content: [{ type: "text", text: "Hi." }],
        text: "Hi.",
        finishReason: "stop",
        usage: { inputTokens: 20, outputTokens: 4, cachedInputTokens: 16, reasoningTokens: 2 },
        providerRequestId: "chatcmpl-fake-1"
      })
      expect(server.requests.at(-1)!.headers.authorization).toBe(`Bearer ${FAKE_KEY}`)
      expect(lastBody()).toEqual({
        model: "gpt-4.1-mini",
        messages: [
          { role: "system", content: "Be brief." },
          { role: "user", content: "Say hi" }
        ],
        max_completion_tokens: 32,
        temperature: 0,
        top_p: 0.5,
        stop: ["\n\n"]
      })
    })
  )

  it.live(
    "sends function tools, tool choice, assistant tool calls, tool results and images; reads tool calls",
    () =>
      Effect.gen(function* () {
        server.reply({
          kind: "json",
          body: completionBody({
            toolCalls: [{ id: "call_2", name: "lookup", arguments: '{"q":"weather"}' }],
            finishReason: "tool_calls"
          })
        })
        const response = yield* provider().complete({
          model: "gpt-4.1-mini",
          maxOutputTokens: 50,
          tools: [
            {
              name: "lookup",
              description: "Look up",
              inputSchema: { type: "object", properties: { q: { type: "string" } } }
            }
          ],
          toolChoice: { name: "lookup" },
          messages: [
            {
              role: "user",
              content: [
                { type: "text", text: "What is it?" },
                { type: "image", mediaType: "image/png", data: "AAAA" }
              ]
            },
            {
              role: "assistant",
              content: [{ type: "tool-call", id: "call_1", name: "lookup", arguments: { q: "img" } }]
            },
            {
              role: "tool",
              content: [
                { type: "tool-result", toolCallId: "call_1", content: "a cat" },
                { type: "tool-result", toolCallId: "call_0", content: "n/a", isError: true }
              ]
            }
          ]
        })
        expect(response.finishReason).toBe("tool-calls")
        expect(response.content).toEqual([
          { type: "tool-call", id: "call_2", name: "lookup", arguments: { q: "weather" } }
        ])
        expect(lastBody()).toMatchObject({
          tools: [
            {
              type: "function",
              function: { name: "lookup", description: "Look up", parameters: { type: "object" } }
            }
          ],
          tool_choice: { type: "function", function: { name: "lookup" } },
          messages: [
            {
              role: "user",
              content: [
                { type: "text", text: "What is it?" },
                { type: "image_url", image_url: { url: "data:image/png;base64,AAAA" } }
              ]
            },
            {
              role: "assistant",
              content: null,
              tool_calls: [
                { id: "call_1", type: "function", function: { name: "lookup", arguments: '{"q":"img"}' } }
              ]
            },
            { role: "tool", tool_call_id: "call_1", content: "a cat" },
            { role: "tool", tool_call_id: "call_0", content: "n/a" }
          ]
        })
      })
  )

  it.live("keeps tool arguments that are not JSON as their raw text for the caller's decoder", () =>
    Effect.gen(function* () {
      server.reply({
        kind: "json",
        body: completionBody({
          toolCalls: [{ id: "c", name: "f", arguments: "{not json" }],
          finishReason: "tool_calls"
        })
      })
      const response = yield* provider().complete(hello)
      expect(response.content).toEqual([{ type: "tool-call", id: "c", name: "f", arguments: "{not json" }])
    })
  )

  it.live("asks for JSON-schema structured output (strict by default)", () =>
    Effect.gen(function* () {
      server.reply({ kind: "json", body: completionBody({ content: '{"ok":true}' }) })
      const schema = {
        type: "object",
        properties: { ok: { type: "boolean" } },
        required: ["ok"],
        additionalProperties: false
      }
      const response = yield* provider().complete({
        ...hello,
        responseFormat: { type: "json-schema", name: "verdict", schema }
      })
      expect(JSON.parse(response.text)).toEqual({ ok: true })
      expect(lastBody().response_format).toEqual({
        type: "json_schema",
        json_schema: { name: "verdict", schema, strict: true }
      })
    })
  )

  it.live("a refusal is content-filter", () =>
    Effect.gen(function* () {
      const body = completionBody({ content: null })
      server.reply({
        kind: "json",
        body: {
          ...body,
          choices: [
            {
              ...body.choices[0],
              message: { role: "assistant", content: null, refusal: "I can't help with that." }
            }
          ]
        }
      })
      const response = yield* provider().complete(hello)
      expect(response.finishReason).toBe("content-filter")
    })
  )

  it.live("streams text and tool-call deltas with include_usage and ends with one done chunk", () =>
    Effect.gen(function* () {
      server.reply({
        kind: "sse",
        chunks: streamChunks({
          textPieces: ["Hel", "lo"],
          toolCall: { id: "call_s", name: "lookup", argumentPieces: ['{"q"', ':"x"}'] },
          finishReason: "tool_calls"
        })
      })
      const chunks = Chunk.toReadonlyArray(yield* Stream.runCollect(provider().stream(hello)))
      expect(chunks.slice(0, -1)).toEqual<Array<LlmStreamChunk>>([
        { type: "text-delta", text: "Hel" },
        { type: "text-delta", text: "lo" },
        { type: "tool-call-delta", index: 0, id: "call_s", name: "lookup", argumentsDelta: "" },
        { type: "tool-call-delta", index: 0, argumentsDelta: '{"q"' },
        { type: "tool-call-delta", index: 0, argumentsDelta: ':"x"}' }
      ])
      expect(chunks.at(-1)).toEqual({
        type: "done",
        response: {
          model: "gpt-4.1-mini-2025-04-14",
          content: [
            { type: "text", text: "Hello" },
            { type: "tool-call", id: "call_s", name: "lookup", arguments: { q: "x" } }
          ],
          text: "Hello",
          finishReason: "tool-calls",
          usage: { inputTokens: 50, outputTokens: 9, cachedInputTokens: 32, reasoningTokens: 3 },
          providerRequestId: "chatcmpl-fake-stream"
        }
      })
      expect(lastBody()).toMatchObject({ stream: true, stream_options: { include_usage: true } })
    })
  )
})

describe("OpenAI-compatible local servers (Ollama, vLLM, llama.cpp)", () => {
  it.live("uses the configured base URL, a placeholder key and max_tokens", () =>
    Effect.gen(function* () {
      local.reply({ kind: "json", body: completionBody({ content: "local answer" }) })
      const config = yield* Effect.withConfigProvider(
        localConfigFromEnv,
        ConfigProvider.fromMap(new Map([["GAUNTLET_LOCAL_BASE_URL", local.baseUrl]]))
      )
      const localProvider = makeOpenAiProvider(Option.getOrThrow(config))
      expect(localProvider.id).toBe("local")
      const response = yield* localProvider.complete({ ...hello, model: "qwen2.5-coder:7b" })
      expect(response.text).toBe("local answer")
      expect(lastBody(local)).toMatchObject({ model: "qwen2.5-coder:7b", max_tokens: 32 })
      expect(lastBody(local).max_completion_tokens).toBeUndefined()
    })
  )

  it("chooses the output-bound field from the base URL unless configured", () => {
    expect(maxTokensFieldOf({ apiKey: "k" })).toBe("max_completion_tokens")
    expect(maxTokensFieldOf({ apiKey: "k", baseUrl: "https://api.openai.com/v1" })).toBe(
      "max_completion_tokens"
    )
    expect(maxTokensFieldOf({ apiKey: "k", baseUrl: "http://localhost:11434/v1" })).toBe("max_tokens")
    expect(
      maxTokensFieldOf({
        apiKey: "k",
        baseUrl: "http://localhost:8000/v1",
        maxTokensField: "max_completion_tokens"
      })
    ).toBe("max_completion_tokens")
  })
})

describe("OpenAI provider faults", () => {
  it.live("never retries on its own: one failing call is one request (the chokepoint retries)", () =>
    Effect.gen(function* () {
      const before = server.requests.length
      server.reply({ kind: "json", status: 503, body: errorBody("unavailable", "server_error") })
      yield* Effect.flip(provider().complete(hello))
      expect(server.requests.length - before).toBe(1)
    })
  )

  it.live("429 with retry-after-ms / retry-after is rate-limited with the server's delay", () =>
    Effect.gen(function* () {
      server.reply(
        {
          kind: "json",
          status: 429,
          headers: { "retry-after-ms": "1500" },
          body: errorBody("Rate limit reached", "requests", "rate_limit_exceeded")
        },
        {
          kind: "json",
          status: 429,
          headers: { "retry-after": "3" },
          body: errorBody("Rate limit reached", "requests", "rate_limit_exceeded")
        }
      )
      const first = yield* Effect.flip(provider().complete(hello))
      const second = yield* Effect.flip(provider().complete(hello))
      expect([first.kind, first.retryAfterMs, second.kind, second.retryAfterMs]).toEqual([
        "rate-limited",
        1500,
        "rate-limited",
        3000
      ])
      expect(first.providerRequestId).toBe("req_openai_fake")
      expect(classifyUnknown(first)).toMatchObject({ failureClass: "external", disposition: "retryable" })
    })
  )

  it.live("429 insufficient_quota is auth (the account cannot pay: fall back, do not retry)", () =>
    Effect.gen(function* () {
      server.reply({
        kind: "json",
        status: 429,
        body: errorBody("You exceeded your current quota", "insufficient_quota", "insufficient_quota")
      })
      const error = yield* Effect.flip(provider().complete(hello))
      expect(error).toMatchObject({ kind: "auth", status: 429 })
      expect(error.detail).toContain("insufficient_quota")
    })
  )

  it.live("5xx is server; 401 (wrong key) and 403 are auth; 400 is a terminal bad request", () =>
    Effect.gen(function* () {
      server.reply(
        { kind: "json", status: 503, body: errorBody("overloaded", "server_error") },
        {
          kind: "json",
          status: 403,
          body: errorBody(
            "Country not supported",
            "invalid_request_error",
            "unsupported_country_region_territory"
          )
        },
        {
          kind: "json",
          status: 400,
          body: errorBody("Invalid schema for response_format", "invalid_request_error")
        }
      )
      const server503 = yield* Effect.flip(provider().complete(hello))
      const forbidden = yield* Effect.flip(provider().complete(hello))
      const bad = yield* Effect.flip(provider().complete(hello))
      const wrongKey = yield* Effect.flip(
        makeOpenAiProvider({ apiKey: "sk-wrong", baseUrl: server.baseUrl }).complete(hello)
      )
      expect([server503.kind, forbidden.kind, bad.kind, wrongKey.kind]).toEqual([
        "server",
        "auth",
        "bad-request",
        "auth"
      ])
      expect(bad.detail).toBe("Invalid schema for response_format")
      expect(wrongKey.status).toBe(401)
      expect(classifyUnknown(bad)).toMatchObject({ failureClass: "tool-error" })
    })
  )

  it.live("a server that never answers times out", () =>
    Effect.gen(function* () {
      server.reply({ kind: "hang" }, { kind: "hang" })
      const perCall = yield* Effect.flip(provider().complete(hello, { timeoutMs: 150 }))
      const sdk = yield* Effect.flip(
        makeOpenAiProvider({ apiKey: FAKE_KEY, baseUrl: server.baseUrl, timeoutMs: 150 }).complete(hello)
      )
      expect([perCall.kind, sdk.kind]).toEqual(["timeout", "timeout"])
      expect(classifyUnknown(sdk)).toMatchObject({ failureClass: "timeout" })
    })
  )

  it.live("a stream cut midway fails with stream-cut after its deltas and never yields done", () =>
    Effect.gen(function* () {
      server.reply({ kind: "sse", chunks: streamChunks({ textPieces: ["a", "b", "c"] }), destroyAfter: 3 })
      const seen: Array<LlmStreamChunk> = []
      const error = yield* Effect.flip(
        Stream.runForEach(provider().stream(hello), (chunk) => Effect.sync(() => seen.push(chunk)))
      )
      expect(error.kind).toBe("stream-cut")
      expect(seen).toEqual([
        { type: "text-delta", text: "a" },
        { type: "text-delta", text: "b" }
      ])
    })
  )

  it.live("a stream that ends before its finish reason, or before its usage chunk, is stream-cut", () =>
    Effect.gen(function* () {
      const all = streamChunks({ textPieces: ["x"] })
      server.reply(
        { kind: "sse", chunks: all.slice(0, 2), done: false },
        { kind: "sse", chunks: all.slice(0, -1) }
      )
      const noFinish = yield* Effect.flip(Stream.runDrain(provider().stream(hello)))
      const noUsage = yield* Effect.flip(Stream.runDrain(provider().stream(hello)))
      expect([noFinish.kind, noUsage.kind]).toEqual(["stream-cut", "stream-cut"])
      expect(noFinish.detail).toContain("finish_reason")
      expect(noUsage.detail).toContain("usage")
    })
  )

  it.live("an error payload inside the stream is classified by its code", () =>
    Effect.gen(function* () {
      server.reply({
        kind: "sse",
        chunks: [
          ...streamChunks({ textPieces: ["x"] }).slice(0, 2),
          errorBody("The server had an error", "server_error", "server_error")
        ]
      })
      const error = yield* Effect.flip(Stream.runDrain(provider().stream(hello)))
      expect(error.kind).toBe("server")
      expect(error.detail).toContain("server_error")
    })
  )

  it.live("a stalled stream times out; nothing listening is a network error", () =>
    Effect.gen(function* () {
      server.reply({ kind: "hang" })
      const stalled = yield* Effect.flip(Stream.runDrain(provider().stream(hello, { timeoutMs: 150 })))
      const refused = yield* Effect.flip(
        makeOpenAiProvider({ apiKey: FAKE_KEY, baseUrl: "http://127.0.0.1:1/v1" }).complete(hello)
      )
      expect([stalled.kind, refused.kind]).toEqual(["timeout", "network"])
    })
  )

  it.live("a tool message holding text is refused before any network traffic", () =>
    Effect.gen(function* () {
      const before = server.requests.length
      const error = yield* Effect.flip(
        provider().complete({
          ...hello,
          messages: [{ role: "tool", content: [{ type: "text", text: "x" }] }]
        })
      )
      expect(error.kind).toBe("bad-request")
      expect(error.detail).toContain("messages[0].content[0]")
      expect(server.requests.length).toBe(before)
    })
  )
})

describe("openAiConfigFromEnv", () => {
  it.effect("reads OPENAI_API_KEY, OPENAI_BASE_URL and OPENAI_ORG_ID; none without a key", () =>
    Effect.gen(function* () {
      const env = new Map([
        ["OPENAI_API_KEY", "sk"],
        ["OPENAI_BASE_URL", "http://127.0.0.1:9/v1"],
        ["OPENAI_ORG_ID", "org-1"]
      ])
      const configured = yield* Effect.withConfigProvider(openAiConfigFromEnv, ConfigProvider.fromMap(env))
      expect(configured).toEqual(
        Option.some({ apiKey: "sk", baseUrl: "http://127.0.0.1:9/v1", organization: "org-1" })
      )
      const none = yield* Effect.withConfigProvider(openAiConfigFromEnv, ConfigProvider.fromMap(new Map()))
      expect(Option.isNone(none)).toBe(true)
    })
  )
})

describe("localConfigFromEnv", () => {
  it.effect("GAUNTLET_LOCAL_BASE_URL wins; else OLLAMA_HOST's /v1 endpoint; else not configured", () =>
    Effect.gen(function* () {
      const read = (entries: ReadonlyArray<[string, string]>) =>
        Effect.withConfigProvider(localConfigFromEnv, ConfigProvider.fromMap(new Map(entries)))
      expect(
        yield* read([
          ["GAUNTLET_LOCAL_BASE_URL", "http://gpu:8000/v1"],
          ["OLLAMA_HOST", "x:1"]
        ])
      ).toEqual(Option.some({ apiKey: "local-no-key", baseUrl: "http://gpu:8000/v1", providerId: "local" }))
      expect(
        yield* read([
          ["OLLAMA_HOST", "0.0.0.0:11434"],
          ["GAUNTLET_LOCAL_API_KEY", "k"]
        ])
      ).toEqual(Option.some({ apiKey: "k", baseUrl: "http://127.0.0.1:11434/v1", providerId: "local" }))
      expect(Option.isNone(yield* read([]))).toBe(true)
    })
  )

  it("normalises OLLAMA_HOST values", () => {
    expect(ollamaBaseUrlOf("localhost:11434")).toBe("http://localhost:11434/v1")
    expect(ollamaBaseUrlOf("https://ollama.internal:443/")).toBe("https://ollama.internal/v1")
    expect(ollamaBaseUrlOf("http://10.0.0.5:9999")).toBe("http://10.0.0.5:9999/v1")
    expect(ollamaBaseUrlOf("gpu-box")).toBe("http://gpu-box:11434/v1")
  })
})
