import Anthropic from "@anthropic-ai/sdk"
import {
  type LlmProvider,
  LlmProviderError,
  type LlmRequest,
  type LlmStreamChunk,
  type ProviderCallOptions,
  withCallDeadline,
  withStreamDeadline
} from "@gauntlet/llm"
import { Effect, Either, Stream } from "effect"
import { ANTHROPIC_PROVIDER_ID, type AnthropicProviderConfig } from "./config.js"
import { type ErrorContext, toProviderError } from "./errors.js"
import { toAnthropicParams } from "./request.js"
import { type AnthropicMessage, fromAnthropicMessage } from "./response.js"
import { AnthropicStreamAssembler, type AnthropicStreamEvent } from "./stream.js"

const DEFAULT_TIMEOUT_MS = 10 * 60 * 1000

/** The official client for a configuration: the SDK never retries (the chokepoint does, once, for every provider). */
export const makeAnthropicClient = (config: AnthropicProviderConfig): Anthropic =>
  new Anthropic({
    apiKey: config.apiKey,
    ...(config.baseUrl === undefined ? {} : { baseURL: config.baseUrl }),
    timeout: config.timeoutMs ?? DEFAULT_TIMEOUT_MS,
    maxRetries: 0,
    ...(config.headers === undefined ? {} : { defaultHeaders: { ...config.headers } })
  })

const paramsOf = (request: LlmRequest, context: ErrorContext) =>
  Either.mapLeft(
    toAnthropicParams(request),
    (unmappable) => new LlmProviderError({ ...context, kind: "bad-request", detail: unmappable.detail })
  )

/**
 * An `LlmProvider` over the official Anthropic SDK (Messages API). `complete` sends one non-streaming request;
 * `stream` reads the server-sent events and ends with one `done` chunk, or fails with `stream-cut` when the stream
 * ends (or breaks) before `message_stop` — nothing of a cut stream is reported as a response. Interrupting a call
 * aborts its HTTP request.
 */
export const makeAnthropicProvider = (config: AnthropicProviderConfig, client?: Anthropic): LlmProvider => {
  const sdk = client ?? makeAnthropicClient(config)
  const provider = config.providerId ?? ANTHROPIC_PROVIDER_ID

  const complete = Effect.fn("AnthropicProvider.complete")(function* (
    request: LlmRequest,
    options?: ProviderCallOptions
  ) {
    const context: ErrorContext = { provider, model: request.model }
    const params = yield* paramsOf(request, context)
    const call = Effect.tryPromise({
      try: (signal) => sdk.messages.create(params, { signal }),
      catch: (error) => toProviderError(error, { ...context, now: Date.now() }, "request")
    }).pipe(Effect.map((message) => fromAnthropicMessage(message as unknown as AnthropicMessage)))
    return yield* withCallDeadline(call, context, options?.timeoutMs)
  })

  const stream = (
    request: LlmRequest,
    options?: ProviderCallOptions
  ): Stream.Stream<LlmStreamChunk, LlmProviderError> => {
    const context: ErrorContext = { provider, model: request.model }
    const chunks = Stream.unwrapScoped(
      Effect.gen(function* () {
        const params = yield* paramsOf(request, context)
        const controller = yield* Effect.acquireRelease(
          Effect.sync(() => new AbortController()),
          (controller) => Effect.sync(() => controller.abort())
        )
        const events = yield* Effect.tryPromise({
          try: () => sdk.messages.create({ ...params, stream: true }, { signal: controller.signal }),
          catch: (error) => toProviderError(error, { ...context, now: Date.now() }, "request")
        })
        const assembler = new AnthropicStreamAssembler()
        const body = Stream.fromAsyncIterable(events as AsyncIterable<unknown>, (error) =>
          toProviderError(error, context, "stream")
        ).pipe(Stream.mapConcat((event) => assembler.push(event as AnthropicStreamEvent)))
        const ending = Stream.suspend(() => {
          const finished = assembler.finish()
          if (finished === undefined) {
            return Stream.fail(
              new LlmProviderError({
                ...context,
                kind: "stream-cut",
                detail: "the stream ended before message_stop"
              })
            )
          }
          if ("detail" in finished) {
            return Stream.fail(
              new LlmProviderError({ ...context, kind: "invalid-response", detail: finished.detail })
            )
          }
          return Stream.succeed<LlmStreamChunk>({ type: "done", response: finished })
        })
        return Stream.concat(body, ending)
      })
    )
    return withStreamDeadline(chunks, context, options?.timeoutMs)
  }

  return { id: provider, complete, stream }
}
