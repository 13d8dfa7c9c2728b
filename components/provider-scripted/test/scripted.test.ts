import { mkdtempSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { NodeFileSystem } from "@effect/platform-node"
import { describe, expect, it } from "@effect/vitest"
import { collectStream, LlmProviderError } from "@gauntlet/llm"
import { Chunk, Effect, Either, Stream } from "effect"
import {
  decodeLlmScript,
  loadScriptedProvider,
  makeScriptedProvider,
  scriptedModelEntry
} from "../src/index.js"

const ask = (text: string, extra = {}) => ({
  model: "default",
  messages: [{ role: "user" as const, content: text }],
  maxOutputTokens: 500,
  ...extra
})

const script = (steps: ReadonlyArray<unknown>) => Either.getOrThrow(decodeLlmScript({ steps }))

describe("scripted provider", () => {
  it.effect("answers in script order by match, labelled scripted", () =>
    Effect.gen(function* () {
      const provider = yield* makeScriptedProvider(
        script([
          { match: { contains: "review" }, json: { approve: true } },
          { text: "plan: do it" },
          { match: { promptTemplateId: "t" }, text: "templated", repeat: true }
        ])
      )
      const plan = yield* provider.complete(ask("make a plan"))
      const review = yield* provider.complete(ask("please review"))
      const t1 = yield* provider.complete(ask("x", { promptTemplateId: "t" }))
      const t2 = yield* provider.complete(ask("y", { promptTemplateId: "t" }))
      expect(plan).toMatchObject({
        model: "scripted/default",
        text: "plan: do it",
        scripted: true,
        finishReason: "stop"
      })
      expect(review.text).toBe('{"approve":true}')
      expect([t1.text, t2.text]).toEqual(["templated", "templated"])
      expect(plan.usage.outputTokens).toBe(3)
      expect((yield* provider.requests).length).toBe(4)
      const none = yield* Effect.flip(provider.complete(ask("anything else")))
      expect(none).toMatchObject({ kind: "bad-request" })
      expect(none.message).toContain('last user message: "anything else"')
    })
  )

  it.effect("fails with scripted classified errors and cuts streams", () =>
    Effect.gen(function* () {
      const provider = yield* makeScriptedProvider(
        script([
          { error: { kind: "rate-limited", status: 429, retryAfterMs: 1500 } },
          { text: "a long answer that will be cut in the middle", cutAfterChunks: 1 },
          { toolCalls: [{ id: "c1", name: "read_file", arguments: { path: "a.ts" } }] }
        ])
      )
      const limited = yield* Effect.flip(provider.complete(ask("a")))
      expect(limited).toMatchObject({ kind: "rate-limited", status: 429, retryAfterMs: 1500 })
      const cutChunks = yield* Stream.runCollect(provider.stream(ask("b")))
      expect(Chunk.toArray(cutChunks).map((c) => c.type)).toEqual(["text-delta"])
      const cut = () =>
        new LlmProviderError({ provider: "scripted", model: "default", kind: "stream-cut", detail: "cut" })
      const tool = yield* collectStream(provider.stream(ask("c")), cut)
      expect(tool).toMatchObject({
        finishReason: "tool-calls",
        content: [{ type: "tool-call", name: "read_file" }]
      })
    })
  )

  it("refuses a step with two answers, and names the file", () => {
    const bad = decodeLlmScript({ steps: [{ text: "a", json: {} }] }, "bad.json")
    expect(Either.isLeft(bad) && bad.left.message).toContain("invalid LLM script bad.json")
    expect(Either.isLeft(bad) && bad.left.message).toContain("exactly one of text, json, toolCalls or error")
  })

  it.effect("loads a script file; a missing or broken file names it", () =>
    Effect.gen(function* () {
      const dir = mkdtempSync(join(tmpdir(), "gauntlet-script-"))
      const good = join(dir, "good.json")
      writeFileSync(good, JSON.stringify({ steps: [{ text: "from file" }] }))
      const broken = join(dir, "broken.json")
      writeFileSync(broken, "{ steps: ")
      const provider = yield* loadScriptedProvider(good)
      expect((yield* provider.complete(ask("x"))).text).toBe("from file")
      const error = yield* Effect.flip(loadScriptedProvider(broken))
      expect(error.message).toContain(`invalid LLM script ${broken}: not JSON`)
    }).pipe(Effect.provide(NodeFileSystem.layer))
  )

  it("provides catalog entries for scripted models", () => {
    const entry = scriptedModelEntry("judge", { inputPerMTok: 1, outputPerMTok: 2, cachedInputPerMTok: 0 })
    expect(entry).toMatchObject({ id: "scripted/judge", provider: "scripted", providerModel: "judge" })
    expect(entry.displayName).toContain("not a model")
  })
})
