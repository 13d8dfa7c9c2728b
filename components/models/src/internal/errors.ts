import { type FailureClass, FailureClassId } from "@gauntlet/failure"
import { Schema } from "effect"

/** A catalog or overrides file does not decode, lists a model twice, or overrides a model that does not exist. */
export class InvalidCatalog extends Schema.TaggedError<InvalidCatalog>()("InvalidCatalog", {
  source: Schema.String,
  reason: Schema.String
}) {
  override get message() {
    return `invalid model catalog ${this.source}: ${this.reason}`
  }
}

/** A model id is not in the catalog. */
export class UnknownModel extends Schema.TaggedError<UnknownModel>()("UnknownModel", {
  model: Schema.String,
  known: Schema.Array(Schema.String)
}) {
  override get message() {
    return `unknown model ${this.model}; the catalog has ${this.known.join(", ")}`
  }
}

/** A routing policy does not decode or names a tier or risk pattern it cannot use. */
export class InvalidRoutingPolicy extends Schema.TaggedError<InvalidRoutingPolicy>()("InvalidRoutingPolicy", {
  reason: Schema.String
}) {
  override get message() {
    return `invalid routing policy: ${this.reason}`
  }
}

/**
 * No available model fits the task: `excluded` says, model by model, why each was not chosen (provider not
 * configured, missing capability, context too small, over the cap, already failed, not local).
 */
export class NoModelAvailable extends Schema.TaggedError<NoModelAvailable>()("NoModelAvailable", {
  strategy: Schema.String,
  rule: Schema.String,
  excluded: Schema.Array(Schema.Struct({ model: Schema.String, reason: Schema.String }))
}) {
  /** Class `resource`: no model capacity for this task under this configuration (terminal). */
  get [FailureClassId](): FailureClass {
    return "resource"
  }

  override get message() {
    const reasons = this.excluded.map((entry) => `${entry.model}: ${entry.reason}`).join("; ")
    return `no model available for strategy ${this.strategy} (rule ${this.rule}): ${reasons || "the catalog is empty"}`
  }
}
