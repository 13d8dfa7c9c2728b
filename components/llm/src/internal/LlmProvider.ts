import { Context, Effect, Either, Layer, Schema, Stream } from "effect"
import type { LlmRequest, LlmResponse, LlmStreamChunk } from "./messages.js"
import type { LlmProviderError } from "./providerError.js"

/** Per-call options a provider honours. */
export interface ProviderCallOptions {
  /** Give up after this many milliseconds with a `timeout` error. */
  readonly timeoutMs?: number
}

/**
 * A model provider: one adapter per vendor protocol (`@gauntlet/provider-anthropic`, `-openai`, `-google`,
 * `-scripted`, …). `id` is the provider id the model catalog uses (`anthropic`, `openai`, `google`, `local`,
 * `scripted`). `complete` answers a request in one piece; `stream` answers it in chunks ending with one `done` chunk.
 * Every failure is an `LlmProviderError` with a `kind` (see `providerErrorFromStatus`). A provider never retries,
 * falls back, charges budgets or writes events: the `Llm` chokepoint does all of that, once, for every provider.
 */
export interface LlmProvider {
  readonly id: string
  readonly complete: (
    request: LlmRequest,
    options?: ProviderCallOptions
  ) => Effect.Effect<LlmResponse, LlmProviderError>
  readonly stream: (
    request: LlmRequest,
    options?: ProviderCallOptions
  ) => Stream.Stream<LlmStreamChunk, LlmProviderError>
}

/** Two providers were registered with the same id. */
export class DuplicateProvider extends Schema.TaggedError<DuplicateProvider>()("DuplicateProvider", {
  providerId: Schema.String
}) {
  override get message() {
    return `provider ${this.providerId} is registered twice`
  }
}

/** The providers the chokepoint may call, by id. */
export interface LlmProvidersShape {
  readonly get: (id: string) => LlmProvider | undefined
  readonly ids: ReadonlyArray<string>
}

/** Builds a provider registry; two providers with the same id are refused. */
export const makeLlmProviders = (
  providers: ReadonlyArray<LlmProvider>
): Either.Either<LlmProvidersShape, DuplicateProvider> => {
  const byId = new Map<string, LlmProvider>()
  for (const provider of providers) {
    if (byId.has(provider.id)) return Either.left(new DuplicateProvider({ providerId: provider.id }))
    byId.set(provider.id, provider)
  }
  return Either.right({ get: (id) => byId.get(id), ids: [...byId.keys()] })
}

/** The registry of configured providers (the base builds it from configuration). */
export class LlmProviders extends Context.Tag("@gauntlet/llm/LlmProviders")<
  LlmProviders,
  LlmProvidersShape
>() {
  /** A registry holding exactly these providers. */
  static readonly layer = (
    providers: ReadonlyArray<LlmProvider>
  ): Layer.Layer<LlmProviders, DuplicateProvider> => Layer.effect(LlmProviders, makeLlmProviders(providers))
}

/** Collects a stream's final response; a stream that ends without its `done` chunk fails with `onCut()`. */
export const collectStream = <E>(
  stream: Stream.Stream<LlmStreamChunk, E>,
  onCut: () => E
): Effect.Effect<LlmResponse, E> =>
  Stream.runFold(stream, undefined as LlmResponse | undefined, (last, chunk) =>
    chunk.type === "done" ? chunk.response : last
  ).pipe(
    Effect.flatMap((response) => (response === undefined ? Effect.fail(onCut()) : Effect.succeed(response)))
  )
