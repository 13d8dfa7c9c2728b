import { makeClaudeCodeParser } from "./claudeCode.js"
import { makeCodexParser } from "./codex.js"
import type { AgentCliBackendId } from "./errors.js"
import type { EventParser } from "./parsed.js"

/** What a backend needs to build its command line. */
export interface CommandOptions {
  readonly model?: string
  readonly maxTurns?: number
  readonly extraArgs?: ReadonlyArray<string>
}

/** An agent CLI: its default executable, its arguments (the prompt goes to stdin) and its event parser. */
export interface AgentCliBackend {
  readonly id: AgentCliBackendId
  readonly executable: string
  readonly args: (options: CommandOptions) => ReadonlyArray<string>
  readonly parser: () => EventParser
  /** The event that ends a successful run, for error messages. */
  readonly finalEvent: string
}

/**
 * Claude Code in print mode: `claude -p --output-format stream-json --verbose [--model M] [--max-turns N] …`, the
 * prompt on stdin (stream-json in print mode requires `--verbose`).
 */
export const CLAUDE_CODE: AgentCliBackend = {
  id: "claude-code",
  executable: "claude",
  args: (options) => [
    "-p",
    "--output-format",
    "stream-json",
    "--verbose",
    ...(options.model === undefined ? [] : ["--model", options.model]),
    ...(options.maxTurns === undefined ? [] : ["--max-turns", String(options.maxTurns)]),
    ...(options.extraArgs ?? [])
  ],
  parser: makeClaudeCodeParser,
  finalEvent: "result"
}

/** Codex non-interactive: `codex exec --json [--model M] … -`, the prompt on stdin (`-`). */
export const CODEX: AgentCliBackend = {
  id: "codex",
  executable: "codex",
  args: (options) => [
    "exec",
    "--json",
    ...(options.model === undefined ? [] : ["--model", options.model]),
    ...(options.extraArgs ?? []),
    "-"
  ],
  parser: makeCodexParser,
  finalEvent: "turn.completed"
}

/** The backend of an id. */
export const backendOf = (id: AgentCliBackendId): AgentCliBackend => (id === "codex" ? CODEX : CLAUDE_CODE)
