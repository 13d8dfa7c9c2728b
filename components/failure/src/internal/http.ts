import { Predicate } from "effect"
import type { FailureClass } from "./classes.js"
import { type Classification, classified } from "./classification.js"

/** Response headers: a plain record (any letter case) or anything with a fetch-style `get`. */
export type HttpHeaders =
  | Readonly<Record<string, string | number | ReadonlyArray<string> | undefined | null>>
  | { readonly get: (name: string) => string | null | undefined }

/** Options of `classifyHttpStatus`: `now` (epoch ms) resolves HTTP-date and epoch-second reset headers. */
export interface HttpClassifyOptions {
  readonly now?: number
}

interface StatusRule {
  readonly failureClass: FailureClass
  readonly terminal?: boolean
}

/** Statuses with a class of their own; other 4xx are `tool-error` (terminal), other 5xx are `external`. */
const STATUS_RULES: ReadonlyMap<number, StatusRule> = new Map<number, StatusRule>([
  [400, { failureClass: "tool-error", terminal: true }],
  [401, { failureClass: "external", terminal: true }],
  [402, { failureClass: "resource" }],
  [403, { failureClass: "policy" }],
  [404, { failureClass: "tool-error", terminal: true }],
  [408, { failureClass: "timeout" }],
  [409, { failureClass: "concurrency" }],
  [412, { failureClass: "concurrency" }],
  [413, { failureClass: "resource" }],
  [422, { failureClass: "agent-error" }],
  [423, { failureClass: "concurrency" }],
  [425, { failureClass: "external" }],
  [429, { failureClass: "external" }],
  [451, { failureClass: "policy" }],
  [501, { failureClass: "tool-error", terminal: true }],
  [504, { failureClass: "timeout" }],
  [505, { failureClass: "tool-error", terminal: true }],
  [507, { failureClass: "resource" }],
  [508, { failureClass: "tool-error", terminal: true }],
  [511, { failureClass: "external", terminal: true }],
  [598, { failureClass: "timeout" }],
  [599, { failureClass: "timeout" }]
])

/** Reads one header case-insensitively; arrays give their first value. */
export const headerValue = (headers: HttpHeaders | undefined, name: string): string | undefined => {
  if (headers === undefined || headers === null) return undefined
  if (Predicate.hasProperty(headers, "get") && Predicate.isFunction(headers.get)) {
    const got = (headers as { readonly get: (name: string) => string | null | undefined }).get(name)
    return got === null || got === undefined ? undefined : String(got)
  }
  const lower = name.toLowerCase()
  for (const [key, raw] of Object.entries(headers as Record<string, unknown>)) {
    if (key.toLowerCase() !== lower || raw === undefined || raw === null) continue
    const first: unknown = Array.isArray(raw) ? raw[0] : raw
    return first === undefined ? undefined : String(first)
  }
  return undefined
}

const DELTA_SECONDS = /^\s*\d+(?:\.\d+)?\s*$/

/**
 * How long the server asked us to wait, in ms: `retry-after-ms`, then `retry-after` (delta-seconds, or an HTTP-date
 * when `now` is given), then `x-ratelimit-reset` as epoch seconds when `now` is given. Past instants give 0.
 */
export const retryAfterMsOf = (headers: HttpHeaders | undefined, options: HttpClassifyOptions = {}) => {
  const ms = headerValue(headers, "retry-after-ms")
  if (ms !== undefined && DELTA_SECONDS.test(ms)) return Number(ms)
  const retryAfter = headerValue(headers, "retry-after")
  if (retryAfter !== undefined) {
    if (DELTA_SECONDS.test(retryAfter)) return Number(retryAfter) * 1000
    const at = Date.parse(retryAfter)
    if (options.now !== undefined && Number.isFinite(at)) return Math.max(0, at - options.now)
  }
  const reset = headerValue(headers, "x-ratelimit-reset")
  if (reset !== undefined && options.now !== undefined && DELTA_SECONDS.test(reset)) {
    return Math.max(0, Number(reset) * 1000 - options.now)
  }
  return undefined
}

/** A 403 that is really a rate limit (GitHub's primary and secondary limits answer 403, not 429). */
const isRateLimited403 = (headers: HttpHeaders | undefined): boolean =>
  headerValue(headers, "x-ratelimit-remaining")?.trim() === "0" ||
  headerValue(headers, "retry-after") !== undefined

/**
 * Classifies an HTTP response status (spec N1-R8). 408/504 → `timeout`; 429, 425, 5xx → `external` (retryable, with
 * the server's retry-after); 409/412/423 → `concurrency`; 401 → `external` terminal; 403 → `policy` unless
 * rate-limit headers say otherwise; 413/402/507 → `resource`; 422 → `agent-error`; other 4xx → `tool-error` terminal.
 * Statuses below 400 are not failures (`unknown`, rule `http.not-a-failure`); non-HTTP numbers are `http.invalid`.
 */
export const classifyHttpStatus = (
  status: number,
  headers?: HttpHeaders,
  options: HttpClassifyOptions = {}
): Classification => {
  if (!Number.isInteger(status) || status < 100 || status > 599) return classified("unknown", "http.invalid")
  if (status < 400) return classified("unknown", "http.not-a-failure")
  const retryAfterMs = retryAfterMsOf(headers, options)
  if (status === 403 && isRateLimited403(headers)) {
    return classified("external", "http.403.rate-limit", { retryAfterMs })
  }
  const rule = STATUS_RULES.get(status)
  const failureClass: FailureClass = rule?.failureClass ?? (status >= 500 ? "external" : "tool-error")
  const terminal = rule === undefined ? status < 500 : rule.terminal === true
  return classified(failureClass, `http.${status}`, terminal ? { terminal } : { retryAfterMs })
}
