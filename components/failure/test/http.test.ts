import { describe, expect, it } from "@effect/vitest"
import { classifyHttpStatus, headerValue, retryAfterMsOf } from "@gauntlet/failure"

describe("classifyHttpStatus", () => {
  it.each([
    [400, "tool-error", "terminal"],
    [401, "external", "terminal"],
    [402, "resource", "terminal"],
    [403, "policy", "terminal"],
    [404, "tool-error", "terminal"],
    [405, "tool-error", "terminal"],
    [408, "timeout", "retryable"],
    [409, "concurrency", "retryable"],
    [410, "tool-error", "terminal"],
    [412, "concurrency", "retryable"],
    [413, "resource", "terminal"],
    [422, "agent-error", "repairable"],
    [423, "concurrency", "retryable"],
    [425, "external", "retryable"],
    [429, "external", "retryable"],
    [451, "policy", "terminal"],
    [500, "external", "retryable"],
    [501, "tool-error", "terminal"],
    [502, "external", "retryable"],
    [503, "external", "retryable"],
    [504, "timeout", "retryable"],
    [507, "resource", "terminal"],
    [511, "external", "terminal"],
    [529, "external", "retryable"],
    [599, "timeout", "retryable"]
  ] as const)("%i → %s (%s)", (status, failureClass, disposition) => {
    expect(classifyHttpStatus(status)).toEqual({ failureClass, disposition, rule: `http.${status}` })
  })

  it.each([
    [200, "http.not-a-failure"],
    [304, "http.not-a-failure"],
    [99, "http.invalid"],
    [600, "http.invalid"],
    [404.5, "http.invalid"],
    [Number.NaN, "http.invalid"]
  ])("%d is not a failure status (%s)", (status, rule) => {
    expect(classifyHttpStatus(status)).toEqual({ failureClass: "unknown", disposition: "terminal", rule })
  })

  it("reads retry-after as delta-seconds, retry-after-ms, HTTP-date and epoch reset", () => {
    expect(classifyHttpStatus(429, { "Retry-After": "2" }).retryAfterMs).toBe(2000)
    expect(classifyHttpStatus(429, { "retry-after": "1.5" }).retryAfterMs).toBe(1500)
    expect(classifyHttpStatus(429, { "retry-after-ms": "250", "retry-after": "9" }).retryAfterMs).toBe(250)
    const now = Date.parse("2026-11-29T12:00:00Z")
    expect(
      classifyHttpStatus(503, { "retry-after": "Sun, 29 Nov 2026 12:00:30 GMT" }, { now }).retryAfterMs
    ).toBe(30_000)
    expect(
      classifyHttpStatus(503, { "retry-after": "Sun, 29 Nov 2026 11:00:00 GMT" }, { now }).retryAfterMs
    ).toBe(0)
    expect(
      classifyHttpStatus(503, { "retry-after": "Sun, 29 Nov 2026 12:00:30 GMT" }).retryAfterMs
    ).toBeUndefined()
    expect(classifyHttpStatus(429, { "retry-after": "soon" }).retryAfterMs).toBeUndefined()
  })

  it("treats a 403 with rate-limit headers as a retryable rate limit (GitHub)", () => {
    const now = 1_700_000_000_000
    expect(
      classifyHttpStatus(403, { "x-ratelimit-remaining": "0", "x-ratelimit-reset": "1700000060" }, { now })
    ).toEqual({
      failureClass: "external",
      disposition: "retryable",
      rule: "http.403.rate-limit",
      retryAfterMs: 60_000
    })
    expect(classifyHttpStatus(403, { "x-ratelimit-remaining": "41" }).failureClass).toBe("policy")
  })

  it("drops a retry delay on terminal statuses", () => {
    expect(classifyHttpStatus(400, { "retry-after": "5" })).toEqual({
      failureClass: "tool-error",
      disposition: "terminal",
      rule: "http.400"
    })
  })

  it("reads fetch Headers and array values", () => {
    expect(headerValue(new Headers({ "Retry-After": "3" }), "retry-after")).toBe("3")
    expect(headerValue({ "retry-after": ["4", "5"] }, "Retry-After")).toBe("4")
    expect(headerValue(undefined, "retry-after")).toBeUndefined()
    expect(retryAfterMsOf(new Headers({ "retry-after": "7" }))).toBe(7000)
  })
})
