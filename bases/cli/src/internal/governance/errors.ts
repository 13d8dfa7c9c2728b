import { type FailureClass, FailureClassId } from "@gauntlet/failure"
import { Schema } from "effect"

/** The verification reasons that mean the bytes or a signature were altered (data-integrity, exit 18). */
const INTEGRITY_REASONS: ReadonlyArray<string> = [
  "digest-mismatch",
  "bad-signature",
  "malformed",
  "missing-statement",
  "unexpected-statement",
  "run-mismatch",
  "anchor-mismatch"
]

/**
 * A signed artifact (pack, trust root, evidence bundle) did not verify. The class follows the reason: altered bytes
 * or signatures are `data-integrity` (18); a key or root the trust policy refuses (unknown, revoked or expired key,
 * threshold not met, rollback, expired root) is `policy` (14).
 */
export class VerificationRefused extends Schema.TaggedError<VerificationRefused>()("VerificationRefused", {
  subject: Schema.String,
  reason: Schema.String,
  detail: Schema.String
}) {
  /** `data-integrity` or `policy`, from the reason. */
  get [FailureClassId](): FailureClass {
    return INTEGRITY_REASONS.includes(this.reason) ? "data-integrity" : "policy"
  }
  override get message() {
    return `${this.subject} does not verify (${this.reason}): ${this.detail}`
  }
}

/** `pack test` ran the pack's cases and some failed, or the pack has none: it cannot be published (policy, 14). */
export class PackTestsFailed extends Schema.TaggedError<PackTestsFailed>()("PackTestsFailed", {
  pack: Schema.String,
  failed: Schema.Number,
  total: Schema.Number
}) {
  get [FailureClassId](): FailureClass {
    return "policy"
  }
  override get message() {
    return this.total === 0
      ? `pack ${this.pack} has no test cases (tests/*.json); a pack without tests cannot be published`
      : `pack ${this.pack}: ${this.failed} of ${this.total} test case(s) failed`
  }
}

/** `pack check` found violations whose action blocks the change (or requires an approval): policy, 14. */
export class ChangeBlocked extends Schema.TaggedError<ChangeBlocked>()("ChangeBlocked", {
  decision: Schema.String,
  violations: Schema.Number,
  rules: Schema.Array(Schema.String)
}) {
  get [FailureClassId](): FailureClass {
    return "policy"
  }
  override get message() {
    return `change refused by policy (${this.decision}): ${this.violations} violation(s) of ${this.rules.join(", ")}`
  }
}

/** A file named on the command line does not exist (66, like a missing store). */
export class InputNotFound extends Schema.TaggedError<InputNotFound>()("InputNotFound", {
  what: Schema.String,
  path: Schema.String,
  hint: Schema.optional(Schema.String)
}) {
  override get message() {
    return `no ${this.what} at ${this.path}${this.hint === undefined ? "" : ` (${this.hint})`}`
  }
}
