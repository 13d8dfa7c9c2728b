/**
 * @module @gauntlet/provider-agent-cli
 * Agent CLIs as implementer backends (issue 6 item 6): Claude Code (`claude -p --output-format stream-json`) and
 * Codex (`codex exec --json`) run as subprocesses in their own process group; their JSON-lines streams are parsed,
 * usage is counted as it arrives, the budget is enforced mid-stream (the process group is killed when a cap is
 * passed), and every failure carries a failure class (N1).
 */

/** Implementer-backend agents for the workflow engine. */
export { type AgentCliAgentOptions, agentCliAgent, defaultPromptOf } from "./internal/agent.js"
/** The two backends: executables, command lines and parsers. */
export {
  type AgentCliBackend,
  backendOf,
  CLAUDE_CODE,
  CODEX,
  type CommandOptions
} from "./internal/backends.js"
/** The Claude Code stream-json parser. */
export { makeClaudeCodeParser } from "./internal/claudeCode.js"
/** The Codex `exec --json` parser. */
export { makeCodexParser } from "./internal/codex.js"
/** Errors: one error type with a reason and the failure class it carries. */
export { AgentCliBackendId, AgentCliError, AgentCliFailureReason } from "./internal/errors.js"
/** What parsers read from a stream. */
export type { EventParser, ParsedRun } from "./internal/parsed.js"
/** A completed run and where its cost comes from. */
export { AgentCliResult, CostSource } from "./internal/result.js"
/** Running an agent CLI. */
export { type AgentCliRequest, runAgentCli } from "./internal/run.js"
/** Usage, prices, caps and cost. */
export {
  type AgentCliBudget,
  AgentCliUsage,
  budgetBreachOf,
  costOf,
  type TokenPricing,
  ZERO_USAGE
} from "./internal/usage.js"
