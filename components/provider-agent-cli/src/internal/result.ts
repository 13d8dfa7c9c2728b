import { Schema } from "effect"
import { AgentCliBackendId } from "./errors.js"
import { AgentCliUsage } from "./usage.js"

/** Where a run's cost comes from: the CLI's own report, our estimate from prices, or nowhere (no prices given). */
export const CostSource = Schema.Literal("reported", "estimated", "unknown")
/** Where a run's cost comes from. */
export type CostSource = typeof CostSource.Type

/**
 * A completed agent-CLI run: the final answer text, the session (Claude Code) or thread (Codex) id, the model, the
 * usage and cost, the number of turns and tool invocations, and how long it took.
 */
export const AgentCliResult = Schema.Struct({
  backend: AgentCliBackendId,
  text: Schema.String,
  sessionId: Schema.optional(Schema.String),
  model: Schema.optional(Schema.String),
  usage: AgentCliUsage,
  costUsd: Schema.Number.pipe(Schema.nonNegative()),
  costSource: CostSource,
  numTurns: Schema.optional(Schema.Int),
  toolCalls: Schema.Int.pipe(Schema.nonNegative()),
  durationMs: Schema.Int.pipe(Schema.nonNegative())
}).annotations({ identifier: "AgentCliResult" })
/** A completed agent-CLI run. */
export type AgentCliResult = typeof AgentCliResult.Type
