import { describe, expect, it } from "@effect/vitest"
import { classifyExit, type ProcessExit } from "@gauntlet/failure"

describe("classifyExit", () => {
  it.each<[ProcessExit, string, string, string]>([
    [{ code: 124 }, "timeout", "retryable", "exit.124"],
    [{ code: 124, kind: "check" }, "timeout", "retryable", "exit.124"],
    [{ code: 125 }, "tool-error", "terminal", "exit.125"],
    [{ code: 126 }, "tool-error", "terminal", "exit.126"],
    [{ code: 127, kind: "check" }, "tool-error", "terminal", "exit.127"],
    [{ code: null, signal: "SIGKILL" }, "resource", "terminal", "exit.signal.SIGKILL"],
    [{ code: 137 }, "resource", "terminal", "exit.signal.SIGKILL"],
    [{ code: null, signal: "SIGTERM" }, "timeout", "retryable", "exit.signal.SIGTERM"],
    [{ code: 143 }, "timeout", "retryable", "exit.signal.SIGTERM"],
    [{ code: null, signal: "SIGINT" }, "timeout", "terminal", "exit.signal.SIGINT"],
    [{ code: 130 }, "timeout", "terminal", "exit.signal.SIGINT"],
    [{ code: null, signal: "SIGXCPU" }, "resource", "terminal", "exit.signal.SIGXCPU"],
    [{ code: null, signal: "SIGSEGV", kind: "check" }, "task-code", "repairable", "exit.signal.SIGSEGV"],
    [{ code: null, signal: "SIGSEGV" }, "tool-error", "retryable", "exit.signal.SIGSEGV"],
    [{ code: 134, kind: "check" }, "task-code", "repairable", "exit.signal.SIGABRT"],
    [{ code: null, signal: "SIGPIPE", kind: "check" }, "tool-error", "retryable", "exit.signal.SIGPIPE"],
    [{ code: null, signal: "sigterm" }, "timeout", "retryable", "exit.signal.SIGTERM"],
    [{ code: 1, kind: "check" }, "task-code", "repairable", "exit.check-failed"],
    [{ code: 2, kind: "check" }, "task-code", "repairable", "exit.check-failed"],
    [{ code: 1, kind: "tool" }, "tool-error", "retryable", "exit.nonzero"],
    [{ code: 128 }, "tool-error", "retryable", "exit.nonzero"],
    [{ code: 3221225477 }, "tool-error", "retryable", "exit.nonzero"],
    [{ code: 0 }, "unknown", "terminal", "exit.not-a-failure"],
    [{ code: null, signal: null }, "unknown", "terminal", "exit.invalid"],
    [{ code: -1 }, "unknown", "terminal", "exit.invalid"],
    [{}, "unknown", "terminal", "exit.invalid"]
  ])("%j → %s (%s, %s)", (exit, failureClass, disposition, rule) => {
    expect(classifyExit(exit)).toEqual({ failureClass, disposition, rule })
  })
})
