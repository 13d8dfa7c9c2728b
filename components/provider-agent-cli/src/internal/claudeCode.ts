import { type EventParser, emptyRun, objectField, stringField, tokens } from "./parsed.js"
import { type AgentCliUsage, ZERO_USAGE } from "./usage.js"

/** A Messages API usage object as our usage (Anthropic's `input_tokens` excludes cache reads and writes). */
const usageOf = (usage: Record<string, unknown> | undefined): AgentCliUsage => {
  if (usage === undefined) return ZERO_USAGE
  const cached = tokens(usage.cache_read_input_tokens)
  return {
    inputTokens: tokens(usage.input_tokens) + tokens(usage.cache_creation_input_tokens) + cached,
    outputTokens: tokens(usage.output_tokens),
    cachedInputTokens: cached
  }
}

const sum = (usages: Iterable<AgentCliUsage>): AgentCliUsage => {
  let total = ZERO_USAGE
  for (const usage of usages) {
    total = {
      inputTokens: total.inputTokens + usage.inputTokens,
      outputTokens: total.outputTokens + usage.outputTokens,
      cachedInputTokens: total.cachedInputTokens + usage.cachedInputTokens
    }
  }
  return total
}

/**
 * Reads Claude Code's `--output-format stream-json` events: `system` (`init`: session id, model), `assistant`
 * (a Messages API message with its `usage`; one message may be repeated once per content block, so usage counts
 * once per message id, its latest value), `user` (tool results) and the final `result` (`subtype`, `is_error`,
 * `result`, `num_turns`, `total_cost_usd`, aggregated `usage`, which replaces the running count).
 */
export const makeClaudeCodeParser = (): EventParser => {
  const state = emptyRun()
  const byMessage = new Map<string, AgentCliUsage>()
  let anonymous = 0
  const push: EventParser["push"] = (event) => {
    switch (event.type) {
      case "system": {
        const session = stringField(event.session_id)
        if (session !== undefined) state.sessionId = session
        const model = stringField(event.model)
        if (model !== undefined) state.model = model
        return undefined
      }
      case "assistant": {
        const message = objectField(event.message)
        if (message === undefined) return "an assistant event without a message object"
        const id = stringField(message.id) ?? `anonymous-${anonymous++}`
        const usage = objectField(message.usage)
        if (usage !== undefined) byMessage.set(id, usageOf(usage))
        state.usage = sum(byMessage.values())
        const model = stringField(message.model)
        if (model !== undefined) state.model = model
        const content = Array.isArray(message.content) ? message.content : []
        for (const block of content) {
          const part = objectField(block)
          if (part?.type === "tool_use") state.toolCalls++
          if (part?.type === "text" && typeof part.text === "string") state.text = part.text
        }
        return undefined
      }
      case "result": {
        state.finished = true
        const text = stringField(event.result)
        if (text !== undefined) state.text = text
        const usage = objectField(event.usage)
        if (usage !== undefined) state.usage = usageOf(usage)
        if (typeof event.total_cost_usd === "number") state.reportedCostUsd = event.total_cost_usd
        if (typeof event.num_turns === "number") state.numTurns = event.num_turns
        const session = stringField(event.session_id)
        if (session !== undefined) state.sessionId = session
        const subtype = stringField(event.subtype) ?? "unknown"
        if (event.is_error === true || subtype !== "success") {
          state.failure = {
            subtype,
            message: text ?? stringField(event.error) ?? `run ended with ${subtype}`
          }
        }
        return undefined
      }
      default:
        return undefined
    }
  }
  return { push, state }
}
