import { FailureClass, FailureClassId } from "@gauntlet/failure"
import { Schema } from "effect"

/**
 * An agent invocation failed. The agent (or the runtime wrapping it) says which failure class it is: a defective
 * output is `agent-error`, a provider outage `external`, a budget refusal `resource`, and so on (N1).
 */
export class AgentFailure extends Schema.TaggedError<AgentFailure>()("AgentFailure", {
  agentId: Schema.String,
  phase: Schema.String,
  reason: Schema.String,
  failureClass: FailureClass,
  taskId: Schema.optional(Schema.String),
  attempt: Schema.optional(Schema.Int)
}) {
  get [FailureClassId](): FailureClass {
    return this.failureClass
  }

  override get message() {
    const task = this.taskId === undefined ? "" : ` task ${this.taskId}`
    const attempt = this.attempt === undefined ? "" : ` attempt ${this.attempt}`
    return `agent ${this.agentId} failed in phase ${this.phase}${task}${attempt} (${this.failureClass}): ${this.reason}`
  }
}

/** No agent with this id is registered; `known` lists the ids that are. */
export class UnknownAgent extends Schema.TaggedError<UnknownAgent>()("UnknownAgent", {
  agentId: Schema.String,
  known: Schema.Array(Schema.String)
}) {
  get [FailureClassId](): FailureClass {
    return "data-integrity"
  }

  override get message() {
    const known = this.known.length === 0 ? "none registered" : `known: ${this.known.join(", ")}`
    return `unknown agent "${this.agentId}" (${known})`
  }
}

/** Two agents passed to one registry share an id. */
export class DuplicateAgent extends Schema.TaggedError<DuplicateAgent>()("DuplicateAgent", {
  agentId: Schema.String
}) {
  override get message() {
    return `agent id "${this.agentId}" is registered twice`
  }
}

/**
 * An agent script (or an invocation counter file) cannot be used: the file cannot be read, does not parse, or does
 * not match the script format. `pointer` is an RFC 6901 JSON pointer into the document (`""` for the whole file);
 * `line` and `column` (1-based) say where the offending value starts when the parser knows.
 */
export class InvalidAgentScript extends Schema.TaggedError<InvalidAgentScript>()("InvalidAgentScript", {
  file: Schema.String,
  pointer: Schema.String,
  reason: Schema.String,
  line: Schema.optional(Schema.Int),
  column: Schema.optional(Schema.Int)
}) {
  get [FailureClassId](): FailureClass {
    return "data-integrity"
  }

  override get message() {
    const at =
      this.line === undefined ? "" : `:${this.line}${this.column === undefined ? "" : `:${this.column}`}`
    return `${this.file}${at}: invalid agent script at ${this.pointer === "" ? "/" : this.pointer}: ${this.reason}`
  }
}
