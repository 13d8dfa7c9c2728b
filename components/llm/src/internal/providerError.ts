import { type FailureClass, FailureClassId, type HttpHeaders, retryAfterMsOf } from "@gauntlet/failure"
import { Duration, Effect, Schema, Stream } from "effect"

/**
 * What went wrong in a provider call, by recovery:
 * - `rate-limited` (429, or 403 with rate-limit headers): retry after `retryAfterMs`, then fall back;
 * - `server` (5xx, 529 overloaded): retry with backoff, then fall back;
 * - `timeout` (no answer in time, 408/504): retry;
 * - `network` (connection refused/reset, DNS): retry, then fall back;
 * - `stream-cut` (a stream ended before its final chunk): retry; nothing is committed;
 * - `auth` (401/403): fall back to another provider, else terminal;
 * - `bad-request` (400, 404, 413, 422 and other 4xx): terminal — the same request fails everywhere;
 * - `invalid-response` (the provider answered something its adapter cannot read): fall back.
 */
export const ProviderErrorKind = Schema.Literal(
  "rate-limited",
  "server",
  "timeout",
  "network",
  "stream-cut",
  "auth",
  "bad-request",
  "invalid-response"
)
/** What went wrong in a provider call. */
export type ProviderErrorKind = typeof ProviderErrorKind.Type

const CLASS_OF_KIND: Record<ProviderErrorKind, FailureClass> = {
  "rate-limited": "external",
  server: "external",
  timeout: "timeout",
  network: "external",
  "stream-cut": "external",
  auth: "external",
  "bad-request": "tool-error",
  "invalid-response": "external"
}

/** Kinds worth retrying on the same model before falling back. */
export const RETRYABLE_KINDS: ReadonlySet<ProviderErrorKind> = new Set([
  "rate-limited",
  "server",
  "timeout",
  "network",
  "stream-cut"
])

/** Kinds after which another (capability-matched) model may be tried. `bad-request` never falls back. */
export const FALLBACK_KINDS: ReadonlySet<ProviderErrorKind> = new Set([
  "rate-limited",
  "server",
  "timeout",
  "network",
  "stream-cut",
  "auth",
  "invalid-response"
])

/**
 * A provider call failed. `provider` is the provider id (`anthropic`, `openai`, …), `model` the provider's model
 * name, `status` the HTTP status when there was one, `retryAfterMs` the server's requested delay. Its failure class
 * follows `kind` (`external`, `timeout` for timeouts, `tool-error` for bad requests).
 */
export class LlmProviderError extends Schema.TaggedError<LlmProviderError>()("LlmProviderError", {
  provider: Schema.String,
  model: Schema.String,
  kind: ProviderErrorKind,
  detail: Schema.String,
  status: Schema.optional(Schema.Int),
  retryAfterMs: Schema.optional(Schema.Number.pipe(Schema.nonNegative())),
  providerRequestId: Schema.optional(Schema.String)
}) {
  get [FailureClassId](): FailureClass {
    return CLASS_OF_KIND[this.kind]
  }

  override get message() {
    const status = this.status === undefined ? "" : ` (HTTP ${this.status})`
    const wait = this.retryAfterMs === undefined ? "" : `, retry after ${this.retryAfterMs} ms`
    return `${this.provider} ${this.model}: ${this.kind}${status}: ${this.detail}${wait}`
  }
}

/** The error kind of an HTTP status (`undefined` below 400). */
export const providerErrorKindOfStatus = (
  status: number,
  headers?: HttpHeaders
): ProviderErrorKind | undefined => {
  if (status < 400) return undefined
  if (status === 429) return "rate-limited"
  if (status === 403 && retryAfterMsOf(headers) !== undefined) return "rate-limited"
  if (status === 401 || status === 403) return "auth"
  if (status === 408 || status === 504) return "timeout"
  if (status >= 500) return "server"
  return "bad-request"
}

/** Inputs of `providerErrorFromStatus`. */
export interface HttpFailure {
  readonly provider: string
  readonly model: string
  readonly status: number
  readonly headers?: HttpHeaders
  readonly detail: string
  readonly providerRequestId?: string
  /** Epoch ms, to resolve HTTP-date `retry-after` values. */
  readonly now?: number
}

/** A provider error from an HTTP error response: kind from the status, `retryAfterMs` from the headers. */
export const providerErrorFromStatus = (failure: HttpFailure): LlmProviderError => {
  const retryAfterMs = retryAfterMsOf(failure.headers, failure.now === undefined ? {} : { now: failure.now })
  return new LlmProviderError({
    provider: failure.provider,
    model: failure.model,
    kind: providerErrorKindOfStatus(failure.status, failure.headers) ?? "invalid-response",
    detail: failure.detail,
    status: failure.status,
    ...(retryAfterMs === undefined ? {} : { retryAfterMs }),
    ...(failure.providerRequestId === undefined ? {} : { providerRequestId: failure.providerRequestId })
  })
}

/** Who a provider call is for: the provider id and the model asked for. */
interface CallTarget {
  readonly provider: string
  readonly model: string
}

const deadlineError = (target: CallTarget, ms: number) =>
  new LlmProviderError({
    provider: target.provider,
    model: target.model,
    kind: "timeout",
    detail: `no complete answer within ${ms} ms`
  })

/**
 * Bounds one provider call by the caller's `timeoutMs` (none: unbounded): past it the call is interrupted (its
 * HTTP request aborted) and fails with a `timeout` `LlmProviderError`. Every provider adapter uses this one rule.
 */
export const withCallDeadline = <A, E, R>(
  call: Effect.Effect<A, E, R>,
  target: CallTarget,
  timeoutMs: number | undefined
): Effect.Effect<A, E | LlmProviderError, R> =>
  timeoutMs === undefined
    ? call
    : Effect.timeoutFail(call, {
        duration: Duration.millis(timeoutMs),
        onTimeout: () => deadlineError(target, timeoutMs)
      })

/** The same deadline for a streamed answer: the whole stream must end within `timeoutMs`. */
export const withStreamDeadline = <A, E, R>(
  stream: Stream.Stream<A, E, R>,
  target: CallTarget,
  timeoutMs: number | undefined
): Stream.Stream<A, E | LlmProviderError, R> =>
  timeoutMs === undefined
    ? stream
    : Stream.interruptWhen(
        stream,
        Effect.fail(deadlineError(target, timeoutMs)).pipe(Effect.delay(Duration.millis(timeoutMs)))
      )
