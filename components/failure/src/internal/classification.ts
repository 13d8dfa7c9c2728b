import { Schema } from "effect"
import { FailureClass } from "./classes.js"
import { dispositionOf, RetryDisposition } from "./taxonomy.js"

/**
 * What a classifier decided: the class, the disposition (the class's own, or `terminal` when the matching rule knows
 * a retry cannot succeed — a rule may make a failure stricter, never more lenient), the id of the rule that matched
 * (for explanations, e.g. `http.429`) and, when the source said so, how long to wait before retrying.
 */
export const Classification = Schema.Struct({
  failureClass: FailureClass,
  disposition: RetryDisposition,
  rule: Schema.String,
  retryAfterMs: Schema.optional(Schema.NonNegativeInt)
}).annotations({ identifier: "Classification" })

/** A classifier's decision. */
export type Classification = typeof Classification.Type

/** Options of a single classification: make it terminal, attach a retry delay. */
export interface ClassificationOptions {
  readonly terminal?: boolean
  readonly retryAfterMs?: number | undefined
}

/**
 * Builds a classification with the class's disposition, or `terminal` when the rule says so. A retry delay is kept
 * only when the failure may be retried at all, and is rounded up to whole milliseconds.
 */
export const classified = (
  failureClass: FailureClass,
  rule: string,
  options: ClassificationOptions = {}
): Classification => {
  const disposition = options.terminal === true ? "terminal" : dispositionOf(failureClass)
  const retryAfterMs = options.retryAfterMs
  return disposition !== "terminal" &&
    retryAfterMs !== undefined &&
    Number.isFinite(retryAfterMs) &&
    retryAfterMs >= 0
    ? { failureClass, disposition, rule, retryAfterMs: Math.ceil(retryAfterMs) }
    : { failureClass, disposition, rule }
}
