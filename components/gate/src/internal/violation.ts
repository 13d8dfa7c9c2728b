import { Severity } from "@gauntlet/event-stream"
import { Schema } from "effect"

const Text = Schema.String.pipe(Schema.minLength(1))
const Position = Schema.Int.pipe(Schema.greaterThanOrEqualTo(1))

/** Where a violation is: a file and 1-based line/column, and/or an RFC 6901 JSON pointer into the checked value. */
export const ViolationLocation = Schema.Struct({
  file: Schema.optional(Text),
  line: Schema.optional(Position),
  column: Schema.optional(Position),
  pointer: Schema.optional(Schema.String)
}).annotations({ identifier: "ViolationLocation" })

/** Where a violation is. */
export type ViolationLocation = typeof ViolationLocation.Type

/**
 * One rule violation found by a gate: the rule, its severity (`critical` and `high` block, `medium` and `low`
 * warn, `info` only informs), what is wrong, where, how to fix it, whether a fixer can, which policy pack (id and
 * version) the rule comes from, and the rule's action when it has one: a blocking violation whose action is
 * `require-approval` asks a person instead of sending the change back for repair.
 */
export const Violation = Schema.Struct({
  ruleId: Text,
  severity: Severity,
  message: Text,
  location: Schema.optional(ViolationLocation),
  remediation: Schema.optional(Text),
  autoFixable: Schema.optional(Schema.Boolean),
  packId: Schema.optional(Text),
  packVersion: Schema.optional(Text),
  action: Schema.optional(Schema.Literal("block", "require-approval", "warn", "audit"))
}).annotations({ identifier: "Violation" })

/** One rule violation found by a gate. */
export type Violation = typeof Violation.Type

/** True when the violation blocks (severity `critical` or `high`). */
export const isBlockingViolation = (violation: Pick<Violation, "severity">): boolean =>
  violation.severity === "critical" || violation.severity === "high"

/** True when the violation is a warning (severity `medium` or `low`). */
export const isWarningViolation = (violation: Pick<Violation, "severity">): boolean =>
  violation.severity === "medium" || violation.severity === "low"

/**
 * True when violations block ONLY because of `require-approval` rules: there is a blocking violation and every
 * blocking violation carries that action. An engine then opens an approval request at once (no repair attempts).
 */
export const onlyApprovalRequired = (violations: ReadonlyArray<Violation>): boolean => {
  const blocking = violations.filter(isBlockingViolation)
  return blocking.length > 0 && blocking.every((v) => v.action === "require-approval")
}
