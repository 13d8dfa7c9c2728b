import { LlmProviderError, type ProviderErrorKind, providerErrorFromStatus } from "@gauntlet/llm"
import { Predicate } from "effect"
import OpenAI from "openai"

/** Where a call failed: before the answer started, or while its stream was being read. */
export type CallPhase = "request" | "stream"

/** What the error is about: the provider id and the model asked for. */
export interface ErrorContext {
  readonly provider: string
  readonly model: string
  readonly now?: number
}

/** Error codes that say this account cannot pay or has no access: retrying will not help, another provider may. */
const ACCOUNT_CODES = new Set(["insufficient_quota", "billing_hard_limit_reached", "account_deactivated"])

/** In-stream `error` payloads carry a type or code and no status. */
const KIND_OF_STREAM_ERROR: Readonly<Record<string, ProviderErrorKind>> = {
  server_error: "server",
  rate_limit_exceeded: "rate-limited",
  rate_limit_error: "rate-limited",
  timeout: "timeout",
  invalid_request_error: "bad-request",
  context_length_exceeded: "bad-request"
}

const detailOf = (error: unknown): string =>
  Predicate.isError(error) ? error.message : Predicate.isString(error) ? error : String(error)

/** The server's own message from an error body (`{ error: { message } }` or `{ message }`). */
const apiMessageOf = (error: InstanceType<typeof OpenAI.APIError>): string => {
  const body = error.error
  if (Predicate.isObject(body) && Predicate.isString((body as { message?: unknown }).message)) {
    return (body as { message: string }).message
  }
  return error.message
}

/**
 * Maps whatever the SDK threw to an `LlmProviderError`: an HTTP status → its kind (429 with `retry-after` /
 * `retry-after-ms`, 5xx, 401/403, 400 …), except a 429 `insufficient_quota` (and other account codes), which is
 * `auth`: the account cannot pay, so retrying is pointless and another provider may answer; the SDK's timeout →
 * `timeout`; a connection failure → `network` before the answer, `stream-cut` once a stream had started; an error
 * payload inside the stream → the kind of its type or code; an unreadable answer → `invalid-response`.
 */
export const toProviderError = (
  error: unknown,
  context: ErrorContext,
  phase: CallPhase
): LlmProviderError => {
  if (error instanceof LlmProviderError) return error
  const base = { provider: context.provider, model: context.model }
  if (error instanceof OpenAI.APIConnectionTimeoutError) {
    return new LlmProviderError({ ...base, kind: "timeout", detail: error.message })
  }
  if (error instanceof OpenAI.APIUserAbortError || error instanceof OpenAI.APIConnectionError) {
    return new LlmProviderError({
      ...base,
      kind: phase === "stream" ? "stream-cut" : "network",
      detail: error.message
    })
  }
  if (error instanceof OpenAI.APIError) {
    const requestId = error.requestID ?? undefined
    const withId = requestId === undefined ? {} : { providerRequestId: requestId }
    const code = typeof error.code === "string" ? error.code : undefined
    if (typeof error.status === "number") {
      if (code !== undefined && ACCOUNT_CODES.has(code)) {
        return new LlmProviderError({
          ...base,
          ...withId,
          kind: "auth",
          status: error.status,
          detail: `${code}: ${apiMessageOf(error)}`
        })
      }
      return providerErrorFromStatus({
        ...base,
        ...withId,
        status: error.status,
        ...(error.headers === undefined ? {} : { headers: error.headers }),
        detail: apiMessageOf(error),
        ...(context.now === undefined ? {} : { now: context.now })
      })
    }
    const type = typeof error.type === "string" ? error.type : undefined
    const kind =
      (code !== undefined && KIND_OF_STREAM_ERROR[code]) ||
      (type !== undefined && KIND_OF_STREAM_ERROR[type]) ||
      "server"
    return new LlmProviderError({
      ...base,
      ...withId,
      kind,
      detail: `error in the stream: ${code ?? type ?? "unknown"}: ${apiMessageOf(error)}`
    })
  }
  if (error instanceof SyntaxError) {
    return new LlmProviderError({
      ...base,
      kind: "invalid-response",
      detail: `unreadable answer: ${error.message}`
    })
  }
  return new LlmProviderError({
    ...base,
    kind: phase === "stream" ? "stream-cut" : "network",
    detail: detailOf(error)
  })
}
