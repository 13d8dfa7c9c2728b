import { dispositionOf } from "@gauntlet/failure"
import { Duration, Schedule } from "effect"
import type { NodeFailure } from "./errors.js"
import type { RetryPolicy } from "./spec.js"

/** One attempt and no retry: the policy of a node that declares none (unless the run sets a default). */
export const NO_RETRY: RetryPolicy = { maxAttempts: 1, baseDelayMs: 0, maxDelayMs: 0 }

/**
 * True when the failure's class has the `retryable` disposition (repairable and terminal failures are not) and the
 * failure does not carry a stricter `disposition` of its own.
 */
export const isRetryable = (failure: NodeFailure): boolean =>
  dispositionOf(failure.failureClass) === "retryable" &&
  (failure.disposition === undefined || failure.disposition === "retryable")

/**
 * The retry schedule of a policy, fed with each attempt's failure: exponential delays from `baseDelayMs` (factor 2),
 * jittered to 80–120%, capped at `maxDelayMs`, rounded to whole milliseconds; it continues while the failure is retryable and stops after
 * `maxAttempts - 1` retries.
 */
export const retrySchedule = (policy: RetryPolicy): Schedule.Schedule<unknown, NodeFailure> =>
  Schedule.exponential(Duration.millis(policy.baseDelayMs), 2).pipe(
    Schedule.jittered,
    Schedule.modifyDelay((_, delay) =>
      Duration.millis(Math.round(Math.min(Duration.toMillis(delay), policy.maxDelayMs)))
    ),
    Schedule.intersect(Schedule.recurs(policy.maxAttempts - 1)),
    Schedule.whileInput(isRetryable)
  )
