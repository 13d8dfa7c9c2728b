/**
 * @module @gauntlet/provider-anthropic
 * The Anthropic provider (issue 6, DESIGN §4 "Models"): an `LlmProvider` from `@gauntlet/llm` over the official
 * `@anthropic-ai/sdk` Messages API — messages, tool calls, JSON-schema structured output, streaming, usage — with
 * every SDK failure mapped to an `LlmProviderError` kind (rate-limited with `retry-after`, server, timeout, network,
 * stream-cut, auth, bad-request, invalid-response).
 */

/** Configuration, its environment loader (`ANTHROPIC_API_KEY`, `ANTHROPIC_BASE_URL`) and the provider id. */
export {
  ANTHROPIC_PROVIDER_ID,
  type AnthropicProviderConfig,
  anthropicConfigFromEnv
} from "./internal/config.js"
/** The SDK-error normaliser. */
export { type CallPhase, type ErrorContext, toProviderError } from "./internal/errors.js"
/** The provider and the SDK client it uses. */
export { makeAnthropicClient, makeAnthropicProvider } from "./internal/provider.js"
/** Request mapping to Messages API parameters. */
export { toAnthropicParams, type UnmappableRequest } from "./internal/request.js"
/** Response and usage mapping. */
export { finishReasonOf, fromAnthropicMessage, usageOf } from "./internal/response.js"
/** The stream assembler (server-sent events → chunks and the final response). */
export { AnthropicStreamAssembler, type AnthropicStreamEvent } from "./internal/stream.js"
