/**
 * @module @gauntlet/llm
 * The model-call chokepoint (DESIGN §4 "Models", spec N7): the `LlmProvider` interface every provider adapter
 * implements (request, response, stream chunks, usage, classified provider errors), the provider registry, and the
 * `Llm` service through which every call passes — budget reserved before the call, `llm/request`/`llm/response`
 * events, a stage cache, record/replay cassettes, retries and capability-matched fallbacks — plus `llmAgent`, which
 * lets a workflow phase use the chokepoint as an `Agent`.
 */

/** Cassettes: the entry format, parsing, closest-entry search and the `Cassette` service (live, record, replay). */
export {
  Cassette,
  CassetteEntry,
  type CassetteShape,
  closestEntry,
  type LlmMode,
  type LoadedEntry,
  parseCassette
} from "./internal/cassette.js"
/** Chokepoint errors: refused calls, cassette misses and corruption, invalid structured output, cache failures. */
export {
  CassetteCorrupt,
  CassetteMiss,
  CassetteUnavailable,
  ClosestEntry,
  LlmOutputInvalid,
  LlmRequestRefused,
  StageCacheFailure
} from "./internal/errors.js"
/** The chokepoint service, its call context, options, result, errors and settings. */
export {
  DEFAULT_LLM_CONFIG,
  Llm,
  type LlmCallContext,
  type LlmCallOptions,
  type LlmCompletion,
  type LlmConfig,
  type LlmError,
  type LlmShape,
  type LlmTry
} from "./internal/Llm.js"
/** The provider interface, the provider registry service and stream collection. */
export {
  collectStream,
  DuplicateProvider,
  type LlmProvider,
  LlmProviders,
  type LlmProvidersShape,
  makeLlmProviders,
  type ProviderCallOptions
} from "./internal/LlmProvider.js"
/** A workflow `Agent` backed by the chokepoint. */
export {
  type AgentModelChoice,
  type AgentPrompt,
  type LlmAgentOptions,
  makeLlmAgent
} from "./internal/llmAgent.js"
/** Request, message, tool, response-format, response, usage and stream-chunk schemas. */
export {
  ImagePart,
  JsonObject,
  LlmContentPart,
  LlmFinishReason,
  LlmMessage,
  LlmRequest,
  LlmResponse,
  LlmResponseFormat,
  LlmRole,
  LlmStreamChunk,
  LlmTool,
  LlmToolChoice,
  LlmUsage,
  TextPart,
  ToolCallPart,
  ToolResultPart,
  textOf
} from "./internal/messages.js"
/** Choosing live, record or replay from the configuration. */
export { InvalidLlmMode, type LlmModeInput, type ResolvedLlmMode, resolveLlmMode } from "./internal/mode.js"
/** Request normalization, digests, prompt-token estimates and the cost of usage. */
export { costOfUsage, estimatePromptTokens, normalizeRequest, requestDigestOf } from "./internal/normalize.js"
/** Classified provider errors and their construction from HTTP statuses. */
export {
  FALLBACK_KINDS,
  type HttpFailure,
  LlmProviderError,
  ProviderErrorKind,
  providerErrorFromStatus,
  providerErrorKindOfStatus,
  RETRYABLE_KINDS,
  withCallDeadline,
  withStreamDeadline
} from "./internal/providerError.js"
/** Routing a call and recording the `model/routed` event. */
export { type RouteCallOptions, routeCall } from "./internal/routing.js"
/** The stage cache service (memory, none) and its key. */
export { type CachedCall, StageCache, type StageCacheShape, stageCacheKey } from "./internal/stageCache.js"
/** The stage cache in a SQL table (SQLite by default). */
export { StageCacheSql } from "./internal/stageCacheSqlite.js"
/** Structured output with one repair attempt. */
export {
  completeStructured,
  decodeAnswer,
  type StructuredCompletion,
  type StructuredOutput
} from "./internal/structured.js"
