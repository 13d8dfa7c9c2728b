import { mkdtempSync, readFileSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { NodeFileSystem } from "@effect/platform-node"
import { describe, expect, it } from "@effect/vitest"
import { BudgetLedger, makeBudgetState } from "@gauntlet/budget"
import { Ids } from "@gauntlet/canonical"
import { EventLogMemory } from "@gauntlet/event-store-memory"
import { coreEventTypes, EventLog, EventTypes } from "@gauntlet/event-stream"
import { Cassette, Llm, type LlmProvider, LlmProviders, StageCache } from "@gauntlet/llm"
import { ModelRegistry } from "@gauntlet/models"
import { Chunk, Effect, Layer, Stream } from "effect"
import { loadScriptedProvider, scriptedModelEntry } from "../src/index.js"

const RUN = "0190f0e0-0000-7000-8000-0000000000bb"
const entry = scriptedModelEntry("default", { inputPerMTok: 2, outputPerMTok: 8, cachedInputPerMTok: 0.5 })

const world = (providers: ReadonlyArray<LlmProvider>, cassette: Layer.Layer<Cassette, never, never>) =>
  Layer.provideMerge(
    Llm.layer(),
    Layer.mergeAll(
      EventLogMemory.layer.pipe(
        Layer.provide(Layer.merge(EventTypes.layer(coreEventTypes), Ids.layerDeterministic()))
      ),
      BudgetLedger.layer(makeBudgetState({ run: { costUsd: 1 } })),
      ModelRegistry.layer({
        overrides: { add: [entry] },
        providers: providers.map((p) => ({ id: p.id, via: "test" }))
      }),
      LlmProviders.layer(providers),
      cassette,
      StageCache.layerNone,
      Ids.layerDeterministic()
    )
  ).pipe(Layer.orDie)

const conversation = Effect.gen(function* () {
  const llm = yield* Llm
  const ask = (content: string) =>
    llm.complete(
      { model: entry.id, messages: [{ role: "user", content }], maxOutputTokens: 200 },
      { runId: RUN, phase: "plan" }
    )
  const answers = [yield* ask("make a plan"), yield* ask("please review the plan")]
  const log = yield* EventLog
  const events = Chunk.toArray(yield* Stream.runCollect(log.read(RUN)).pipe(Effect.orDie))
  const spent = (yield* (yield* BudgetLedger).snapshot).scopes.run?.spent
  return { answers, events, spent }
})

describe("a newcomer's flow: scripted provider, record a cassette, replay it offline", () => {
  it.effect(
    "replays the recorded run with the same answers, labels, events and budget, without a provider",
    () =>
      Effect.gen(function* () {
        const dir = mkdtempSync(join(tmpdir(), "gauntlet-newcomer-"))
        const script = join(dir, "script.json")
        const cassette = join(dir, "calls.jsonl")
        writeFileSync(
          script,
          JSON.stringify({
            steps: [
              { match: { contains: "review" }, json: { approve: true } },
              { text: "Plan: add the endpoint, then its test." }
            ]
          })
        )
        const provider = yield* loadScriptedProvider(script)
        const recorded = yield* conversation.pipe(
          Effect.provide(
            world([provider], Cassette.record(cassette).pipe(Layer.provide(NodeFileSystem.layer)))
          )
        )
        expect(readFileSync(cassette, "utf8").trim().split("\n")).toHaveLength(2)
        const replayed = yield* conversation.pipe(
          Effect.provide(world([], Cassette.replay(cassette).pipe(Layer.provide(NodeFileSystem.layer))))
        )
        expect(replayed.answers.map((a) => a.response)).toEqual(recorded.answers.map((a) => a.response))
        expect(replayed.answers.map((a) => a.response.text)).toEqual([
          "Plan: add the endpoint, then its test.",
          '{"approve":true}'
        ])
        expect(
          replayed.answers.every(
            (a) => a.response.scripted === true && a.response.model === "scripted/default"
          )
        ).toBe(true)
        expect(replayed.spent).toEqual(recorded.spent)
        expect(replayed.spent?.costMicroUsd).toBeGreaterThan(0)
        const responses = replayed.events.filter((e) => e.type === "llm/response").map((e) => e.payload)
        expect(responses.map((p) => [p.source, p.scripted, p.model])).toEqual([
          ["cassette", true, "scripted/default"],
          ["cassette", true, "scripted/default"]
        ])
        expect((yield* provider.requests).length).toBe(2)
      }).pipe(Effect.provide(NodeFileSystem.layer))
  )
})
