import type { LlmFinishReason, LlmResponse, LlmUsage } from "@gauntlet/llm"

/** `usageMetadata` of a Gemini answer, as far as this adapter reads it. */
export interface GoogleUsageFields {
  readonly promptTokenCount?: number
  readonly candidatesTokenCount?: number
  readonly cachedContentTokenCount?: number
  readonly thoughtsTokenCount?: number
  readonly toolUsePromptTokenCount?: number
}

/** A part of a Gemini answer, as far as this adapter reads it. */
export interface GooglePart {
  readonly text?: string
  readonly thought?: boolean
  readonly functionCall?: {
    readonly id?: string
    readonly name?: string
    readonly args?: Record<string, unknown>
  }
}

/** A Gemini answer (or one streamed chunk of it), as far as this adapter reads it. */
export interface GoogleAnswer {
  readonly responseId?: string
  readonly modelVersion?: string
  readonly candidates?: ReadonlyArray<{
    readonly content?: { readonly parts?: ReadonlyArray<GooglePart> }
    readonly finishReason?: string
  }>
  readonly usageMetadata?: GoogleUsageFields
}

const count = (value: number | undefined): number => (typeof value === "number" && value > 0 ? value : 0)

/**
 * Our usage: prompt tokens (plus tool-use prompt tokens) in, candidate plus thinking tokens out (thinking is billed
 * as output); `cachedContentTokenCount` is the cached part of the prompt.
 */
export const usageOf = (usage: GoogleUsageFields | undefined): LlmUsage => {
  const cached = count(usage?.cachedContentTokenCount)
  const thoughts = count(usage?.thoughtsTokenCount)
  return {
    inputTokens: count(usage?.promptTokenCount) + count(usage?.toolUsePromptTokenCount),
    outputTokens: count(usage?.candidatesTokenCount) + thoughts,
    ...(cached > 0 ? { cachedInputTokens: cached } : {}),
    ...(thoughts > 0 ? { reasoningTokens: thoughts } : {})
  }
}

const FILTERED = new Set(["SAFETY", "RECITATION", "BLOCKLIST", "PROHIBITED_CONTENT", "SPII", "IMAGE_SAFETY"])

/** `STOP` → stop (tool-calls when the answer calls functions), `MAX_TOKENS` → length, safety reasons → content-filter. */
export const finishReasonOf = (reason: string | undefined, callsTools: boolean): LlmFinishReason => {
  if (reason === "STOP") return callsTools ? "tool-calls" : "stop"
  if (reason === "MAX_TOKENS") return "length"
  if (reason !== undefined && FILTERED.has(reason)) return "content-filter"
  return "other"
}

/** The parts of an answer as our content: text (thought summaries dropped) and function calls with ids. */
export const contentOf = (
  parts: ReadonlyArray<GooglePart>,
  firstCallIndex = 0
): Array<LlmResponse["content"][number]> => {
  const content: Array<LlmResponse["content"][number]> = []
  let calls = firstCallIndex
  for (const part of parts) {
    if (typeof part.text === "string" && part.thought !== true) {
      const last = content.at(-1)
      if (last !== undefined && last.type === "text")
        content[content.length - 1] = { type: "text", text: last.text + part.text }
      else content.push({ type: "text", text: part.text })
    }
    const call = part.functionCall
    if (call?.name !== undefined && call.name !== "") {
      content.push({
        type: "tool-call",
        id: call.id ?? `call_${calls}`,
        name: call.name,
        arguments: call.args ?? {}
      })
      calls++
    }
  }
  return content
}

/** Our response from a whole Gemini answer (its first candidate). */
export const fromGoogleAnswer = (answer: GoogleAnswer, requestedModel: string): LlmResponse => {
  const candidate = answer.candidates?.[0]
  const content = contentOf(candidate?.content?.parts ?? [])
  return {
    model: answer.modelVersion ?? requestedModel,
    content,
    text: content.map((part) => (part.type === "text" ? part.text : "")).join(""),
    finishReason: finishReasonOf(
      candidate?.finishReason,
      content.some((part) => part.type === "tool-call")
    ),
    usage: usageOf(answer.usageMetadata),
    ...(answer.responseId === undefined ? {} : { providerRequestId: answer.responseId })
  }
}
