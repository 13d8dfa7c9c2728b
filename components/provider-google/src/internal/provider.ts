import {
  type LlmProvider,
  LlmProviderError,
  type LlmRequest,
  type LlmStreamChunk,
  type ProviderCallOptions,
  withCallDeadline,
  withStreamDeadline
} from "@gauntlet/llm"
import { GoogleGenAI } from "@google/genai"
import { Effect, Either, Stream } from "effect"
import { GOOGLE_PROVIDER_ID, type GoogleProviderConfig } from "./config.js"
import { type ErrorContext, toProviderError } from "./errors.js"
import { toGoogleCall } from "./request.js"
import { fromGoogleAnswer, type GoogleAnswer } from "./response.js"
import { GoogleStreamAssembler } from "./stream.js"

const DEFAULT_TIMEOUT_MS = 10 * 60 * 1000

/** The official client for a configuration (no SDK retries: the chokepoint retries, once, for every provider). */
export const makeGoogleClient = (config: GoogleProviderConfig): GoogleGenAI =>
  new GoogleGenAI({
    apiKey: config.apiKey,
    httpOptions: {
      timeout: config.timeoutMs ?? DEFAULT_TIMEOUT_MS,
      ...(config.baseUrl === undefined ? {} : { baseUrl: config.baseUrl }),
      ...(config.apiVersion === undefined ? {} : { apiVersion: config.apiVersion }),
      ...(config.headers === undefined ? {} : { headers: { ...config.headers } })
    }
  })

const callOf = (request: LlmRequest, context: ErrorContext) =>
  Either.mapLeft(
    toGoogleCall(request),
    (unmappable) => new LlmProviderError({ ...context, kind: "bad-request", detail: unmappable.detail })
  )

/**
 * An `LlmProvider` over the official Google GenAI SDK (`@google/genai`, Gemini API): `complete` calls
 * `generateContent`, `stream` calls `streamGenerateContent?alt=sse` and ends with one `done` chunk, or fails with
 * `stream-cut` when the stream ends or breaks before a finish reason. Interrupting a call aborts its request.
 */
export const makeGoogleProvider = (config: GoogleProviderConfig, client?: GoogleGenAI): LlmProvider => {
  const sdk = client ?? makeGoogleClient(config)
  const provider = config.providerId ?? GOOGLE_PROVIDER_ID

  const complete = Effect.fn("GoogleProvider.complete")(function* (
    request: LlmRequest,
    options?: ProviderCallOptions
  ) {
    const context: ErrorContext = { provider, model: request.model }
    const call = yield* callOf(request, context)
    const answer = Effect.tryPromise({
      try: (signal) =>
        sdk.models.generateContent({ ...call, config: { ...call.config, abortSignal: signal } }),
      catch: (error) => toProviderError(error, context, "request")
    }).pipe(Effect.map((answer) => fromGoogleAnswer(answer as GoogleAnswer, request.model)))
    return yield* withCallDeadline(answer, context, options?.timeoutMs)
  })

  const stream = (
    request: LlmRequest,
    options?: ProviderCallOptions
  ): Stream.Stream<LlmStreamChunk, LlmProviderError> => {
    const context: ErrorContext = { provider, model: request.model }
    const chunks = Stream.unwrapScoped(
      Effect.gen(function* () {
        const call = yield* callOf(request, context)
        const controller = yield* Effect.acquireRelease(
          Effect.sync(() => new AbortController()),
          (controller) => Effect.sync(() => controller.abort())
        )
        const answers = yield* Effect.tryPromise({
          try: () =>
            sdk.models.generateContentStream({
              ...call,
              config: { ...call.config, abortSignal: controller.signal }
            }),
          catch: (error) => toProviderError(error, context, "request")
        })
        const assembler = new GoogleStreamAssembler(request.model)
        const body = Stream.fromAsyncIterable(answers as AsyncIterable<unknown>, (error) =>
          toProviderError(error, context, "stream")
        ).pipe(Stream.mapConcat((answer) => assembler.push(answer as GoogleAnswer)))
        const ending = Stream.suspend(() => {
          const finished = assembler.finish()
          return finished === undefined
            ? Stream.fail(
                new LlmProviderError({
                  ...context,
                  kind: "stream-cut",
                  detail: "the stream ended before a finishReason"
                })
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
