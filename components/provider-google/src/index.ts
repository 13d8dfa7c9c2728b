/**
 * @module @gauntlet/provider-google
 * The Google provider (issue 6, DESIGN §4 "Models"): an `LlmProvider` from `@gauntlet/llm` over the official
 * `@google/genai` SDK (Gemini API `generateContent` / `streamGenerateContent`) — messages, function calls,
 * JSON-schema structured output, streaming, usage — with every SDK failure mapped to an `LlmProviderError` kind
 * (including the retry delay Google sends in `google.rpc.RetryInfo`).
 */

/** Configuration, its environment loader (`GEMINI_API_KEY` / `GOOGLE_API_KEY`, `GOOGLE_GEMINI_BASE_URL`) and the id. */
export { GOOGLE_PROVIDER_ID, type GoogleProviderConfig, googleConfigFromEnv } from "./internal/config.js"
/** The SDK-error normaliser and the RPC error helpers it uses. */
export {
  type CallPhase,
  type ErrorContext,
  retryDelayMsOf,
  rpcErrorOf,
  toProviderError
} from "./internal/errors.js"
/** The provider and the SDK client it uses. */
export { makeGoogleClient, makeGoogleProvider } from "./internal/provider.js"
/** Request mapping to a Gemini call. */
export { type GoogleCall, toGoogleCall, type UnmappableRequest } from "./internal/request.js"
/** Response and usage mapping. */
export { contentOf, finishReasonOf, fromGoogleAnswer, usageOf } from "./internal/response.js"
/** The stream assembler. */
export { GoogleStreamAssembler } from "./internal/stream.js"
