import { Option, Schema } from "effect"
import { FAILURE_CLASSES, type FailureClass } from "./classes.js"

/**
 * What the runtime may do after a failure of a class:
 * - `retryable`: run the same step again (after a delay), unchanged;
 * - `repairable`: run the step again with the failure fed back, so the next attempt can differ;
 * - `terminal`: no automatic retry; stop the step and escalate or halt.
 */
export const RetryDisposition = Schema.Literal("retryable", "repairable", "terminal").annotations({
  identifier: "RetryDisposition"
})

/** One of the three retry dispositions. */
export type RetryDisposition = typeof RetryDisposition.Type

/**
 * The default repair strategy of a class:
 * - `feed-error-back`: regenerate with the error in the agent's context (the inner repair loop);
 * - `retry-with-backoff`: the same call again after exponential backoff with jitter, honouring a server's retry-after;
 * - `refresh-and-retry`: re-read the contended state (rebase, reload the head, re-acquire the lock), then retry;
 * - `alternative-model`: retry with a different, capability-matched model;
 * - `escalate`: stop and ask a human (an approval, a larger budget, a fix to the environment);
 * - `halt`: stop, keep every artifact as evidence, never continue automatically.
 */
export const RepairStrategy = Schema.Literal(
  "feed-error-back",
  "retry-with-backoff",
  "refresh-and-retry",
  "alternative-model",
  "escalate",
  "halt"
).annotations({ identifier: "RepairStrategy" })

/** One of the repair strategies. */
export type RepairStrategy = typeof RepairStrategy.Type

/** One row of the failure taxonomy. */
export interface FailureClassInfo {
  readonly meaning: string
  readonly disposition: RetryDisposition
  readonly repairStrategy: RepairStrategy
  readonly exitCode: number
}

/** The failure taxonomy (spec N1 "Failure taxonomy"): meaning, disposition, repair strategy and exit code. */
export const FAILURE_TAXONOMY = {
  "agent-error": {
    meaning:
      "The agent's output is defective: malformed or off-schema output, hallucinated APIs, a failed prompt.",
    disposition: "repairable",
    repairStrategy: "feed-error-back",
    exitCode: 10
  },
  "task-code": {
    meaning: "The user's code, spec or tests fail: a failing test, lint or type check, a build error.",
    disposition: "repairable",
    repairStrategy: "feed-error-back",
    exitCode: 11
  },
  "tool-error": {
    meaning: "A tool returned an error or an unexpected result, or could not be started.",
    disposition: "retryable",
    repairStrategy: "retry-with-backoff",
    exitCode: 12
  },
  external: {
    meaning: "A third-party service is unavailable, overloaded, rate-limited or refused the connection.",
    disposition: "retryable",
    repairStrategy: "retry-with-backoff",
    exitCode: 13
  },
  policy: {
    meaning: "A policy gate or validation rejected the execution.",
    disposition: "terminal",
    repairStrategy: "escalate",
    exitCode: 14
  },
  resource: {
    meaning:
      "A budget or a machine resource is exhausted: tokens, cost, wall time, iterations, disk, memory.",
    disposition: "terminal",
    repairStrategy: "escalate",
    exitCode: 15
  },
  timeout: {
    meaning: "A wall-clock deadline or a capability's time-to-live was exceeded.",
    disposition: "retryable",
    repairStrategy: "retry-with-backoff",
    exitCode: 16
  },
  concurrency: {
    meaning: "Contention: a deadlock, a busy lock, an optimistic-concurrency conflict, a merge conflict.",
    disposition: "retryable",
    repairStrategy: "refresh-and-retry",
    exitCode: 17
  },
  "data-integrity": {
    meaning:
      "Stored or exchanged data is not what it claims: a hash mismatch, stale context, a schema violation.",
    disposition: "terminal",
    repairStrategy: "halt",
    exitCode: 18
  },
  unknown: {
    meaning: "Nothing classified the failure. An incident to track: its rate is a reliability indicator.",
    disposition: "terminal",
    repairStrategy: "escalate",
    exitCode: 19
  }
} as const satisfies Record<FailureClass, FailureClassInfo>

/**
 * Every exit code of the `gauntlet` CLI: `ok` 0, `internal` 1 (the process died before anything classified the
 * failure — Node's own code for an uncaught exception), `usage` 2 (bad arguments), and 10..19 for the failure classes.
 */
export const EXIT_CODES = {
  ok: 0,
  internal: 1,
  usage: 2,
  "agent-error": FAILURE_TAXONOMY["agent-error"].exitCode,
  "task-code": FAILURE_TAXONOMY["task-code"].exitCode,
  "tool-error": FAILURE_TAXONOMY["tool-error"].exitCode,
  external: FAILURE_TAXONOMY.external.exitCode,
  policy: FAILURE_TAXONOMY.policy.exitCode,
  resource: FAILURE_TAXONOMY.resource.exitCode,
  timeout: FAILURE_TAXONOMY.timeout.exitCode,
  concurrency: FAILURE_TAXONOMY.concurrency.exitCode,
  "data-integrity": FAILURE_TAXONOMY["data-integrity"].exitCode,
  unknown: FAILURE_TAXONOMY.unknown.exitCode
} as const

/** The retry disposition of a class. */
export const dispositionOf = (failureClass: FailureClass): RetryDisposition =>
  FAILURE_TAXONOMY[failureClass].disposition

/** The default repair strategy of a class. */
export const repairStrategyOf = (failureClass: FailureClass): RepairStrategy =>
  FAILURE_TAXONOMY[failureClass].repairStrategy

/** The CLI exit code of a class (10..19). */
export const exitCodeOf = (failureClass: FailureClass): number => FAILURE_TAXONOMY[failureClass].exitCode

const CLASS_BY_EXIT_CODE: ReadonlyMap<number, FailureClass> = new Map(
  FAILURE_CLASSES.map((failureClass) => [FAILURE_TAXONOMY[failureClass].exitCode, failureClass] as const)
)

/** The class whose exit code this is; `None` for 0, 1, 2 and every code that is not a class's. */
export const classOfExitCode = (code: number): Option.Option<FailureClass> =>
  Option.fromNullable(CLASS_BY_EXIT_CODE.get(code))
