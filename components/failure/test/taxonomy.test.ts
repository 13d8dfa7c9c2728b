import { describe, expect, it } from "@effect/vitest"
import {
  classOfExitCode,
  dispositionOf,
  EXIT_CODES,
  exitCodeOf,
  FAILURE_CLASSES,
  FAILURE_TAXONOMY,
  FailureClass,
  isFailureClass,
  repairStrategyOf
} from "@gauntlet/failure"
import { Option, Schema } from "effect"

describe("failure taxonomy", () => {
  it("has exactly the ten classes of DESIGN §4, in order", () => {
    expect(FAILURE_CLASSES).toEqual([
      "agent-error",
      "task-code",
      "tool-error",
      "external",
      "policy",
      "resource",
      "timeout",
      "concurrency",
      "data-integrity",
      "unknown"
    ])
    expect(Object.keys(FAILURE_TAXONOMY).sort()).toEqual([...FAILURE_CLASSES].sort())
  })

  it.each([
    ["agent-error", "repairable", "feed-error-back", 10],
    ["task-code", "repairable", "feed-error-back", 11],
    ["tool-error", "retryable", "retry-with-backoff", 12],
    ["external", "retryable", "retry-with-backoff", 13],
    ["policy", "terminal", "escalate", 14],
    ["resource", "terminal", "escalate", 15],
    ["timeout", "retryable", "retry-with-backoff", 16],
    ["concurrency", "retryable", "refresh-and-retry", 17],
    ["data-integrity", "terminal", "halt", 18],
    ["unknown", "terminal", "escalate", 19]
  ] as const)("%s → %s, %s, exit %i", (failureClass, disposition, strategy, code) => {
    expect(dispositionOf(failureClass)).toBe(disposition)
    expect(repairStrategyOf(failureClass)).toBe(strategy)
    expect(exitCodeOf(failureClass)).toBe(code)
    expect(EXIT_CODES[failureClass]).toBe(code)
    expect(classOfExitCode(code)).toEqual(Option.some(failureClass))
    expect(FAILURE_TAXONOMY[failureClass].meaning.length).toBeGreaterThan(20)
  })

  it("gives every class a distinct exit code outside 0, 1 and 2", () => {
    const codes = FAILURE_CLASSES.map(exitCodeOf)
    expect(new Set(codes).size).toBe(FAILURE_CLASSES.length)
    expect(EXIT_CODES.ok).toBe(0)
    expect(EXIT_CODES.internal).toBe(1)
    expect(EXIT_CODES.usage).toBe(2)
    for (const code of codes) expect([0, 1, 2]).not.toContain(code)
  })

  it.each([0, 1, 2, 3, 9, 20, 124, 255, -1, 10.5])("exit code %d is no class", (code) => {
    expect(classOfExitCode(code)).toEqual(Option.none())
  })

  it("decodes class names and rejects others", () => {
    expect(Schema.decodeUnknownSync(FailureClass)("timeout")).toBe("timeout")
    expect(() => Schema.decodeUnknownSync(FailureClass)("Timeout")).toThrow(/Timeout/)
    expect(isFailureClass("data-integrity")).toBe(true)
    expect(isFailureClass("network")).toBe(false)
    expect(isFailureClass(13)).toBe(false)
  })
})
