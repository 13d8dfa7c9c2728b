import Anthropic from "@anthropic-ai/sdk"
import { LlmProviderError, type ProviderErrorKind, providerErrorFromStatus } from "@gauntlet/llm"
import { Predicate } from "effect"

/** Where a call failed: before the answer started, or while its stream was being read. */
export type CallPhase = "request" | "stream"

/** What the error is about: the provider id and the model asked for. */
export interface ErrorContext {
  readonly provider: string
  readonly model: string
  readonly now?: number
}

/** In-stream `error` events carry an error type and no status. */
const KIND_OF_ERROR_TYPE: Readonly<Record<string, ProviderErrorKind>> = {
  overloaded_error: "server",
  api_error: "server",
  rate_limit_error: "rate-limited",
  timeout_error: "timeout",
  authentication_error: "auth",
  permission_error: "auth",
  invalid_request_error: "bad-request",
  request_too_large: "bad-request",
  not_found_error: "bad-request"
}

const detailOf = (error: unknown): string =>
  Predicate.isError(error)
    ? error.message
    : Predicate.isString(error)
      ? error
      : (JSON.stringify(error) ?? String(error))

/**
 * Maps whatever the SDK threw to an `LlmProviderError` (the one normalising function of this adapter): an HTTP
 * status → its kind (429 with `retry-after`, 5xx/529, 401/403, 400 …); the SDK's timeout → `timeout`; a
 * connection failure → `network` before the answer, `stream-cut` once a stream had started; an in-stream `error`
 * event → the kind of its error type; an unreadable answer → `invalid-response`.
 */
export const toProviderError = (
  error: unknown,
  context: ErrorContext,
  phase: CallPhase
): LlmProviderError => {
  if (error instanceof LlmProviderError) return error
  const base = { provider: context.provider, model: context.model }
  if (error instanceof Anthropic.APIConnectionTimeoutError) {
    return new LlmProviderError({ ...base, kind: "timeout", detail: error.message })
  }
  if (error instanceof Anthropic.APIUserAbortError) {
    return new LlmProviderError({
      ...base,
      kind: phase === "stream" ? "stream-cut" : "network",
      detail: error.message
    })
  }
  if (error instanceof Anthropic.APIConnectionError) {
    return new LlmProviderError({
      ...base,
      kind: phase === "stream" ? "stream-cut" : "network",
      detail: error.message
    })
  }
  if (error instanceof Anthropic.APIError) {
    const requestId = error.requestID ?? undefined
    if (typeof error.status === "number") {
      return providerErrorFromStatus({
        ...base,
        status: error.status,
        headers: error.headers ?? undefined,
        detail: error.apiMessage ?? error.message,
        ...(requestId === undefined ? {} : { providerRequestId: requestId }),
        ...(context.now === undefined ? {} : { now: context.now })
      })
    }
    const kind = (error.type !== null && KIND_OF_ERROR_TYPE[error.type]) || "server"
    return new LlmProviderError({
      ...base,
      kind,
      detail: `error event in the stream: ${error.type ?? "unknown"}: ${error.apiMessage ?? error.message}`,
      ...(requestId === undefined ? {} : { providerRequestId: requestId })
    })
  }
  if (error instanceof SyntaxError) {
    return new LlmProviderError({
      ...base,
      kind: "invalid-response",
      detail: `unreadable answer: ${error.message}`
    })
  }
  // Anything else thrown while a body was being read (undici's "terminated", a reset socket) cut the answer.
  return new LlmProviderError({
    ...base,
    kind: phase === "stream" ? "stream-cut" : "network",
    detail: detailOf(error)
  })
}
