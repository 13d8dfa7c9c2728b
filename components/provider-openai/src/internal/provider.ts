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
import OpenAI from "openai"
import { type MaxTokensField, OPENAI_PROVIDER_ID, type OpenAiProviderConfig } from "./config.js"
import { type ErrorContext, toProviderError } from "./errors.js"
import { toOpenAiParams } from "./request.js"
import { fromOpenAiCompletion, type OpenAiCompletion } from "./response.js"
import { OpenAiStreamAssembler, type OpenAiStreamChunk } from "./stream.js"

const DEFAULT_TIMEOUT_MS = 10 * 60 * 1000
const OPENAI_HOST = "api.openai.com"

/** The official client for a configuration: the SDK never retries (the chokepoint does, once, for every provider). */
export const makeOpenAiClient = (config: OpenAiProviderConfig): OpenAI =>
  new OpenAI({
    apiKey: config.apiKey,
    ...(config.baseUrl === undefined ? {} : { baseURL: config.baseUrl }),
    ...(config.organization === undefined ? {} : { organization: config.organization }),
    timeout: config.timeoutMs ?? DEFAULT_TIMEOUT_MS,
    maxRetries: 0,
    ...(config.headers === undefined ? {} : { defaultHeaders: { ...config.headers } })
  })

/** `max_completion_tokens` for OpenAI itself, `max_tokens` for other servers, unless configured. */
export const maxTokensFieldOf = (config: OpenAiProviderConfig): MaxTokensField => {
  if (config.maxTokensField !== undefined) return config.maxTokensField
  if (config.baseUrl === undefined) return "max_completion_tokens"
  return URL.canParse(config.baseUrl) && new URL(config.baseUrl).hostname === OPENAI_HOST
    ? "max_completion_tokens"
    : "max_tokens"
}

/**
 * An `LlmProvider` over the official OpenAI SDK (Chat Completions), for OpenAI and any OpenAI-compatible server
 * (Ollama, vLLM, llama.cpp, proxies). `stream` asks for `stream_options.include_usage` and ends with one `done`
 * chunk, or fails with `stream-cut` when the stream ends or breaks before its finish reason and usage. Interrupting
 * a call aborts its HTTP request.
 */
export const makeOpenAiProvider = (config: OpenAiProviderConfig, client?: OpenAI): LlmProvider => {
  const sdk = client ?? makeOpenAiClient(config)
  const provider = config.providerId ?? OPENAI_PROVIDER_ID
  const maxTokensField = maxTokensFieldOf(config)
  const paramsOf = (request: LlmRequest, context: ErrorContext) =>
    Either.mapLeft(
      toOpenAiParams(request, maxTokensField),
      (unmappable) => new LlmProviderError({ ...context, kind: "bad-request", detail: unmappable.detail })
    )

  const complete = Effect.fn("OpenAiProvider.complete")(function* (
    request: LlmRequest,
    options?: ProviderCallOptions
  ) {
    const context: ErrorContext = { provider, model: request.model }
    const params = yield* paramsOf(request, context)
    const call = Effect.tryPromise({
      try: (signal) => sdk.chat.completions.create(params, { signal }),
      catch: (error) => toProviderError(error, { ...context, now: Date.now() }, "request")
    }).pipe(
      Effect.flatMap((completion) =>
        Array.isArray((completion as { choices?: unknown }).choices)
          ? Effect.succeed(fromOpenAiCompletion(completion as unknown as OpenAiCompletion))
          : Effect.fail(
              new LlmProviderError({
                ...context,
                kind: "invalid-response",
                detail: "the answer has no choices"
              })
            )
      )
    )
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
          try: () =>
            sdk.chat.completions.create(
              { ...params, stream: true, stream_options: { include_usage: true } },
              { signal: controller.signal }
            ),
          catch: (error) => toProviderError(error, { ...context, now: Date.now() }, "request")
        })
        const assembler = new OpenAiStreamAssembler()
        const body = Stream.fromAsyncIterable(events as AsyncIterable<unknown>, (error) =>
          toProviderError(error, context, "stream")
        ).pipe(Stream.mapConcat((chunk) => assembler.push(chunk as OpenAiStreamChunk)))
        const ending = Stream.suspend(() => {
          const finished = assembler.finish()
          return "incomplete" in finished
            ? Stream.fail(
                new LlmProviderError({ ...context, kind: "stream-cut", detail: finished.incomplete })
              )
            : Stream.succeed<LlmStreamChunk>({ type: "done", response: finished })
        })
        return Stream.concat(body, ending)
      })
    )
    return withStreamDeadline(chunks, context, options?.timeoutMs)
  }

  return { id: provider, complete, stream }
}
