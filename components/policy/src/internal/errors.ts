import { type FailureClass, FailureClassId } from "@gauntlet/failure"
import { Schema } from "effect"

/** A unified diff cannot be parsed: `line` is the 1-based line of the diff text where parsing stopped. */
export class InvalidDiff extends Schema.TaggedError<InvalidDiff>()("InvalidDiff", {
  line: Schema.Number,
  reason: Schema.String
}) {
  get [FailureClassId](): FailureClass {
    return "agent-error"
  }

  override get message() {
    return `invalid unified diff at line ${this.line}: ${this.reason}`
  }
}

/** A Terraform plan JSON is not usable: `pointer` (RFC 6901) names the member that is wrong. */
export class InvalidTerraformPlan extends Schema.TaggedError<InvalidTerraformPlan>()("InvalidTerraformPlan", {
  pointer: Schema.String,
  reason: Schema.String
}) {
  get [FailureClassId](): FailureClass {
    return "agent-error"
  }

  override get message() {
    return `invalid Terraform plan JSON at ${this.pointer || "/"}: ${this.reason}`
  }
}

/**
 * A policy pack is invalid: `pack` is its id (or directory when the id is unknown), `pointer` the RFC 6901 pointer
 * into pack.json (or the file inside the pack) that is wrong.
 */
export class InvalidPack extends Schema.TaggedError<InvalidPack>()("InvalidPack", {
  pack: Schema.String,
  pointer: Schema.String,
  reason: Schema.String
}) {
  get [FailureClassId](): FailureClass {
    return "data-integrity"
  }

  override get message() {
    return `invalid policy pack ${this.pack} at ${this.pointer || "/"}: ${this.reason}`
  }
}

/**
 * Packs cannot be composed: `missing-parent` (no available version satisfies an `extends` range), `cycle` (packs
 * extend each other; `chain` lists it), `version-conflict` (one pack id is required at versions no single version
 * satisfies), `duplicate-pack` (two different packs share an id and version).
 */
export class CompositionError extends Schema.TaggedError<CompositionError>()("CompositionError", {
  reason: Schema.Literal("missing-parent", "cycle", "version-conflict", "duplicate-pack"),
  pack: Schema.String,
  chain: Schema.Array(Schema.String),
  detail: Schema.String
}) {
  get [FailureClassId](): FailureClass {
    return "data-integrity"
  }

  override get message() {
    return `cannot compose policy pack ${this.pack}: ${this.reason}: ${this.detail}`
  }
}

/**
 * Policy evaluation could not finish, so no decision exists and a gate must fail closed: `timeout` (the time budget
 * ran out; `ruleId` names the rule being evaluated), `check-failed` (a check module threw), `check-malformed` (it
 * returned something that is not a list of violations), `check-missing` (the module was not loaded with the pack),
 * `worker-crashed` (the isolated worker died), `invalid-input` (the change or context does not decode).
 */
export class PolicyEvaluationFailed extends Schema.TaggedError<PolicyEvaluationFailed>()(
  "PolicyEvaluationFailed",
  {
    reason: Schema.Literal(
      "timeout",
      "check-failed",
      "check-malformed",
      "check-missing",
      "worker-crashed",
      "invalid-input"
    ),
    ruleId: Schema.optional(Schema.String),
    pack: Schema.optional(Schema.String),
    detail: Schema.String
  }
) {
  get [FailureClassId](): FailureClass {
    return this.reason === "timeout"
      ? "timeout"
      : this.reason === "invalid-input"
        ? "agent-error"
        : "tool-error"
  }

  override get message() {
    const where =
      this.ruleId === undefined ? "" : ` in rule ${this.ruleId}${this.pack ? ` (${this.pack})` : ""}`
    return `policy evaluation failed (${this.reason})${where}: ${this.detail}`
  }
}

/** A pack directory cannot be read: `path` is the file that failed. */
export class PackIoError extends Schema.TaggedError<PackIoError>()("PackIoError", {
  path: Schema.String,
  detail: Schema.String
}) {
  get [FailureClassId](): FailureClass {
    return "tool-error"
  }

  override get message() {
    return `cannot read ${this.path}: ${this.detail}`
  }
}

/**
 * A pack may not be published: `no-tests` (its `tests/` folder holds no case) or `failing-tests` (`failed` lists
 * the case files that failed).
 */
export class PackNotPublishable extends Schema.TaggedError<PackNotPublishable>()("PackNotPublishable", {
  pack: Schema.String,
  reason: Schema.Literal("no-tests", "failing-tests"),
  failed: Schema.Array(Schema.String)
}) {
  get [FailureClassId](): FailureClass {
    return "policy"
  }

  override get message() {
    return this.reason === "no-tests"
      ? `policy pack ${this.pack} has no tests (tests/*.json): a pack without tests cannot be published`
      : `policy pack ${this.pack} fails ${this.failed.length} test case(s): ${this.failed.join(", ")}`
  }
}
