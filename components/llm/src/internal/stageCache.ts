import { Context, Effect, Layer, Option, Ref } from "effect"
import type { StageCacheFailure } from "./errors.js"
import type { LlmResponse } from "./messages.js"

/** A cached answer: the response and the catalog model that produced it. */
export interface CachedCall {
  readonly model: string
  readonly response: LlmResponse
}

/**
 * The stage cache: answers keyed by `<promptTemplateId>:<request digest>`. Only requests that name a prompt
 * template are cached (the template says the stage is deterministic enough to reuse). Implementations: memory, SQLite.
 */
export interface StageCacheShape {
  readonly get: (key: string) => Effect.Effect<Option.Option<CachedCall>, StageCacheFailure>
  readonly put: (key: string, value: CachedCall) => Effect.Effect<void, StageCacheFailure>
}

/** The stage-cache key of a request. */
export const stageCacheKey = (promptTemplateId: string, requestDigest: string): string =>
  `${promptTemplateId}:${requestDigest}`

/** The stage cache service. */
export class StageCache extends Context.Tag("@gauntlet/llm/StageCache")<StageCache, StageCacheShape>() {
  /** An in-memory cache (per process). */
  static readonly layerMemory: Layer.Layer<StageCache> = Layer.effect(
    StageCache,
    Effect.map(Ref.make(new Map<string, CachedCall>()), (ref) => ({
      get: (key: string) => Effect.map(Ref.get(ref), (map) => Option.fromNullable(map.get(key))),
      put: (key: string, value: CachedCall) => Ref.update(ref, (map) => new Map(map).set(key, value))
    }))
  )

  /** No cache: every call is made. */
  static readonly layerNone: Layer.Layer<StageCache> = Layer.succeed(StageCache, {
    get: () => Effect.succeed(Option.none()),
    put: () => Effect.void
  })
}
