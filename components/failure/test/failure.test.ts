import { describe, expect, it } from "@effect/vitest"
import {
  ClassifiedFailure,
  classified,
  Failure,
  fingerprintOf,
  makeFailure,
  messageOf,
  toFailure
} from "@gauntlet/failure"
import { Cause, Effect, Exit, Schema } from "effect"

describe("failure records", () => {
  it("builds a record with class, disposition, fingerprint and rule", () => {
    const record = makeFailure(
      classified("external", "http.429", { retryAfterMs: 1500 }),
      "429 Too Many Requests"
    )
    expect(record).toEqual({
      failureClass: "external",
      disposition: "retryable",
      message: "429 Too Many Requests",
      fingerprint: fingerprintOf({ failureClass: "external", message: "429 Too Many Requests" }),
      rule: "http.429",
      retryAfterMs: 1500
    })
    expect(Schema.decodeUnknownSync(Failure)(record)).toEqual(record)
  })

  it("rejects records with a bad class or fingerprint, naming the field", () => {
    const record = makeFailure(classified("timeout", "exit.124"), "timed out", "verify/tests")
    expect(() => Schema.decodeUnknownSync(Failure)({ ...record, failureClass: "slow" })).toThrow(
      /failureClass/
    )
    expect(() => Schema.decodeUnknownSync(Failure)({ ...record, fingerprint: "md5:abc" })).toThrow(
      /fingerprint/
    )
  })

  it("classifies anything thrown into a record, taking a declared location", () => {
    const record = toFailure(
      new ClassifiedFailure({ failureClass: "policy", reason: "denied", location: "gate/L2" })
    )
    expect(record.failureClass).toBe("policy")
    expect(record.message).toBe("denied")
    expect(record.location).toBe("gate/L2")
    expect(record.fingerprint).toBe(
      fingerprintOf({ failureClass: "policy", message: "denied", location: "gate/L2" })
    )
    expect(toFailure(new Error("spawn rg ENOENT"), { location: "implement/task-3" })).toMatchObject({
      failureClass: "tool-error",
      disposition: "terminal",
      location: "implement/task-3",
      rule: "message.not-runnable"
    })
  })

  it("gives the same fingerprint to the same failure met in two runs", () => {
    const a = toFailure(
      new Error("connect ECONNREFUSED 127.0.0.1:5432 (run 0193a7b2-1c2d-7e3f-8a9b-0c1d2e3f4a5b)")
    )
    const b = toFailure(
      new Error("connect ECONNREFUSED 127.0.0.1:6543 (run 0193a7b2-ffff-7e3f-8a9b-0c1d2e3f4a5b)")
    )
    expect(a.fingerprint).toBe(b.fingerprint)
    expect(a.message).not.toBe(b.message)
  })

  it.effect("uses a cause's decisive error for the message and location", () =>
    Effect.gen(function* () {
      const exit = yield* Effect.exit(
        Effect.fail(
          new ClassifiedFailure({
            failureClass: "resource",
            reason: "cost budget exhausted",
            location: "run"
          })
        )
      )
      if (Exit.isSuccess(exit)) return expect.unreachable("the effect must fail")
      expect(toFailure(exit.cause)).toMatchObject({
        failureClass: "resource",
        message: "cost budget exhausted",
        location: "run"
      })
      const interrupted = yield* Effect.exit(Effect.interrupt)
      if (Exit.isSuccess(interrupted)) return expect.unreachable("the effect must be interrupted")
      expect(toFailure(interrupted.cause)).toMatchObject({ failureClass: "timeout", message: "interrupted" })
    })
  )

  it.each([
    ["a string", "plain text", "plain text"],
    ["an Error", new Error("boom"), "boom"],
    ["a tagged error without message", { _tag: "EmptyGraph" }, "EmptyGraph"],
    ["an HTTP error without message", { status: 503 }, "HTTP 503"],
    ["a number", 7, "7"],
    ["undefined", undefined, "undefined"],
    ["a BigInt", 10n, "10"],
    ["a plain object", { a: 1 }, '{"a":1}'],
    ["the empty cause", Cause.empty, "empty cause"]
  ])("messageOf %s", (_label, thrown, expected) => {
    expect(messageOf(thrown)).toBe(expected)
  })

  it.effect("sees through Effect.tryPromise's UnknownException to the rejected error", () =>
    Effect.gen(function* () {
      const exit = yield* Effect.exit(Effect.tryPromise(() => Promise.reject(new Error("read ECONNRESET"))))
      if (Exit.isSuccess(exit)) return expect.unreachable("the effect must fail")
      expect(toFailure(exit.cause)).toMatchObject({
        failureClass: "external",
        disposition: "retryable",
        message: "read ECONNRESET"
      })
    })
  )

  it("renders a cyclic object without throwing", () => {
    const cyclic: Record<string, unknown> = {}
    cyclic.self = cyclic
    expect(messageOf(cyclic)).toBe("[object Object]")
  })
})
