/**
 * @module @gauntlet/llm
 * The model-call chokepoint (DESIGN §4 "Models", spec N7): the `LlmProvider` interface every provider adapter
 * implements (request, response, stream chunks, usage, classified provider errors), the provider registry, and the
 * `Llm` service through which every call passes — budget reserved before the call, `llm/request`/`llm/response`
 * events, a stage cache, record/replay cassettes, retries and capability-matched fallbacks — plus `llmAgent`, which
 * lets a workflow phase use the chokepoint as an `Agent`.
 */

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
/** Classified provider errors and their construction from HTTP statuses. */
export {
  FALLBACK_KINDS,
  type HttpFailure,
  LlmProviderError,
  ProviderErrorKind,
  providerErrorFromStatus,
  providerErrorKindOfStatus,
  RETRYABLE_KINDS
} from "./internal/providerError.js"
