/**
 * @module @gauntlet/provider-openai
 * The OpenAI provider (issue 6, DESIGN §4 "Models"): an `LlmProvider` from `@gauntlet/llm` over the official
 * `openai` SDK (Chat Completions), for OpenAI and any OpenAI-compatible base URL (Ollama, vLLM, llama.cpp) —
 * messages, tool calls, JSON-schema structured output, streaming with usage — with every SDK failure mapped to an
 * `LlmProviderError` kind.
 */

/** Configuration, environment loaders (`OPENAI_*`, `GAUNTLET_LOCAL_*`, `OLLAMA_HOST`) and provider ids. */
export {
  LOCAL_PLACEHOLDER_KEY,
  LOCAL_PROVIDER_ID,
  localConfigFromEnv,
  type MaxTokensField,
  OPENAI_PROVIDER_ID,
  type OpenAiProviderConfig,
  ollamaBaseUrlOf,
  openAiConfigFromEnv
} from "./internal/config.js"
/** The SDK-error normaliser. */
export { type CallPhase, type ErrorContext, toProviderError } from "./internal/errors.js"
/** The provider, its SDK client and the output-bound field it sends. */
export { makeOpenAiClient, makeOpenAiProvider, maxTokensFieldOf } from "./internal/provider.js"
/** Request mapping to Chat Completions parameters. */
export { toOpenAiParams, type UnmappableRequest } from "./internal/request.js"
/** Response, usage and tool-argument mapping. */
export { argumentsOf, finishReasonOf, fromOpenAiCompletion, usageOf } from "./internal/response.js"
/** The stream assembler (`data:` chunks → our chunks and the final response). */
export { type IncompleteStream, OpenAiStreamAssembler, type OpenAiStreamChunk } from "./internal/stream.js"
