import { type EventParser, emptyRun, objectField, stringField, tokens } from "./parsed.js"

const TOOL_ITEMS = new Set(["command_execution", "file_change", "mcp_tool_call", "web_search"])

/**
 * Reads Codex's `codex exec --json` events: `thread.started` (`thread_id`), `turn.started`, `item.started` /
 * `item.updated` / `item.completed` (items: `agent_message` text, `reasoning`, `command_execution`, `file_change`,
 * `mcp_tool_call`, `web_search`, `todo_list`, `error`), `turn.completed` (`usage`: `input_tokens` with cached ones
 * included, `cached_input_tokens`, `output_tokens`; summed over turns), `turn.failed` (`error.message`) and `error`.
 */
export const makeCodexParser = (): EventParser => {
  const state = emptyRun()
  const push: EventParser["push"] = (event) => {
    switch (event.type) {
      case "thread.started": {
        const thread = stringField(event.thread_id)
        if (thread !== undefined) state.sessionId = thread
        return undefined
      }
      case "item.completed": {
        const item = objectField(event.item)
        if (item === undefined) return "an item.completed event without an item object"
        const kind = stringField(item.type) ?? stringField(item.item_type)
        if (kind === "agent_message" && typeof item.text === "string") state.text = item.text
        if (kind !== undefined && TOOL_ITEMS.has(kind)) state.toolCalls++
        return undefined
      }
      case "turn.completed": {
        const usage = objectField(event.usage)
        if (usage === undefined) return "a turn.completed event without usage"
        state.usage = {
          inputTokens: state.usage.inputTokens + tokens(usage.input_tokens),
          outputTokens: state.usage.outputTokens + tokens(usage.output_tokens),
          cachedInputTokens: state.usage.cachedInputTokens + tokens(usage.cached_input_tokens)
        }
        state.numTurns = (state.numTurns ?? 0) + 1
        state.finished = true
        // Codex reports transient trouble (reconnecting …) as `error` events; a completed turn supersedes them.
        if (state.failure?.subtype === "error") delete state.failure
        return undefined
      }
      case "turn.started":
        state.finished = false
        return undefined
      case "turn.failed": {
        const error = objectField(event.error)
        state.failure = { subtype: "turn.failed", message: stringField(error?.message) ?? "the turn failed" }
        state.finished = true
        return undefined
      }
      case "error":
        state.failure = {
          subtype: "error",
          message: stringField(event.message) ?? "the stream reported an error"
        }
        return undefined
      default:
        return undefined
    }
  }
  return { push, state }
}
