import { BudgetLedger, type BudgetPlan, makeBudgetState } from "@gauntlet/budget"
import { Ids } from "@gauntlet/canonical"
import { EventLogMemory } from "@gauntlet/event-store-memory"
import { coreEventTypes, EventLog, EventTypes, type RunEvent } from "@gauntlet/event-stream"
import { type ModelEntry, ModelRegistry } from "@gauntlet/models"
import { Chunk, Effect, Layer, Ref, Stream } from "effect"
import {
  Cassette,
  Llm,
  type LlmConfig,
  type LlmProvider,
  LlmProviderError,
  LlmProviders,
  type LlmRequest,
  type LlmResponse,
  StageCache
} from "../src/index.js"

export const RUN = "0190f0e0-0000-7000-8000-0000000000aa"

/** A test model priced like a premium model: $10 / $50 per million tokens. */
const model = (provider: string, name: string, extra: Partial<ModelEntry> = {}): ModelEntry => ({
  id: `${provider}/${name}`,
  provider,
  providerModel: name,
  contextWindow: 100_000,
  maxOutputTokens: 4000,
  pricing: { inputPerMTok: 10, outputPerMTok: 50, cachedInputPerMTok: 1 },
  capabilities: { tools: true, jsonSchema: true, vision: false, reasoning: false },
  tier: "premium",
  quality: 80,
  ...extra
})

const CATALOG = {
  asOf: "2026-01-01",
  currency: "USD" as const,
  models: [
    model("alpha", "big"),
    model("beta", "big"),
    model("alpha", "small", { tier: "economy", quality: 60 })
  ]
}

/** What a fake provider does for one call. */
export type Answer =
  | { readonly text: string; readonly usage?: LlmResponse["usage"] }
  | { readonly fail: LlmProviderError["kind"]; readonly status?: number; readonly retryAfterMs?: number }
  | { readonly cut: number }
  | { readonly sleepMs: number; readonly text: string }

const response = (request: LlmRequest, text: string, usage?: LlmResponse["usage"]): LlmResponse => ({
  model: request.model,
  content: [{ type: "text", text }],
  text,
  finishReason: "stop",
  usage: usage ?? { inputTokens: 100, outputTokens: 20 }
})

/** A fake provider answering from a queue, recording every request it receives. */
export const fakeProvider = (id: string, answers: ReadonlyArray<Answer>) =>
  Effect.gen(function* () {
    const queue = yield* Ref.make([...answers])
    const calls = yield* Ref.make<ReadonlyArray<LlmRequest>>([])
    const next = (request: LlmRequest) =>
      Effect.gen(function* () {
        yield* Ref.update(calls, (list) => [...list, request])
        const answer = yield* Ref.modify(
          queue,
          ([head, ...rest]) => [head, head === undefined ? [] : rest] as const
        )
        if (answer === undefined) return yield* Effect.die(`provider ${id}: no answer left`)
        return answer
      })
    const fail = (
      request: LlmRequest,
      kind: LlmProviderError["kind"],
      extra: { status?: number; retryAfterMs?: number } = {}
    ) => new LlmProviderError({ provider: id, model: request.model, kind, detail: `fake ${kind}`, ...extra })
    const provider: LlmProvider = {
      id,
      complete: (request) =>
        Effect.flatMap(next(request), (answer) => {
          if ("fail" in answer) {
            return Effect.fail(
              fail(request, answer.fail, {
                ...(answer.status === undefined ? {} : { status: answer.status }),
                ...(answer.retryAfterMs === undefined ? {} : { retryAfterMs: answer.retryAfterMs })
              })
            )
          }
          if ("cut" in answer) return Effect.fail(fail(request, "stream-cut"))
          if ("sleepMs" in answer)
            return Effect.as(Effect.sleep(answer.sleepMs), response(request, answer.text))
          return Effect.succeed(response(request, answer.text, answer.usage))
        }),
      stream: (request) =>
        Stream.unwrap(
          Effect.map(next(request), (answer) => {
            if ("fail" in answer) return Stream.fail(fail(request, answer.fail))
            const text = "text" in answer ? answer.text : "partial answer that never finishes"
            const deltas = text.split(" ").map((word) => ({ type: "text-delta" as const, text: `${word} ` }))
            if ("cut" in answer) return Stream.fromIterable(deltas.slice(0, answer.cut))
            return Stream.fromIterable([
              ...deltas,
              { type: "done" as const, response: response(request, text) }
            ])
          })
        )
    }
    return { provider, calls: Ref.get(calls) }
  })

/** The chokepoint over a memory log, a ledger with `plan`, the test catalog and these providers. */
export const chokepoint = (options: {
  readonly providers: ReadonlyArray<LlmProvider>
  readonly plan?: BudgetPlan
  readonly cassette?: Layer.Layer<Cassette>
  readonly cache?: Layer.Layer<StageCache>
  readonly config?: Partial<LlmConfig>
  readonly configured?: ReadonlyArray<string>
}) => {
  const configured = options.configured ?? options.providers.map((p) => p.id)
  const log = EventLogMemory.layer.pipe(
    Layer.provide(Layer.merge(EventTypes.layer(coreEventTypes), Ids.layerDeterministic()))
  )
  const deps = Layer.mergeAll(
    log,
    BudgetLedger.layer(makeBudgetState(options.plan ?? { run: { costUsd: 10 } })),
    ModelRegistry.layer({ catalog: CATALOG, providers: configured.map((id) => ({ id, via: "TEST_KEY" })) }),
    LlmProviders.layer(options.providers),
    options.cassette ?? Cassette.live,
    options.cache ?? StageCache.layerMemory,
    Ids.layerDeterministic(1_800_000_000_000)
  )
  return Layer.provideMerge(Llm.layer({ backoffBaseMs: 100, ...options.config }), deps).pipe(Layer.orDie)
}

/** The events of the test run. */
export const events: Effect.Effect<ReadonlyArray<RunEvent>, never, EventLog> = Effect.flatMap(
  EventLog,
  (log) => log.read(RUN).pipe(Stream.runCollect, Effect.map(Chunk.toArray), Effect.orDie)
)

export const ctx = { runId: RUN, phase: "implement", attempt: 1 } as const

export const ask = (
  model: string,
  text = "Write a haiku about budgets.",
  extra: Partial<LlmRequest> = {}
): LlmRequest => ({
  model,
  messages: [{ role: "user", content: text }],
  maxOutputTokens: 1000,
  ...extra
})
