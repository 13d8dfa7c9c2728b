import type { LlmResponse, LlmStreamChunk } from "@gauntlet/llm"
import { fromOpenAiCompletion, type OpenAiToolCall, type OpenAiUsageFields } from "./response.js"

/** A `data:` chunk of a streamed Chat Completions answer, as far as this adapter reads it. */
export interface OpenAiStreamChunk {
  readonly id?: string
  readonly model?: string
  readonly choices?: ReadonlyArray<{
    readonly index?: number
    readonly finish_reason?: string | null
    readonly delta?: {
      readonly content?: string | null
      readonly refusal?: string | null
      readonly tool_calls?: ReadonlyArray<{
        readonly index: number
        readonly id?: string
        readonly function?: { readonly name?: string; readonly arguments?: string }
      }> | null
    }
  }>
  readonly usage?: OpenAiUsageFields | null
}

/** Why a stream ended without a usable answer. */
export interface IncompleteStream {
  readonly incomplete: string
}

interface OpenCall {
  id?: string
  name?: string
  args: string
}

/**
 * Assembles the `data:` chunks of a Chat Completions stream (first choice) into our chunks. The request asks for
 * `stream_options.include_usage`, so a complete stream has a `finish_reason` and a final usage chunk; `finish`
 * returns the response, or why the stream is incomplete (cut before its finish reason or its usage).
 */
export class OpenAiStreamAssembler {
  private id: string | undefined
  private model = ""
  private text = ""
  private refusal = ""
  private finishReason: string | undefined
  private usage: OpenAiUsageFields | undefined
  private readonly calls = new Map<number, OpenCall>()

  push(chunk: OpenAiStreamChunk): ReadonlyArray<LlmStreamChunk> {
    if (chunk.id !== undefined && this.id === undefined) this.id = chunk.id
    if (chunk.model !== undefined && chunk.model !== "") this.model = chunk.model
    if (chunk.usage !== undefined && chunk.usage !== null) this.usage = chunk.usage
    const out: Array<LlmStreamChunk> = []
    const choice = chunk.choices?.find((candidate) => (candidate.index ?? 0) === 0)
    if (choice === undefined) return out
    const delta = choice.delta
    if (typeof delta?.content === "string" && delta.content !== "") {
      this.text += delta.content
      out.push({ type: "text-delta", text: delta.content })
    }
    if (typeof delta?.refusal === "string") this.refusal += delta.refusal
    for (const call of delta?.tool_calls ?? []) {
      const open = this.calls.get(call.index) ?? { args: "" }
      this.calls.set(call.index, open)
      if (call.id !== undefined) open.id = call.id
      if (call.function?.name !== undefined) open.name = (open.name ?? "") + call.function.name
      const argumentsDelta = call.function?.arguments ?? ""
      open.args += argumentsDelta
      out.push({
        type: "tool-call-delta",
        index: call.index,
        ...(call.id === undefined ? {} : { id: call.id }),
        ...(call.function?.name === undefined ? {} : { name: call.function.name }),
        argumentsDelta
      })
    }
    if (choice.finish_reason !== undefined && choice.finish_reason !== null)
      this.finishReason = choice.finish_reason
    return out
  }

  finish(): LlmResponse | IncompleteStream {
    if (this.finishReason === undefined) return { incomplete: "the stream ended before a finish_reason" }
    if (this.usage === undefined)
      return { incomplete: "the stream ended before its usage chunk (stream_options.include_usage)" }
    const toolCalls: Array<OpenAiToolCall> = [...this.calls.entries()]
      .sort(([a], [b]) => a - b)
      .map(([, call]) => ({
        ...(call.id === undefined ? {} : { id: call.id }),
        type: "function",
        function: { ...(call.name === undefined ? {} : { name: call.name }), arguments: call.args }
      }))
    return fromOpenAiCompletion({
      ...(this.id === undefined ? {} : { id: this.id }),
      model: this.model,
      choices: [
        {
          finish_reason: this.finishReason,
          message: {
            content: this.text,
            refusal: this.refusal === "" ? null : this.refusal,
            tool_calls: toolCalls
          }
        }
      ],
      usage: this.usage
    })
  }
}
