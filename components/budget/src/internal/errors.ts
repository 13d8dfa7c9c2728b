import { type FailureClass, FailureClassId } from "@gauntlet/failure"
import { Schema } from "effect"
import { BudgetDimension } from "./usage.js"

/**
 * A reservation was refused: `requested` does not fit what is left of `dimension` in `scope` (the scope asked for
 * or one of its ancestors). `spent` is the committed amount, `reserved` what open reservations hold; a dimension
 * whose `spent + reserved` already reached `limit` refuses every reservation. Amounts in caller units (dollars for
 * `costUsd`). Failure class `resource` (terminal): exhaustion ends the run with evidence.
 */
export class BudgetExhausted extends Schema.TaggedError<BudgetExhausted>()("BudgetExhausted", {
  scope: Schema.String,
  dimension: BudgetDimension,
  limit: Schema.Number,
  spent: Schema.Number,
  reserved: Schema.Number,
  requested: Schema.Number
}) {
  get [FailureClassId](): FailureClass {
    return "resource"
  }

  override get message() {
    const held = this.reserved === 0 ? "" : ` (+${this.reserved} reserved)`
    return `budget exhausted: ${this.scope} ${this.dimension}: limit ${this.limit}, spent ${this.spent}${held}, requested ${this.requested}`
  }
}

/** The operation a refused budget request belongs to. */
export const BudgetOperation = Schema.Literal("make", "reserve", "commit", "decode")

/**
 * A budget request is malformed: a scope that is not `run(/<kind>:<name>)*`, a negative, fractional (tokens,
 * iterations) or non-finite amount, a reservation id already open, a commit whose scope contradicts its
 * reservation's. `pointer` is a JSON pointer into the request (`/estimate/tokens`, `/scope`). A caller's bug, not a
 * budget decision: failure class `data-integrity`.
 */
export class InvalidBudgetRequest extends Schema.TaggedError<InvalidBudgetRequest>()("InvalidBudgetRequest", {
  operation: BudgetOperation,
  pointer: Schema.String,
  reason: Schema.String
}) {
  get [FailureClassId](): FailureClass {
    return "data-integrity"
  }

  override get message() {
    return `invalid budget ${this.operation} request at ${this.pointer || "/"}: ${this.reason}`
  }
}
