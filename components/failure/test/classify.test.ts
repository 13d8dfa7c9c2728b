import { describe, expect, it } from "@effect/vitest"
import {
  type Classification,
  ClassifiedFailure,
  classifyCause,
  classifyUnknown,
  type FailureClass,
  FailureClassId
} from "@gauntlet/failure"
import { Cause, Duration, Effect, Exit, Fiber, Schema, TestClock } from "effect"

class LockBusy extends Schema.TaggedError<LockBusy>()("LockBusy", { lock: Schema.String }) {
  get [FailureClassId](): FailureClass {
    return "concurrency"
  }
}

class GateDenied extends Schema.TaggedError<GateDenied>()("GateDenied", { gate: Schema.String }) {}

const causeOf = <A, E>(effect: Effect.Effect<A, E>) =>
  Effect.map(Effect.exit(effect), (exit) => (Exit.isFailure(exit) ? exit.cause : Cause.empty))

const pick = ({ failureClass, disposition, rule }: Classification) => ({ failureClass, disposition, rule })

describe("classifyUnknown", () => {
  const withStatus = (status: number, headers?: Record<string, string>) =>
    Object.assign(new Error(`${status} status code (no body)`), { status, headers })

  it.each<[string, unknown, FailureClass, string]>([
    ["a declared class (symbol)", new LockBusy({ lock: "repo" }), "concurrency", "declared"],
    ["a declared class (field)", { failureClass: "policy", reason: "denied" }, "policy", "declared"],
    ["an invalid declared field", { failureClass: "nope", message: "x" }, "unknown", "message.unmatched"],
    [
      "ClassifiedFailure",
      new ClassifiedFailure({ failureClass: "resource", reason: "cost" }),
      "resource",
      "declared"
    ],
    ["TimeoutException by tag", new Cause.TimeoutException("slow"), "timeout", "tag.TimeoutException"],
    [
      "a ParseError by tag",
      { _tag: "ParseError", message: "Expected string" },
      "data-integrity",
      "tag.ParseError"
    ],
    [
      "platform SystemError Busy",
      { _tag: "SystemError", reason: "Busy" },
      "concurrency",
      "tag.SystemError.Busy"
    ],
    [
      "platform SystemError TimedOut",
      { _tag: "SystemError", reason: "TimedOut" },
      "timeout",
      "tag.SystemError.TimedOut"
    ],
    [
      "platform RequestError Transport",
      { _tag: "RequestError", reason: "Transport" },
      "external",
      "tag.RequestError.Transport"
    ],
    [
      "platform RequestError InvalidUrl",
      { _tag: "RequestError", reason: "InvalidUrl" },
      "tool-error",
      "tag.RequestError.InvalidUrl"
    ],
    [
      "platform ResponseError 503",
      { _tag: "ResponseError", reason: "StatusCode", response: { status: 503, headers: {} } },
      "external",
      "http.503"
    ],
    [
      "platform ResponseError Decode",
      { _tag: "ResponseError", reason: "Decode", response: { status: 200 } },
      "data-integrity",
      "tag.ResponseError.Decode"
    ],
    ["an SDK error with status 429", withStatus(429, { "retry-after": "1" }), "external", "http.429"],
    [
      "an Octokit-style error with response.status",
      { status: undefined, response: { status: 409, headers: {} } },
      "concurrency",
      "http.409"
    ],
    ["statusCode 504", { statusCode: 504 }, "timeout", "http.504"],
    [
      "OpenAI 429 insufficient_quota",
      { status: 429, code: "insufficient_quota", message: "You exceeded your current quota" },
      "resource",
      "http.429.exhausted"
    ],
    [
      "a 400 context_length_exceeded",
      { status: 400, code: "context_length_exceeded", message: "too long" },
      "resource",
      "http.400.exhausted"
    ],
    [
      "a 5xx keeps its status class",
      { status: 503, message: "quota exceeded upstream" },
      "external",
      "http.503"
    ],
    [
      "execa timedOut",
      { timedOut: true, exitCode: undefined, message: "Command timed out" },
      "timeout",
      "exit.timed-out"
    ],
    ["execa exitCode 127", { exitCode: 127, signal: undefined }, "tool-error", "exit.127"],
    [
      "child_process killed by SIGKILL",
      Object.assign(new Error("Command failed"), { code: null, signal: "SIGKILL", killed: true }),
      "resource",
      "exit.signal.SIGKILL"
    ],
    ["spawnSync result", { status: 1, signal: null, stderr: "" }, "tool-error", "exit.nonzero"],
    [
      "a Node system error code",
      Object.assign(new Error("connect failed"), { code: "ECONNREFUSED" }),
      "external",
      "message.network"
    ],
    [
      "a DOMException TimeoutError",
      new DOMException("The operation timed out.", "TimeoutError"),
      "timeout",
      "name.TimeoutError"
    ],
    [
      "an AbortError",
      new DOMException("This operation was aborted", "AbortError"),
      "timeout",
      "name.AbortError"
    ],
    [
      "an Error by message",
      new Error("SQLITE_BUSY: database is locked"),
      "concurrency",
      "message.contention"
    ],
    [
      "an Error by cause",
      new Error("append failed", { cause: new Error("ENOSPC: no space left") }),
      "resource",
      "message.exhausted"
    ],
    [
      "a SqlError-like wrapper",
      { _tag: "SqlError", message: "Failed to execute", cause: { code: "SQLITE_CORRUPT" } },
      "data-integrity",
      "message.integrity"
    ],
    ["a string", "getaddrinfo ENOTFOUND x", "external", "message.network"],
    ["an unmatched Error", new Error("weird"), "unknown", "message.unmatched"],
    ["a number", 42, "unknown", "unknown.unrecognised"],
    ["null", null, "unknown", "unknown.unrecognised"],
    ["an empty object", {}, "unknown", "unknown.unrecognised"]
  ])("%s", (_label, thrown, failureClass, rule) => {
    const result = classifyUnknown(thrown)
    expect(result.failureClass).toBe(failureClass)
    expect(result.rule).toBe(rule)
  })

  it("lets the caller map further tags, overriding built-ins", () => {
    expect(classifyUnknown(new GateDenied({ gate: "L2" }))).toEqual({
      failureClass: "unknown",
      disposition: "terminal",
      rule: "message.unmatched"
    })
    expect(pick(classifyUnknown(new GateDenied({ gate: "L2" }), { tags: { GateDenied: "policy" } }))).toEqual(
      {
        failureClass: "policy",
        disposition: "terminal",
        rule: "tag.GateDenied"
      }
    )
    expect(
      classifyUnknown(new Cause.TimeoutException(), { tags: { TimeoutException: "resource" } }).failureClass
    ).toBe("resource")
  })

  it("keeps a declared retry delay and terminal flag", () => {
    expect(
      classifyUnknown(new ClassifiedFailure({ failureClass: "external", reason: "busy", retryAfterMs: 1200 }))
    ).toEqual({ failureClass: "external", disposition: "retryable", rule: "declared", retryAfterMs: 1200 })
    expect(
      classifyUnknown(new ClassifiedFailure({ failureClass: "timeout", reason: "ttl", terminal: true }))
        .disposition
    ).toBe("terminal")
    expect(classifyUnknown({ failureClass: "concurrency", disposition: "terminal" }).disposition).toBe(
      "terminal"
    )
  })

  it("survives cyclic cause chains, also through an Effect Cause", () => {
    const a: { message: string; cause?: unknown } = { message: "outer" }
    a.cause = { message: "inner", cause: a }
    expect(classifyUnknown(a).failureClass).toBe("unknown")
    const b: { message: string; cause?: unknown } = { message: "wrapped" }
    b.cause = Cause.fail(b)
    expect(classifyUnknown(b).failureClass).toBe("unknown")
    expect(classifyCause(Cause.die(b)).rule).toBe("cause.defect")
  })
})

describe("classifyCause", () => {
  it.effect("classifies a typed failure by its declared class", () =>
    Effect.gen(function* () {
      const cause = yield* causeOf(Effect.fail(new LockBusy({ lock: "repo" })))
      expect(pick(classifyCause(cause))).toEqual({
        failureClass: "concurrency",
        disposition: "retryable",
        rule: "declared"
      })
    })
  )

  it.effect("classifies Effect.timeout's TimeoutException as timeout", () =>
    Effect.gen(function* () {
      const fiber = yield* Effect.fork(causeOf(Effect.never.pipe(Effect.timeout(Duration.seconds(5)))))
      yield* TestClock.adjust(Duration.seconds(5))
      const cause = yield* Fiber.join(fiber)
      expect(pick(classifyCause(cause))).toEqual({
        failureClass: "timeout",
        disposition: "retryable",
        rule: "tag.TimeoutException"
      })
    })
  )

  it.effect("classifies a recognised defect and marks an unrecognised one", () =>
    Effect.gen(function* () {
      const known = yield* causeOf(Effect.die(new Error("connect ECONNREFUSED 127.0.0.1:5432")))
      expect(classifyCause(known).failureClass).toBe("external")
      const unknown = yield* causeOf(Effect.dieMessage("cannot read properties of undefined"))
      expect(pick(classifyCause(unknown))).toEqual({
        failureClass: "unknown",
        disposition: "terminal",
        rule: "cause.defect"
      })
    })
  )

  it.effect("prefers a typed failure over a defect in a parallel cause", () =>
    Effect.gen(function* () {
      const cause = Cause.parallel(
        Cause.die(new Error("disk ENOSPC")),
        Cause.fail(new LockBusy({ lock: "x" }))
      )
      expect(classifyCause(cause).failureClass).toBe("concurrency")
      const sequential = yield* causeOf(
        Effect.fail(new GateDenied({ gate: "L4" })).pipe(Effect.ensuring(Effect.die("boom")))
      )
      expect(classifyCause(sequential, { tags: { GateDenied: "policy" } }).failureClass).toBe("policy")
    })
  )

  it.effect("classifies interruption-only causes as terminal, timeout by default", () =>
    Effect.gen(function* () {
      const cause = yield* causeOf(Effect.interrupt)
      expect(Cause.isInterruptedOnly(cause)).toBe(true)
      expect(pick(classifyCause(cause))).toEqual({
        failureClass: "timeout",
        disposition: "terminal",
        rule: "cause.interrupted"
      })
      expect(classifyCause(cause, { interruptedAs: "resource" }).failureClass).toBe("resource")
      expect(classifyUnknown(cause).rule).toBe("cause.interrupted")
    })
  )

  it("classifies the empty cause as unknown", () => {
    expect(pick(classifyCause(Cause.empty))).toEqual({
      failureClass: "unknown",
      disposition: "terminal",
      rule: "cause.empty"
    })
  })
})
