import { LlmProviderError, providerErrorFromStatus } from "@gauntlet/llm"
import { ApiError } from "@google/genai"
import { Predicate } from "effect"

/** Where a call failed: before the answer started, or while its stream was being read. */
export type CallPhase = "request" | "stream"

/** What the error is about: the provider id and the model asked for. */
export interface ErrorContext {
  readonly provider: string
  readonly model: string
}

/** A Google RPC error body: `{ error: { code, message, status, details: [...] } }`. */
interface RpcError {
  readonly message?: string
  readonly status?: string
  readonly details?: ReadonlyArray<{
    readonly "@type"?: string
    readonly retryDelay?: string
    readonly reason?: string
  }>
}

const DURATION = /^(\d+(?:\.\d+)?)s$/

/** The RPC error inside an `ApiError` message (the SDK puts the JSON body, sometimes after a prefix, there). */
export const rpcErrorOf = (message: string): RpcError | undefined => {
  const start = message.indexOf("{")
  if (start < 0) return undefined
  try {
    const body: unknown = JSON.parse(message.slice(start))
    const error = Predicate.isObject(body) ? (body as { error?: unknown }).error : undefined
    return Predicate.isObject(error) ? (error as RpcError) : undefined
  } catch {
    return undefined
  }
}

/** The server's requested delay from `google.rpc.RetryInfo.retryDelay` (`"37s"`), in ms. */
export const retryDelayMsOf = (rpc: RpcError | undefined): number | undefined => {
  for (const detail of rpc?.details ?? []) {
    const match = typeof detail.retryDelay === "string" ? DURATION.exec(detail.retryDelay.trim()) : null
    if (match !== null) return Math.ceil(Number(match[1]) * 1000)
  }
  return undefined
}

const isInvalidKey = (rpc: RpcError | undefined): boolean =>
  (rpc?.details ?? []).some((detail) => detail.reason === "API_KEY_INVALID")

const isTimeout = (error: unknown): boolean =>
  Predicate.isError(error) && (error.name === "AbortError" || error.name === "TimeoutError")

/**
 * Maps whatever the SDK threw to an `LlmProviderError`: an `ApiError` → the kind of its status, with the delay of
 * its `RetryInfo` detail (Google sends the retry delay in the body, not in a header) and `API_KEY_INVALID` (a 400
 * from Google) as `auth`; an abort or timeout → `timeout`; an incomplete or broken stream → `stream-cut`; a
 * connection failure before the answer → `network`.
 */
export const toProviderError = (
  error: unknown,
  context: ErrorContext,
  phase: CallPhase
): LlmProviderError => {
  if (error instanceof LlmProviderError) return error
  const base = { provider: context.provider, model: context.model }
  if (error instanceof ApiError) {
    const rpc = rpcErrorOf(error.message)
    const detail = rpc?.message ?? error.message
    if (isInvalidKey(rpc))
      return new LlmProviderError({ ...base, kind: "auth", status: error.status, detail })
    const retryAfterMs = retryDelayMsOf(rpc)
    return providerErrorFromStatus({
      ...base,
      status: error.status,
      detail,
      ...(retryAfterMs === undefined ? {} : { headers: { "retry-after-ms": String(retryAfterMs) } })
    })
  }
  if (isTimeout(error))
    return new LlmProviderError({ ...base, kind: "timeout", detail: (error as Error).message })
  const detail = Predicate.isError(error) ? error.message : String(error)
  return new LlmProviderError({ ...base, kind: phase === "stream" ? "stream-cut" : "network", detail })
}
