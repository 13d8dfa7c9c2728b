import { BudgetLedger, makeBudgetState } from "@gauntlet/budget"
import { Ids } from "@gauntlet/canonical"
import type { GoldenAdapter } from "@gauntlet/conformance"
import { EventLogMemory } from "@gauntlet/event-store-memory"
import { coreEventTypes, EventLog, EventTypes } from "@gauntlet/event-stream"
import { declaredClassOf } from "@gauntlet/failure"
import { Cassette, Llm, LlmProviders, StageCache } from "@gauntlet/llm"
import {
  builtInCatalog,
  ModelRegistry,
  makeModelRegistry,
  RoutingPolicy,
  RoutingStrategy,
  routeModel,
  TaskFacts
} from "@gauntlet/models"
import { makeScriptedProvider, scriptedModelEntry } from "@gauntlet/provider-scripted"
import { Chunk, Effect, Either, Layer, Option, ParseResult, Schema, Stream } from "effect"

/**
 * Golden adapter for area `models` (spec N7). The input's `op` names the operation:
 * - `route` `{ facts, configured, strategy?, policy?, attempt?, failedModels?, pinnedModel? }`: routes over the
 *   built-in catalog with the `configured` provider ids → `{ model, provider, tier, strategy, rule, capUsd,
 *   rationale, fallbacks, escalatedFrom? }`, or `{ error: "NoModelAvailable", rule, excluded }`.
 * - `call` `{ budgetUsd, pricing, maxOutputTokens, prompt, answer: { text, usage } }`: one call of the scripted model
 *   `scripted/golden` (priced with `pricing`) through the chokepoint with a run budget of `budgetUsd` →
 *   `{ outcome: "answered" | "refused", providerCalls, events, spentUsd, worstCaseCostUsd?, costUsd?, error? }`.
 */

const CallInput = Schema.Struct({
  op: Schema.Literal("call"),
  budgetUsd: Schema.Number,
  pricing: Schema.Struct({
    inputPerMTok: Schema.Number,
    outputPerMTok: Schema.Number,
    cachedInputPerMTok: Schema.Number
  }),
  maxOutputTokens: Schema.Int,
  prompt: Schema.String,
  answer: Schema.Struct({
    text: Schema.String,
    usage: Schema.Struct({ inputTokens: Schema.Int, outputTokens: Schema.Int })
  })
})

const RouteInput = Schema.Struct({
  op: Schema.Literal("route"),
  facts: TaskFacts,
  configured: Schema.Array(Schema.String),
  strategy: Schema.optional(RoutingStrategy),
  policy: Schema.optional(RoutingPolicy),
  attempt: Schema.optional(Schema.Int),
  failedModels: Schema.optional(Schema.Array(Schema.String)),
  pinnedModel: Schema.optional(Schema.String)
})

const ModelsCase = Schema.Union(RouteInput, CallInput)

/** The case input does not decode. */
class InvalidModelsCase extends Schema.TaggedError<InvalidModelsCase>()("InvalidModelsCase", {
  reason: Schema.String
}) {
  override get message() {
    return `invalid models case: ${this.reason}`
  }
}

const RUN = "0190f0e0-0000-7000-8000-00000000600d"

const route = (input: typeof RouteInput.Type) => {
  const registry = Either.getOrThrow(
    makeModelRegistry({
      catalog: builtInCatalog,
      providers: input.configured.map((id) => ({ id, via: "golden" }))
    })
  )
  const decided = routeModel({
    facts: input.facts,
    models: registry.all,
    isAvailable: registry.isAvailable,
    ...(input.strategy === undefined ? {} : { strategy: input.strategy }),
    ...(input.policy === undefined ? {} : { policy: input.policy }),
    ...(input.attempt === undefined ? {} : { attempt: input.attempt }),
    ...(input.failedModels === undefined ? {} : { failedModels: input.failedModels }),
    ...(input.pinnedModel === undefined ? {} : { pinnedModel: input.pinnedModel })
  })
  if (Either.isLeft(decided)) {
    return { error: "NoModelAvailable", rule: decided.left.rule, excluded: decided.left.excluded }
  }
  const d = decided.right
  return {
    model: d.model,
    provider: d.provider,
    tier: d.tier,
    strategy: d.strategy,
    rule: d.rule,
    capUsd: d.capUsd,
    rationale: d.rationale,
    fallbacks: d.fallbacks,
    ...(d.escalatedFrom === undefined ? {} : { escalatedFrom: d.escalatedFrom })
  }
}

const call = (input: typeof CallInput.Type) =>
  Effect.gen(function* () {
    const provider = yield* makeScriptedProvider({
      steps: [{ text: input.answer.text, usage: input.answer.usage }]
    })
    const entry = scriptedModelEntry("golden", input.pricing)
    const layer = Layer.provideMerge(
      Llm.layer({ maxRetries: 0 }),
      Layer.mergeAll(
        EventLogMemory.layer.pipe(
          Layer.provide(Layer.merge(EventTypes.layer(coreEventTypes), Ids.layerDeterministic()))
        ),
        BudgetLedger.layer(makeBudgetState({ run: { costUsd: input.budgetUsd } })),
        ModelRegistry.layer({
          catalog: { ...builtInCatalog, models: [entry] },
          providers: [{ id: "scripted", via: "golden" }]
        }),
        LlmProviders.layer([provider]),
        Cassette.live,
        StageCache.layerNone,
        Ids.layerDeterministic()
      )
    ).pipe(Layer.orDie)
    return yield* Effect.gen(function* () {
      const llm = yield* Llm
      const result = yield* Effect.either(
        llm.complete(
          {
            model: entry.id,
            messages: [{ role: "user", content: input.prompt }],
            maxOutputTokens: input.maxOutputTokens
          },
          { runId: RUN, phase: "implement" }
        )
      )
      const log = yield* EventLog
      const events = Chunk.toArray(yield* Stream.runCollect(log.read(RUN)).pipe(Effect.orDie))
      const spent = (yield* (yield* BudgetLedger).snapshot).scopes.run?.spent.costMicroUsd ?? 0
      const worst = events.find((e) => e.type === "llm/request")?.payload.worstCaseCostUsd
      const common = {
        providerCalls: (yield* provider.requests).length,
        events: events.map((e) => e.type),
        spentUsd: spent / 1e6,
        ...(worst === undefined ? {} : { worstCaseCostUsd: worst })
      }
      if (Either.isRight(result)) return { outcome: "answered", ...common, costUsd: result.right.costUsd }
      const error = result.left
      return {
        outcome: "refused",
        ...common,
        error: {
          tag: error._tag,
          failureClass: Option.getOrElse(declaredClassOf(error), () => "unknown"),
          message: error.message
        }
      }
    }).pipe(Effect.provide(layer))
  })

/** The `models` golden adapter. */
export const adapter: GoldenAdapter = {
  area: "models",
  run: (raw) =>
    Effect.gen(function* () {
      const input = yield* Schema.decodeUnknown(ModelsCase)(raw).pipe(
        Effect.mapError(
          (e) => new InvalidModelsCase({ reason: ParseResult.TreeFormatter.formatErrorSync(e) })
        )
      )
      return input.op === "route" ? route(input) : yield* call(input)
    })
}
