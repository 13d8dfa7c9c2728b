import type { LlmFinishReason, LlmResponse, LlmUsage } from "@gauntlet/llm"

/** The usage fields of a Messages API answer (`message_start`, `message_delta` or a whole message). */
export interface AnthropicUsageFields {
  readonly input_tokens?: number | null
  readonly output_tokens?: number | null
  readonly cache_creation_input_tokens?: number | null
  readonly cache_read_input_tokens?: number | null
}

/** A content block of an answer, as far as this adapter reads it. */
export interface AnthropicBlock {
  readonly type: string
  readonly text?: string
  readonly id?: string
  readonly name?: string
  readonly input?: unknown
}

/** A whole answer, as far as this adapter reads it. */
export interface AnthropicMessage {
  readonly id?: string
  readonly model: string
  readonly content: ReadonlyArray<AnthropicBlock>
  readonly stop_reason?: string | null
  readonly usage: AnthropicUsageFields
}

const count = (value: number | null | undefined): number =>
  typeof value === "number" && value > 0 ? value : 0

/**
 * Our usage from Anthropic's: Anthropic's `input_tokens` excludes cache reads and writes, so every prompt token is
 * `input_tokens + cache_creation_input_tokens + cache_read_input_tokens`; cache reads are `cachedInputTokens`.
 */
export const usageOf = (usage: AnthropicUsageFields): LlmUsage => {
  const cached = count(usage.cache_read_input_tokens)
  return {
    inputTokens: count(usage.input_tokens) + count(usage.cache_creation_input_tokens) + cached,
    outputTokens: count(usage.output_tokens),
    ...(cached > 0 ? { cachedInputTokens: cached } : {})
  }
}

/** `end_turn`/`stop_sequence` → stop, `max_tokens` → length, `tool_use` → tool-calls, `refusal` → content-filter. */
export const finishReasonOf = (stopReason: string | null | undefined): LlmFinishReason => {
  switch (stopReason) {
    case "end_turn":
    case "stop_sequence":
      return "stop"
    case "max_tokens":
    case "model_context_window_exceeded":
      return "length"
    case "tool_use":
      return "tool-calls"
    case "refusal":
      return "content-filter"
    default:
      return "other"
  }
}

/** Our response from a Messages API answer: text and `tool_use` blocks in order (thinking blocks are dropped). */
export const fromAnthropicMessage = (message: AnthropicMessage): LlmResponse => {
  const content: Array<LlmResponse["content"][number]> = []
  for (const block of message.content) {
    if (block.type === "text" && typeof block.text === "string")
      content.push({ type: "text", text: block.text })
    if (block.type === "tool_use" && block.id !== undefined && block.name !== undefined) {
      content.push({ type: "tool-call", id: block.id, name: block.name, arguments: block.input ?? {} })
    }
  }
  return {
    model: message.model,
    content,
    text: content.map((part) => (part.type === "text" ? part.text : "")).join(""),
    finishReason: finishReasonOf(message.stop_reason),
    usage: usageOf(message.usage),
    ...(message.id === undefined ? {} : { providerRequestId: message.id })
  }
}
