import type { FailureClass } from "./classes.js"
import { type Classification, classified } from "./classification.js"

/**
 * How a child process ended, as Node reports it (`code` null when a signal killed it). `kind` says what the process
 * was for: `check` runs the task's own code (tests, lint, type check, build), so its plain non-zero exit is the code's
 * failure; `tool` (the default) is a tool invocation, whose non-zero exit is the tool's.
 */
export interface ProcessExit {
  readonly code?: number | null
  readonly signal?: string | null
  readonly kind?: "check" | "tool"
}

/** Linux signal numbers, for shells that report `128 + n` instead of the signal. */
const SIGNAL_NUMBERS: ReadonlyMap<number, string> = new Map([
  [1, "SIGHUP"],
  [2, "SIGINT"],
  [3, "SIGQUIT"],
  [4, "SIGILL"],
  [5, "SIGTRAP"],
  [6, "SIGABRT"],
  [7, "SIGBUS"],
  [8, "SIGFPE"],
  [9, "SIGKILL"],
  [10, "SIGUSR1"],
  [11, "SIGSEGV"],
  [12, "SIGUSR2"],
  [13, "SIGPIPE"],
  [14, "SIGALRM"],
  [15, "SIGTERM"],
  [24, "SIGXCPU"],
  [25, "SIGXFSZ"],
  [31, "SIGSYS"]
])

/** Signals that mean the process crashed on its own (a fault in the program it ran). */
const CRASH_SIGNALS = new Set(["SIGSEGV", "SIGBUS", "SIGILL", "SIGFPE", "SIGABRT", "SIGTRAP", "SIGSYS"])

const classifySignal = (signal: string, kind: "check" | "tool"): Classification => {
  const rule = `exit.signal.${signal}`
  switch (signal) {
    case "SIGKILL": // no warning: the kernel's OOM killer or a hard limit
    case "SIGXCPU":
    case "SIGXFSZ":
      return classified("resource", rule)
    case "SIGTERM": // a supervisor's deadline (`timeout`, our own per-task timeout)
    case "SIGALRM":
      return classified("timeout", rule)
    case "SIGINT": // stopped from outside by an operator: never retried automatically
    case "SIGHUP":
    case "SIGQUIT":
      return classified("timeout", rule, { terminal: true })
    default: {
      const failureClass: FailureClass =
        CRASH_SIGNALS.has(signal) && kind === "check" ? "task-code" : "tool-error"
      return classified(failureClass, rule)
    }
  }
}

/**
 * Classifies a process exit (spec N1-R9): 124 → `timeout` (GNU `timeout`); 125/126/127 → `tool-error` terminal (could
 * not run, not executable, not found); SIGKILL/137 → `resource`; SIGTERM/143 → `timeout`; SIGINT/130 → `timeout`
 * terminal; crashes → `task-code` for checks, `tool-error` for tools; other non-zero → `task-code` for checks,
 * `tool-error` for tools. Exit 0 without a signal is not a failure (`unknown`, rule `exit.not-a-failure`).
 */
export const classifyExit = (exit: ProcessExit): Classification => {
  const kind = exit.kind ?? "tool"
  const signal = exit.signal ?? undefined
  if (signal !== undefined && signal !== "") return classifySignal(signal.toUpperCase(), kind)
  const code = exit.code ?? undefined
  if (code === undefined || !Number.isInteger(code) || code < 0) return classified("unknown", "exit.invalid")
  if (code === 0) return classified("unknown", "exit.not-a-failure")
  if (code === 124) return classified("timeout", "exit.124")
  if (code === 125 || code === 126 || code === 127)
    return classified("tool-error", `exit.${code}`, { terminal: true })
  const signalled = code > 128 && code < 160 ? SIGNAL_NUMBERS.get(code - 128) : undefined
  if (signalled !== undefined) return classifySignal(signalled, kind)
  return kind === "check"
    ? classified("task-code", "exit.check-failed")
    : classified("tool-error", "exit.nonzero")
}
