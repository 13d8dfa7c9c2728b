import { classifyUnknown, messageOf } from "@gauntlet/failure"
import { NodeFailure } from "./errors.js"

/**
 * Turns anything an executor failed or died with into a `NodeFailure`, classified by `@gauntlet/failure`'s
 * `classifyUnknown`, keeping its disposition and retry-after (a `NodeFailure` is returned as is). `prefix` is
 * prepended to the reason.
 */
export const toNodeFailure = (thrown: unknown, prefix = ""): NodeFailure => {
  if (thrown instanceof NodeFailure) return thrown
  const classification = classifyUnknown(thrown)
  const name = thrown instanceof Error ? `${thrown.name}: ` : ""
  return new NodeFailure({
    failureClass: classification.failureClass,
    disposition: classification.disposition,
    ...(classification.retryAfterMs !== undefined ? { retryAfterMs: classification.retryAfterMs } : {}),
    reason: `${prefix}${name}${messageOf(thrown)}`
  })
}
