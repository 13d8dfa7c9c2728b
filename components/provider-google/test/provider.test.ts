import { afterAll, beforeAll, describe, expect, it } from "@effect/vitest"
import { classifyUnknown } from "@gauntlet/failure"
import type { LlmRequest, LlmStreamChunk } from "@gauntlet/llm"
import { Chunk, ConfigProvider, Effect, Option, Stream } from "effect"
import { googleConfigFromEnv, makeGoogleProvider, retryDelayMsOf, rpcErrorOf } from "../src/index.js"
import { answer, FAKE_KEY, type FakeGemini, rpcError, startFakeGemini } from "./fakeGeminiServer.js"

let server: FakeGemini
beforeAll(async () => {
  server = await startFakeGemini()
})
afterAll(() => server.close())

const provider = () => makeGoogleProvider({ apiKey: FAKE_KEY, baseUrl: server.baseUrl })

const hello: LlmRequest = {
  model: "gemini-2.5-flash",
  system: "Be brief.",
  messages: [{ role: "user", content: "Say hi" }],
  maxOutputTokens: 40
}

const last = () => server.requests.at(-1)!

const retryInfo = (delay: string) => ({
  "@type": "type.googleapis.com/google.rpc.RetryInfo",
  retryDelay: delay
})

describe("Google provider against a loopback Gemini API", () => {
  it.live(
    "generateContent: API key header, systemInstruction, generationConfig, text, usage with thinking",
    () =>
      Effect.gen(function* () {
        server.reply({
          kind: "json",
          body: answer([{ text: "thinking…", thought: true }, { text: "Hi" }, { text: "!" }], {
            finishReason: "STOP",
            usage: {
              promptTokenCount: 11,
              candidatesTokenCount: 3,
              thoughtsTokenCount: 7,
              cachedContentTokenCount: 4,
              totalTokenCount: 21
            }
          })
        })
        const response = yield* provider().complete({ ...hello, temperature: 0.5, stop: ["END"] })
        expect(response).toEqual({
          model: "gemini-2.5-flash-001",
          content: [{ type: "text", text: "Hi!" }],
          text: "Hi!",
          finishReason: "stop",
          usage: { inputTokens: 11, outputTokens: 10, cachedInputTokens: 4, reasoningTokens: 7 },
          providerRequestId: "resp-fake-1"
        })
        expect(last().url).toBe("/v1beta/models/gemini-2.5-flash:generateContent")
        expect(last().headers["x-goog-api-key"]).toBe(FAKE_KEY)
        expect(last().body).toEqual({
          contents: [{ role: "user", parts: [{ text: "Say hi" }] }],
          systemInstruction: { role: "user", parts: [{ text: "Be brief." }] },
          generationConfig: { maxOutputTokens: 40, temperature: 0.5, stopSequences: ["END"] }
        })
      })
  )

  it.live(
    "function declarations, tool config, function calls and responses (named from the earlier call)",
    () =>
      Effect.gen(function* () {
        server.reply({
          kind: "json",
          body: answer([{ functionCall: { id: "fc-2", name: "lookup", args: { q: "weather" } } }], {
            finishReason: "STOP",
            usage: { promptTokenCount: 30, candidatesTokenCount: 8 }
          })
        })
        const response = yield* provider().complete({
          model: "gemini-2.5-flash",
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
                { type: "text", text: "What?" },
                { type: "image", mediaType: "image/jpeg", data: "/9j/" }
              ]
            },
            {
              role: "assistant",
              content: [{ type: "tool-call", id: "fc-1", name: "lookup", arguments: { q: "img" } }]
            },
            { role: "tool", content: [{ type: "tool-result", toolCallId: "fc-1", content: "a cat" }] }
          ]
        })
        expect(response.finishReason).toBe("tool-calls")
        expect(response.content).toEqual([
          { type: "tool-call", id: "fc-2", name: "lookup", arguments: { q: "weather" } }
        ])
        expect(last().body).toMatchObject({
          contents: [
            {
              role: "user",
              parts: [{ text: "What?" }, { inlineData: { mimeType: "image/jpeg", data: "/9j/" } }]
            },
            { role: "model", parts: [{ functionCall: { id: "fc-1", name: "lookup", args: { q: "img" } } }] },
            {
              role: "user",
              parts: [{ functionResponse: { id: "fc-1", name: "lookup", response: { output: "a cat" } } }]
            }
          ],
          tools: [
            {
              functionDeclarations: [
                { name: "lookup", description: "Look up", parametersJsonSchema: { type: "object" } }
              ]
            }
          ],
          toolConfig: { functionCallingConfig: { mode: "ANY", allowedFunctionNames: ["lookup"] } }
        })
      })
  )

  it.live("structured output: responseMimeType application/json with responseJsonSchema", () =>
    Effect.gen(function* () {
      server.reply({ kind: "json", body: answer([{ text: '{"ok":true}' }], { finishReason: "STOP" }) })
      const schema = { type: "object", properties: { ok: { type: "boolean" } } }
      const response = yield* provider().complete({
        ...hello,
        responseFormat: { type: "json-schema", name: "v", schema }
      })
      expect(JSON.parse(response.text)).toEqual({ ok: true })
      expect(last().body.generationConfig).toMatchObject({
        responseMimeType: "application/json",
        responseJsonSchema: schema
      })
    })
  )

  it.live("MAX_TOKENS is length and SAFETY is content-filter", () =>
    Effect.gen(function* () {
      server.reply(
        { kind: "json", body: answer([{ text: "cut" }], { finishReason: "MAX_TOKENS" }) },
        { kind: "json", body: answer([], { finishReason: "SAFETY" }) }
      )
      const length = yield* provider().complete(hello)
      const filtered = yield* provider().complete(hello)
      expect([length.finishReason, filtered.finishReason]).toEqual(["length", "content-filter"])
    })
  )

  it.live("a tool result that answers no earlier call is refused before any network traffic", () =>
    Effect.gen(function* () {
      const before = server.requests.length
      const error = yield* Effect.flip(
        provider().complete({
          ...hello,
          messages: [{ role: "tool", content: [{ type: "tool-result", toolCallId: "nope", content: "x" }] }]
        })
      )
      expect(error.kind).toBe("bad-request")
      expect(error.detail).toContain("nope")
      expect(server.requests.length).toBe(before)
    })
  )

  it.live("streamGenerateContent?alt=sse: text and function-call deltas, then done with the last usage", () =>
    Effect.gen(function* () {
      server.reply({
        kind: "sse",
        chunks: [
          answer([{ text: "Hel" }], { usage: { promptTokenCount: 9, candidatesTokenCount: 1 } }),
          answer([{ text: "lo" }], { usage: { promptTokenCount: 9, candidatesTokenCount: 2 } }),
          answer([{ functionCall: { name: "lookup", args: { q: "x" } } }], {
            finishReason: "STOP",
            usage: { promptTokenCount: 9, candidatesTokenCount: 6 }
          })
        ]
      })
      const chunks = Chunk.toReadonlyArray(yield* Stream.runCollect(provider().stream(hello)))
      expect(last().url).toBe("/v1beta/models/gemini-2.5-flash:streamGenerateContent?alt=sse")
      expect(chunks.slice(0, -1)).toEqual<Array<LlmStreamChunk>>([
        { type: "text-delta", text: "Hel" },
        { type: "text-delta", text: "lo" },
        { type: "tool-call-delta", index: 0, id: "call_0", name: "lookup", argumentsDelta: '{"q":"x"}' }
      ])
      expect(chunks.at(-1)).toEqual({
        type: "done",
        response: {
          model: "gemini-2.5-flash-001",
          content: [
            { type: "text", text: "Hello" },
            { type: "tool-call", id: "call_0", name: "lookup", arguments: { q: "x" } }
          ],
          text: "Hello",
          finishReason: "tool-calls",
          usage: { inputTokens: 9, outputTokens: 6 },
          providerRequestId: "resp-fake-1"
        }
      })
    })
  )
})

describe("Google provider faults", () => {
  it.live("never retries on its own: one failing call is one request (the chokepoint retries)", () =>
    Effect.gen(function* () {
      const before = server.requests.length
      server.reply({ kind: "json", status: 503, body: rpcError(503, "UNAVAILABLE", "unavailable") })
      yield* Effect.flip(provider().complete(hello))
      expect(server.requests.length - before).toBe(1)
    })
  )

  it.live("429 RESOURCE_EXHAUSTED honours RetryInfo.retryDelay (Google's retry-after)", () =>
    Effect.gen(function* () {
      server.reply({
        kind: "json",
        status: 429,
        body: rpcError(429, "RESOURCE_EXHAUSTED", "Quota exceeded", [retryInfo("37s")])
      })
      const error = yield* Effect.flip(provider().complete(hello))
      expect(error).toMatchObject({
        kind: "rate-limited",
        status: 429,
        retryAfterMs: 37_000,
        detail: "Quota exceeded"
      })
      expect(classifyUnknown(error)).toMatchObject({ failureClass: "external", disposition: "retryable" })
    })
  )

  it.live(
    "500/503 are server errors; 403 is auth; a bad key (400 API_KEY_INVALID) is auth; other 400s are bad requests",
    () =>
      Effect.gen(function* () {
        server.reply(
          { kind: "json", status: 503, body: rpcError(503, "UNAVAILABLE", "The model is overloaded.") },
          { kind: "json", status: 403, body: rpcError(403, "PERMISSION_DENIED", "Permission denied") },
          { kind: "json", status: 400, body: rpcError(400, "INVALID_ARGUMENT", "Invalid JSON payload") }
        )
        const unavailable = yield* Effect.flip(provider().complete(hello))
        const denied = yield* Effect.flip(provider().complete(hello))
        const invalid = yield* Effect.flip(provider().complete(hello))
        const badKey = yield* Effect.flip(
          makeGoogleProvider({ apiKey: "wrong", baseUrl: server.baseUrl }).complete(hello)
        )
        expect([unavailable.kind, denied.kind, invalid.kind, badKey.kind]).toEqual([
          "server",
          "auth",
          "bad-request",
          "auth"
        ])
        expect(badKey.detail).toContain("API key not valid")
        expect(classifyUnknown(invalid)).toMatchObject({ failureClass: "tool-error" })
      })
  )

  it.live("a server that never answers times out (per call and by the client's timeout)", () =>
    Effect.gen(function* () {
      server.reply({ kind: "hang" }, { kind: "hang" })
      const perCall = yield* Effect.flip(provider().complete(hello, { timeoutMs: 150 }))
      const client = yield* Effect.flip(
        makeGoogleProvider({ apiKey: FAKE_KEY, baseUrl: server.baseUrl, timeoutMs: 150 }).complete(hello)
      )
      expect([perCall.kind, client.kind]).toEqual(["timeout", "timeout"])
    })
  )

  it.live("a stream cut midway is stream-cut after its deltas, never done", () =>
    Effect.gen(function* () {
      server.reply({
        kind: "sse",
        chunks: [
          answer([{ text: "a" }]),
          answer([{ text: "b" }]),
          answer([{ text: "c" }], { finishReason: "STOP" })
        ],
        destroyAfter: 2
      })
      const seen: Array<LlmStreamChunk> = []
      const error = yield* Effect.flip(
        Stream.runForEach(provider().stream(hello), (chunk) => Effect.sync(() => seen.push(chunk)))
      )
      expect(error.kind).toBe("stream-cut")
      expect(seen).toEqual([
        { type: "text-delta", text: "a" },
        { type: "text-delta", text: "b" }
      ])
      expect(classifyUnknown(error).failureClass).toBe("external")
    })
  )

  it.live("a stream that ends cleanly without a finishReason is stream-cut", () =>
    Effect.gen(function* () {
      server.reply({ kind: "sse", chunks: [answer([{ text: "a" }])] })
      const error = yield* Effect.flip(Stream.runDrain(provider().stream(hello)))
      expect(error.kind).toBe("stream-cut")
      expect(error.detail).toContain("finishReason")
    })
  )

  it.live("a 429 on a stream fails before any chunk with its retry delay; nothing listening is network", () =>
    Effect.gen(function* () {
      server.reply({
        kind: "json",
        status: 429,
        body: rpcError(429, "RESOURCE_EXHAUSTED", "slow", [retryInfo("1.5s")])
      })
      const limited = yield* Effect.flip(Stream.runDrain(provider().stream(hello)))
      const refused = yield* Effect.flip(
        makeGoogleProvider({ apiKey: FAKE_KEY, baseUrl: "http://127.0.0.1:1" }).complete(hello)
      )
      expect([limited.kind, limited.retryAfterMs, refused.kind]).toEqual(["rate-limited", 1500, "network"])
    })
  )

  it.live("a stalled stream times out", () =>
    Effect.gen(function* () {
      server.reply({ kind: "hang" })
      const error = yield* Effect.flip(Stream.runDrain(provider().stream(hello, { timeoutMs: 150 })))
      expect(error.kind).toBe("timeout")
    })
  )

  it("reads RPC errors from SDK messages, with or without a prefix", () => {
    expect(retryDelayMsOf(rpcErrorOf(JSON.stringify(rpcError(429, "X", "m", [retryInfo("2s")]))))).toBe(2000)
    expect(
      rpcErrorOf(`got status: 503. ${JSON.stringify(rpcError(503, "UNAVAILABLE", "busy"))}`)?.message
    ).toBe("busy")
    expect(rpcErrorOf("not json")).toBeUndefined()
    expect(
      retryDelayMsOf(rpcErrorOf(JSON.stringify(rpcError(429, "X", "m", [{ retryDelay: "soon" }]))))
    ).toBeUndefined()
  })
})

describe("googleConfigFromEnv", () => {
  it.effect("GEMINI_API_KEY wins over GOOGLE_API_KEY; none without either", () =>
    Effect.gen(function* () {
      const both = new Map([
        ["GEMINI_API_KEY", "g"],
        ["GOOGLE_API_KEY", "o"],
        ["GOOGLE_GEMINI_BASE_URL", "http://127.0.0.1:9"]
      ])
      expect(yield* Effect.withConfigProvider(googleConfigFromEnv, ConfigProvider.fromMap(both))).toEqual(
        Option.some({ apiKey: "g", baseUrl: "http://127.0.0.1:9" })
      )
      const googleOnly = yield* Effect.withConfigProvider(
        googleConfigFromEnv,
        ConfigProvider.fromMap(new Map([["GOOGLE_API_KEY", "o"]]))
      )
      expect(googleOnly).toEqual(Option.some({ apiKey: "o" }))
      expect(
        Option.isNone(
          yield* Effect.withConfigProvider(googleConfigFromEnv, ConfigProvider.fromMap(new Map()))
        )
      ).toBe(true)
    })
  )
})
