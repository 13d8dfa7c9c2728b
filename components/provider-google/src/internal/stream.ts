import type { LlmResponse, LlmStreamChunk } from "@gauntlet/llm"
import { contentOf, finishReasonOf, type GoogleAnswer, type GoogleUsageFields, usageOf } from "./response.js"

/**
 * Assembles `streamGenerateContent?alt=sse` chunks: each chunk carries new parts of the first candidate; the last
 * carries `finishReason`; `usageMetadata` is cumulative, so the last one counts. Function calls arrive whole, each
 * as one `tool-call-delta` with its full arguments. `finish` returns the response, or `undefined` when no chunk
 * carried a finish reason (the stream was cut).
 */
export class GoogleStreamAssembler {
  private responseId: string | undefined
  private model: string
  private finishReason: string | undefined
  private usage: GoogleUsageFields | undefined
  private readonly content: Array<LlmResponse["content"][number]> = []
  private calls = 0

  constructor(requestedModel: string) {
    this.model = requestedModel
  }

  push(chunk: GoogleAnswer): ReadonlyArray<LlmStreamChunk> {
    if (chunk.responseId !== undefined) this.responseId = chunk.responseId
    if (chunk.modelVersion !== undefined) this.model = chunk.modelVersion
    if (chunk.usageMetadata !== undefined) this.usage = chunk.usageMetadata
    const candidate = chunk.candidates?.[0]
    if (candidate?.finishReason !== undefined) this.finishReason = candidate.finishReason
    const out: Array<LlmStreamChunk> = []
    for (const part of contentOf(candidate?.content?.parts ?? [], this.calls)) {
      if (part.type === "text") {
        const last = this.content.at(-1)
        if (last !== undefined && last.type === "text")
          this.content[this.content.length - 1] = { type: "text", text: last.text + part.text }
        else this.content.push(part)
        out.push({ type: "text-delta", text: part.text })
      } else {
        out.push({
          type: "tool-call-delta",
          index: this.calls,
          id: part.id,
          name: part.name,
          argumentsDelta: JSON.stringify(part.arguments)
        })
        this.content.push(part)
        this.calls++
      }
    }
    return out
  }

  finish(): LlmResponse | undefined {
    if (this.finishReason === undefined) return undefined
    return {
      model: this.model,
      content: this.content,
      text: this.content.map((part) => (part.type === "text" ? part.text : "")).join(""),
      finishReason: finishReasonOf(this.finishReason, this.calls > 0),
      usage: usageOf(this.usage),
      ...(this.responseId === undefined ? {} : { providerRequestId: this.responseId })
    }
  }
}
