import type { AgentCliUsage } from "./usage.js"

/** What a parser has read from an agent CLI's event stream so far. */
export interface ParsedRun {
  /** The CLI's session (Claude Code) or thread (Codex) id. */
  sessionId?: string
  model?: string
  /** The final answer: Claude Code's `result`, else the last agent message. */
  text: string
  usage: AgentCliUsage
  /** Cost the CLI itself reported (Claude Code's `total_cost_usd`). */
  reportedCostUsd?: number
  /** The final event arrived (`result` / `turn.completed` or `turn.failed`). */
  finished: boolean
  /** The CLI reported the run failed: its message and subtype. */
  failure?: { readonly message: string; readonly subtype: string }
  numTurns?: number
  /** Tool invocations seen (tool uses, commands, file changes, MCP calls). */
  toolCalls: number
}

/** A parser of one CLI's JSON-lines events; `push` returns a description of an event it cannot read. */
export interface EventParser {
  readonly push: (event: { readonly type: string } & Record<string, unknown>) => string | undefined
  readonly state: ParsedRun
}

/** A fresh, empty parse state. */
export const emptyRun = (): ParsedRun => ({
  text: "",
  usage: { inputTokens: 0, outputTokens: 0, cachedInputTokens: 0 },
  finished: false,
  toolCalls: 0
})

/** A non-negative integer field, else 0. */
export const tokens = (value: unknown): number =>
  typeof value === "number" && Number.isFinite(value) && value > 0 ? Math.floor(value) : 0

/** A plain object field, else `undefined`. */
export const objectField = (value: unknown): Record<string, unknown> | undefined =>
  typeof value === "object" && value !== null && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : undefined

/** A string field, else `undefined`. */
export const stringField = (value: unknown): string | undefined =>
  typeof value === "string" ? value : undefined
