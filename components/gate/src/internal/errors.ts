import { type FailureClass, FailureClassId } from "@gauntlet/failure"
import { Schema } from "effect"

/** A workflow named gates that are not registered; `names` lists them, `known` lists the registered ones. */
export class UnknownGate extends Schema.TaggedError<UnknownGate>()("UnknownGate", {
  names: Schema.Array(Schema.String),
  known: Schema.Array(Schema.String)
}) {
  get [FailureClassId](): FailureClass {
    return "data-integrity"
  }

  override get message() {
    const names = this.names.map((name) => `"${name}"`).join(", ")
    const known = this.known.length === 0 ? "none registered" : `known: ${this.known.join(", ")}`
    return `unknown gate${this.names.length === 1 ? "" : "s"} ${names} (${known})`
  }
}

/** Two gates passed to one registry share a name. */
export class DuplicateGate extends Schema.TaggedError<DuplicateGate>()("DuplicateGate", {
  name: Schema.String
}) {
  override get message() {
    return `gate "${this.name}" is registered twice`
  }
}
