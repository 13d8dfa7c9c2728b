import { FailureClass, FailureClassId } from "@gauntlet/failure"
import { Schema } from "effect"
import { AgentCliUsage } from "./usage.js"

/**
 * Why an agent-CLI run failed, and the failure class each reason carries:
 * - `invalid-request` (tool-error, terminal): the request cannot be run as given (a cost cap without prices …);
 * - `not-found` (tool-error, terminal): the executable is not on PATH or not executable;
 * - `budget-exceeded` (resource, terminal): the usage passed a cap; the process group was killed;
 * - `timeout` (timeout): the run took longer than allowed; the process group was killed;
 * - `malformed-output` (tool-error): a stdout line is not a JSON event;
 * - `incomplete-stream` (external): the process ended without its final event (`result` / `turn.completed`);
 * - `agent-reported-error` (classified from the agent's message, else tool-error): the CLI reported a failed run;
 * - `exit` (from the exit code or signal, N1-R9): the process failed without reporting why.
 */
export const AgentCliFailureReason = Schema.Literal(
  "invalid-request",
  "not-found",
  "budget-exceeded",
  "timeout",
  "malformed-output",
  "incomplete-stream",
  "agent-reported-error",
  "exit"
)
/** Why an agent-CLI run failed. */
export type AgentCliFailureReason = typeof AgentCliFailureReason.Type

/** Which agent CLI ran. */
export const AgentCliBackendId = Schema.Literal("claude-code", "codex")
/** Which agent CLI ran. */
export type AgentCliBackendId = typeof AgentCliBackendId.Type

/**
 * An agent-CLI run failed. `usage` and `costUsd` say what the run consumed before it stopped (charge them: the
 * provider billed them); `line` is the 1-based stdout line of a malformed event; `stderr` is the tail of the
 * process's standard error.
 */
export class AgentCliError extends Schema.TaggedError<AgentCliError>()("AgentCliError", {
  backend: AgentCliBackendId,
  reason: AgentCliFailureReason,
  failureClass: FailureClass,
  detail: Schema.String,
  terminal: Schema.optional(Schema.Boolean),
  exitCode: Schema.optional(Schema.Int),
  signal: Schema.optional(Schema.String),
  line: Schema.optional(Schema.Int),
  usage: Schema.optional(AgentCliUsage),
  costUsd: Schema.optional(Schema.Number),
  stderr: Schema.optional(Schema.String)
}) {
  get [FailureClassId](): FailureClass {
    return this.failureClass
  }

  override get message() {
    const at = this.line === undefined ? "" : ` (stdout line ${this.line})`
    const exit =
      this.exitCode === undefined && this.signal === undefined
        ? ""
        : ` [exit ${this.exitCode ?? this.signal}]`
    return `${this.backend}: ${this.reason}${at}${exit}: ${this.detail}`
  }
}
