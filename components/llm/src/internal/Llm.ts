import type { BudgetExhausted, InvalidBudgetRequest } from "@gauntlet/budget"
import { BudgetLedger, phaseScope, worstCaseEstimate } from "@gauntlet/budget"
import { Ids } from "@gauntlet/canonical"
import { type AppendError, EventLog } from "@gauntlet/event-stream"
import { type ModelEntry, ModelRegistry } from "@gauntlet/models"
import { Clock, Context, Duration, Effect, Either, Layer, Option, Stream } from "effect"
import { Cassette, type CassetteEntry } from "./cassette.js"
import {
  type CassetteCorrupt,
  type CassetteMiss,
  type CassetteUnavailable,
  LlmRequestRefused,
  type StageCacheFailure
} from "./errors.js"
import { collectStream, LlmProviders } from "./LlmProvider.js"
import type { LlmRequest, LlmResponse, LlmStreamChunk } from "./messages.js"
import { costOfUsage, estimatePromptTokens, normalizeRequest, requestDigestOf } from "./normalize.js"
import { FALLBACK_KINDS, LlmProviderError, RETRYABLE_KINDS } from "./providerError.js"
import { StageCache, stageCacheKey } from "./stageCache.js"

/** Where a call belongs: the run (events), the phase (budget scope `run/phase:<phase>`), the attempt. */
export interface LlmCallContext {
  readonly runId: string
  readonly phase: string
  readonly attempt?: number
  readonly agentInstanceId?: string
}

/** Per-call options: fallback models (catalog ids, tried in order), streaming and a chunk observer. */
export interface LlmCallOptions {
  readonly fallbacks?: ReadonlyArray<string>
  readonly stream?: boolean
  readonly onChunk?: (chunk: LlmStreamChunk) => Effect.Effect<void>
}

/** A failed try recorded on the way to an answer (a retry or a fallback). */
export interface LlmTry {
  readonly model: string
  readonly error: string
}

/** A completed call: the response, the catalog model that answered, what it cost and where the answer came from. */
export interface LlmCompletion {
  readonly response: LlmResponse
  readonly model: string
  readonly provider: string
  readonly requestId: string
  readonly requestDigest: string
  readonly costUsd: number
  readonly durationMs: number
  readonly source: "live" | "cassette" | "cache"
  readonly tries: ReadonlyArray<LlmTry>
}

/** Every way a chokepoint call can fail. */
export type LlmError =
  | LlmRequestRefused
  | LlmProviderError
  | BudgetExhausted
  | InvalidBudgetRequest
  | CassetteMiss
  | CassetteCorrupt
  | CassetteUnavailable
  | StageCacheFailure
  | AppendError

/**
 * The chokepoint every model call passes through (spec N7 "Budgets" and "The chokepoint"). `request.model` is a
 * CATALOG id (`openai/gpt-4.1-mini`).
 */
export interface LlmShape {
  readonly complete: (
    request: LlmRequest,
    context: LlmCallContext,
    options?: LlmCallOptions
  ) => Effect.Effect<LlmCompletion, LlmError>
}

/** Retry and timeout settings of the chokepoint. */
export interface LlmConfig {
  /** Retries of one model on a retryable error (429, 5xx, timeout, network, cut stream) before falling back. */
  readonly maxRetries: number
  /** First backoff delay; doubles per retry, capped by `backoffMaxMs`. A server's retry-after wins. */
  readonly backoffBaseMs: number
  readonly backoffMaxMs: number
  /** A provider call that takes longer fails as `timeout` (then retried). */
  readonly timeoutMs?: number
  /** The event actor. */
  readonly actor: string
}

/** The default chokepoint settings: 2 retries, 500 ms doubling to 30 s, actor `llm`. */
export const DEFAULT_LLM_CONFIG: LlmConfig = {
  maxRetries: 2,
  backoffBaseMs: 500,
  backoffMaxMs: 30_000,
  actor: "llm"
}

const makeLlm = (config: LlmConfig) =>
  Effect.gen(function* () {
    const ledger = yield* BudgetLedger
    const log = yield* EventLog
    const registry = yield* ModelRegistry
    const providers = yield* LlmProviders
    const cassette = yield* Cassette
    const cache = yield* StageCache
    const ids = yield* Ids

    const emit = (ctx: LlmCallContext, type: string, payload: Record<string, unknown>) =>
      log.append({ runId: ctx.runId, type, actor: config.actor, payload })

    /** Checks a model before anything is reserved: known, configured, provider registered, output in range. */
    const resolve = (modelId: string, request: LlmRequest): Either.Either<ModelEntry, LlmRequestRefused> => {
      const found = registry.find(modelId)
      if (Either.isLeft(found)) {
        return Either.left(
          new LlmRequestRefused({ model: modelId, pointer: "/model", reason: found.left.message })
        )
      }
      const entry = found.right
      if (cassette.mode !== "replay") {
        const availability = registry.availability.find((a) => a.model.id === entry.id)
        if (availability !== undefined && !availability.available) {
          return Either.left(
            new LlmRequestRefused({ model: entry.id, pointer: "/model", reason: availability.reason })
          )
        }
        if (providers.get(entry.provider) === undefined) {
          return Either.left(
            new LlmRequestRefused({
              model: entry.id,
              pointer: "/model",
              reason: `no ${entry.provider} provider is registered (registered: ${providers.ids.join(", ") || "none"})`
            })
          )
        }
      }
      if (request.maxOutputTokens > entry.maxOutputTokens) {
        return Either.left(
          new LlmRequestRefused({
            model: entry.id,
            pointer: "/maxOutputTokens",
            reason: `${request.maxOutputTokens} exceeds the model's maximum output of ${entry.maxOutputTokens} tokens`
          })
        )
      }
      return Either.right(entry)
    }

    const callProvider = (
      entry: ModelEntry,
      request: LlmRequest,
      options: LlmCallOptions
    ): Effect.Effect<LlmResponse, LlmProviderError> => {
      const provider = providers.get(entry.provider)
      if (provider === undefined) {
        return Effect.fail(
          new LlmProviderError({
            provider: entry.provider,
            model: entry.providerModel,
            kind: "invalid-response",
            detail: "provider is not registered"
          })
        )
      }
      const callOptions = config.timeoutMs === undefined ? {} : { timeoutMs: config.timeoutMs }
      const call =
        options.stream === true || options.onChunk !== undefined
          ? collectStream(
              provider
                .stream(request, callOptions)
                .pipe(Stream.tap((chunk) => options.onChunk?.(chunk) ?? Effect.void)),
              () =>
                new LlmProviderError({
                  provider: entry.provider,
                  model: entry.providerModel,
                  kind: "stream-cut",
                  detail: "the stream ended before its final chunk"
                })
            )
          : provider.complete(request, callOptions)
      return config.timeoutMs === undefined
        ? call
        : Effect.timeoutFail(call, {
            duration: Duration.millis(config.timeoutMs),
            onTimeout: () =>
              new LlmProviderError({
                provider: entry.provider,
                model: entry.providerModel,
                kind: "timeout",
                detail: `no answer within ${config.timeoutMs} ms`
              })
          })
    }

    /** One reserved, evented call of one model: reserve → llm/request → answer → commit → llm/response. */
    const callOnce = (
      entry: ModelEntry,
      request: LlmRequest,
      normalized: Record<string, unknown>,
      digest: string,
      ctx: LlmCallContext,
      options: LlmCallOptions
    ) =>
      Effect.gen(function* () {
        const requestId = yield* ids.next
        const inputTokens = estimatePromptTokens(request)
        const worst = worstCaseEstimate({
          inputTokens,
          maxOutputTokens: request.maxOutputTokens,
          inputPerMTok: entry.pricing.inputPerMTok,
          outputPerMTok: entry.pricing.outputPerMTok
        })
        const source = cassette.mode === "replay" ? ("cassette" as const) : ("live" as const)
        const started = yield* Clock.currentTimeMillis
        const answered = yield* ledger.metered(
          { scope: phaseScope(ctx.phase), id: requestId, estimate: worst },
          Effect.gen(function* () {
            yield* emit(ctx, "llm/request", {
              requestId,
              provider: entry.provider,
              model: entry.id,
              promptDigest: digest,
              maxOutputTokens: request.maxOutputTokens,
              estimatedInputTokens: inputTokens,
              worstCaseCostUsd: worst.costUsd,
              phase: ctx.phase,
              ...(ctx.attempt === undefined ? {} : { attempt: ctx.attempt }),
              ...(ctx.agentInstanceId === undefined ? {} : { agentInstanceId: ctx.agentInstanceId }),
              ...(request.promptTemplateId === undefined
                ? {}
                : { promptTemplateId: request.promptTemplateId })
            })
            const response =
              cassette.mode === "replay"
                ? yield* cassette.replay(digest, normalized, entry.id)
                : yield* callProvider(entry, request, options)
            if (cassette.mode === "record") {
              const recorded: CassetteEntry = { digest, request: normalized, response }
              yield* cassette.record(recorded)
            }
            return { response, costUsd: costOfUsage(response.usage, entry.pricing) }
          }),
          (done) => ({
            tokens: done.response.usage.inputTokens + done.response.usage.outputTokens,
            costUsd: done.costUsd
          })
        )
        const durationMs = Math.max(0, Math.round((yield* Clock.currentTimeMillis) - started))
        yield* emitResponse(ctx, entry, requestId, answered.response, answered.costUsd, durationMs, source)
        return {
          response: answered.response,
          model: entry.id,
          provider: entry.provider,
          requestId,
          requestDigest: digest,
          costUsd: answered.costUsd,
          durationMs,
          source,
          tries: []
        } satisfies LlmCompletion
      })

    const emitResponse = (
      ctx: LlmCallContext,
      entry: ModelEntry,
      requestId: string,
      response: LlmResponse,
      costUsd: number,
      durationMs: number,
      source: LlmCompletion["source"]
    ) =>
      emit(ctx, "llm/response", {
        requestId,
        provider: entry.provider,
        model: entry.id,
        responseDigest: requestDigestOf({ ...response }),
        inputTokens: response.usage.inputTokens,
        outputTokens: response.usage.outputTokens,
        costUsd,
        durationMs,
        source,
        finishReason: response.finishReason,
        ...(response.usage.cachedInputTokens === undefined
          ? {}
          : { cachedInputTokens: response.usage.cachedInputTokens }),
        ...(response.scripted === true ? { scripted: true } : {})
      })

    /** A model with its retries; a stage-cache hit answers without reserving or calling. */
    const callModel = (modelId: string, request: LlmRequest, ctx: LlmCallContext, options: LlmCallOptions) =>
      Effect.gen(function* () {
        const entry = yield* resolve(modelId, request)
        const providerRequest: LlmRequest = { ...request, model: entry.providerModel }
        const normalized = normalizeRequest(entry.provider, providerRequest)
        const digest = requestDigestOf(normalized)
        const cacheKey =
          request.promptTemplateId === undefined ? undefined : stageCacheKey(request.promptTemplateId, digest)
        if (cacheKey !== undefined) {
          const hit = yield* cache.get(cacheKey)
          if (Option.isSome(hit))
            return yield* answerFromCache(entry, hit.value.response, digest, ctx, request)
        }
        const tries: Array<LlmTry> = []
        for (let retry = 0; ; retry++) {
          const result = yield* Effect.either(
            callOnce(entry, providerRequest, normalized, digest, ctx, options)
          )
          if (Either.isRight(result)) {
            if (cacheKey !== undefined)
              // The call is paid and recorded: a cache that cannot store it must not fail it (a retry would pay twice).
              yield* cache
                .put(cacheKey, { model: entry.id, response: result.right.response })
                .pipe(
                  Effect.catchAll((error) => Effect.logWarning(`stage cache not updated: ${error.message}`))
                )
            return { ...result.right, tries }
          }
          const error = result.left
          if (
            !(error instanceof LlmProviderError) ||
            !RETRYABLE_KINDS.has(error.kind) ||
            retry >= config.maxRetries
          ) {
            return yield* Effect.fail({ error, tries })
          }
          tries.push({ model: entry.id, error: error.message })
          const backoff = Math.min(config.backoffMaxMs, config.backoffBaseMs * 2 ** retry)
          yield* Effect.sleep(Duration.millis(error.retryAfterMs ?? backoff))
        }
      }).pipe(
        Effect.mapError((failure) =>
          typeof failure === "object" && failure !== null && "tries" in failure
            ? failure
            : { error: failure as LlmError, tries: [] as Array<LlmTry> }
        )
      )

    const answerFromCache = (
      entry: ModelEntry,
      response: LlmResponse,
      digest: string,
      ctx: LlmCallContext,
      request: LlmRequest
    ) =>
      Effect.gen(function* () {
        const requestId = yield* ids.next
        yield* emit(ctx, "llm/request", {
          requestId,
          provider: entry.provider,
          model: entry.id,
          promptDigest: digest,
          maxOutputTokens: request.maxOutputTokens,
          worstCaseCostUsd: 0,
          phase: ctx.phase,
          ...(ctx.attempt === undefined ? {} : { attempt: ctx.attempt }),
          ...(request.promptTemplateId === undefined ? {} : { promptTemplateId: request.promptTemplateId })
        })
        yield* emitResponse(ctx, entry, requestId, response, 0, 0, "cache")
        return {
          response,
          model: entry.id,
          provider: entry.provider,
          requestId,
          requestDigest: digest,
          costUsd: 0,
          durationMs: 0,
          source: "cache" as const,
          tries: [] as ReadonlyArray<LlmTry>
        }
      })

    const complete = Effect.fn("Llm.complete")(function* (
      request: LlmRequest,
      ctx: LlmCallContext,
      options: LlmCallOptions = {}
    ) {
      const chain = [...new Set([request.model, ...(options.fallbacks ?? [])])]
      const tries: Array<LlmTry> = []
      for (let index = 0; index < chain.length; index++) {
        const modelId = chain[index] as string
        const result = yield* Effect.either(callModel(modelId, request, ctx, options))
        if (Either.isRight(result)) return { ...result.right, tries: [...tries, ...result.right.tries] }
        const { error, tries: modelTries } = result.left
        tries.push(...modelTries, { model: modelId, error: error.message })
        const last = index === chain.length - 1
        const fallBack =
          (error instanceof LlmProviderError && FALLBACK_KINDS.has(error.kind)) ||
          (error instanceof LlmRequestRefused && index > 0)
        if (last || !fallBack) return yield* Effect.fail(error)
      }
      return yield* Effect.die("unreachable: the chain is never empty")
    })

    return { complete } satisfies LlmShape
  })

/** The chokepoint service. */
export class Llm extends Context.Tag("@gauntlet/llm/Llm")<Llm, LlmShape>() {
  /** The chokepoint over the run's ledger, event log, registry, providers, cassette and stage cache. */
  static readonly layer = (
    config: Partial<LlmConfig> = {}
  ): Layer.Layer<
    Llm,
    never,
    BudgetLedger | EventLog | ModelRegistry | LlmProviders | Cassette | StageCache | Ids
  > => Layer.effect(Llm, makeLlm({ ...DEFAULT_LLM_CONFIG, ...config }))
}
