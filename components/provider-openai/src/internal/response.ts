import type { LlmFinishReason, LlmResponse, LlmUsage } from "@gauntlet/llm"

/** Chat Completions usage, as far as this adapter reads it. */
export interface OpenAiUsageFields {
  readonly prompt_tokens?: number | null
  readonly completion_tokens?: number | null
  readonly prompt_tokens_details?: { readonly cached_tokens?: number | null } | null
  readonly completion_tokens_details?: { readonly reasoning_tokens?: number | null } | null
}

/** A function tool call in an answer. */
export interface OpenAiToolCall {
  readonly id?: string
  readonly type?: string
  readonly function?: { readonly name?: string; readonly arguments?: string }
}

/** A whole Chat Completions answer, as far as this adapter reads it. */
export interface OpenAiCompletion {
  readonly id?: string
  readonly model: string
  readonly choices: ReadonlyArray<{
    readonly finish_reason?: string | null
    readonly message: {
      readonly content?: string | null
      readonly refusal?: string | null
      readonly tool_calls?: ReadonlyArray<OpenAiToolCall> | null
    }
  }>
  readonly usage?: OpenAiUsageFields | null
}

const count = (value: number | null | undefined): number =>
  typeof value === "number" && value > 0 ? value : 0

/** Our usage: `prompt_tokens` already includes cached tokens, `completion_tokens` includes reasoning tokens. */
export const usageOf = (usage: OpenAiUsageFields | null | undefined): LlmUsage => {
  const cached = count(usage?.prompt_tokens_details?.cached_tokens)
  const reasoning = count(usage?.completion_tokens_details?.reasoning_tokens)
  return {
    inputTokens: count(usage?.prompt_tokens),
    outputTokens: count(usage?.completion_tokens),
    ...(cached > 0 ? { cachedInputTokens: cached } : {}),
    ...(reasoning > 0 ? { reasoningTokens: reasoning } : {})
  }
}

/** `stop` → stop, `length` → length, `tool_calls`/`function_call` → tool-calls, `content_filter` → content-filter. */
export const finishReasonOf = (reason: string | null | undefined): LlmFinishReason => {
  switch (reason) {
    case "stop":
      return "stop"
    case "length":
      return "length"
    case "tool_calls":
    case "function_call":
      return "tool-calls"
    case "content_filter":
      return "content-filter"
    default:
      return "other"
  }
}

/**
 * A tool call's arguments: the JSON they encode, or — when the model produced text that is not JSON — the raw text,
 * so the caller's decoder reports (and may repair) it instead of the adapter guessing.
 */
export const argumentsOf = (raw: string | undefined): unknown => {
  if (raw === undefined || raw.trim() === "") return {}
  try {
    return JSON.parse(raw)
  } catch {
    return raw
  }
}

/** Our response from the first choice of a Chat Completions answer. A refusal counts as `content-filter`. */
export const fromOpenAiCompletion = (completion: OpenAiCompletion): LlmResponse => {
  const choice = completion.choices[0]
  const content: Array<LlmResponse["content"][number]> = []
  const text = choice?.message.content ?? ""
  if (text !== "") content.push({ type: "text", text })
  for (const [index, call] of (choice?.message.tool_calls ?? []).entries()) {
    const name = call.function?.name
    if (name === undefined || name === "") continue
    content.push({
      type: "tool-call",
      id: call.id ?? `call_${index}`,
      name,
      arguments: argumentsOf(call.function?.arguments)
    })
  }
  const refused = typeof choice?.message.refusal === "string" && choice.message.refusal !== ""
  return {
    model: completion.model,
    content,
    text,
    finishReason: refused ? "content-filter" : finishReasonOf(choice?.finish_reason),
    usage: usageOf(completion.usage),
    ...(completion.id === undefined ? {} : { providerRequestId: completion.id })
  }
}
