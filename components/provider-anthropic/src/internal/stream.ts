import type { LlmResponse, LlmStreamChunk } from "@gauntlet/llm"
import { type AnthropicBlock, type AnthropicUsageFields, fromAnthropicMessage } from "./response.js"

/** A server-sent event of the Messages API stream, as far as this adapter reads it. */
export interface AnthropicStreamEvent {
  readonly type: string
  readonly index?: number
  readonly message?: { readonly id?: string; readonly model?: string; readonly usage?: AnthropicUsageFields }
  readonly content_block?: AnthropicBlock
  readonly delta?: {
    readonly type?: string
    readonly text?: string
    readonly partial_json?: string
    readonly stop_reason?: string | null
  }
  readonly usage?: AnthropicUsageFields
}

interface OpenBlock {
  type: string
  text: string
  id?: string
  name?: string
  json: string
  toolIndex?: number
}

/** Why an assembled stream cannot be read (a tool call's accumulated input is not JSON). */
export interface MalformedStream {
  readonly detail: string
}

/**
 * Assembles a Messages API stream (`message_start`, `content_block_start|delta|stop`, `message_delta`,
 * `message_stop`; `ping` ignored) into our chunks. `push` returns the chunks an event yields; `finish` returns the
 * assembled response once `message_stop` arrived, `undefined` when the stream was cut before it.
 */
export class AnthropicStreamAssembler {
  private id: string | undefined
  private model = ""
  private usage: { -readonly [K in keyof AnthropicUsageFields]: AnthropicUsageFields[K] } = {}
  private stopReason: string | null | undefined
  private readonly blocks = new Map<number, OpenBlock>()
  private toolCount = 0
  private stopped = false

  push(event: AnthropicStreamEvent): ReadonlyArray<LlmStreamChunk> {
    switch (event.type) {
      case "message_start":
        this.id = event.message?.id
        this.model = event.message?.model ?? this.model
        this.usage = { ...event.message?.usage }
        return []
      case "content_block_start": {
        const block = event.content_block
        if (block === undefined || event.index === undefined) return []
        const open: OpenBlock = { type: block.type, text: block.text ?? "", json: "" }
        if (block.id !== undefined) open.id = block.id
        if (block.name !== undefined) open.name = block.name
        this.blocks.set(event.index, open)
        if (block.type === "tool_use") {
          open.toolIndex = this.toolCount++
          return [
            {
              type: "tool-call-delta",
              index: open.toolIndex,
              id: open.id ?? "",
              name: open.name ?? "",
              argumentsDelta: ""
            }
          ]
        }
        return open.text === "" ? [] : [{ type: "text-delta", text: open.text }]
      }
      case "content_block_delta": {
        const open = event.index === undefined ? undefined : this.blocks.get(event.index)
        const delta = event.delta
        if (open === undefined || delta === undefined) return []
        if (delta.type === "text_delta" && typeof delta.text === "string") {
          open.text += delta.text
          return [{ type: "text-delta", text: delta.text }]
        }
        if (delta.type === "input_json_delta" && typeof delta.partial_json === "string") {
          open.json += delta.partial_json
          return [{ type: "tool-call-delta", index: open.toolIndex ?? 0, argumentsDelta: delta.partial_json }]
        }
        return []
      }
      case "message_delta":
        if (event.delta?.stop_reason !== undefined) this.stopReason = event.delta.stop_reason
        if (event.usage !== undefined) {
          for (const [key, value] of Object.entries(event.usage)) {
            if (typeof value === "number") (this.usage as Record<string, number>)[key] = value
          }
        }
        return []
      case "message_stop":
        this.stopped = true
        return []
      default:
        return []
    }
  }

  /** The assembled response, `undefined` when `message_stop` never came; a malformed tool input is reported. */
  finish(): LlmResponse | undefined | MalformedStream {
    if (!this.stopped) return undefined
    const content: Array<AnthropicBlock> = []
    for (const index of [...this.blocks.keys()].sort((a, b) => a - b)) {
      const block = this.blocks.get(index)!
      if (block.type === "text") content.push({ type: "text", text: block.text })
      if (block.type === "tool_use") {
        let input: unknown = {}
        if (block.json.trim() !== "") {
          try {
            input = JSON.parse(block.json)
          } catch {
            return {
              detail: `tool call ${block.name ?? "?"} (${block.id ?? "?"}): input is not JSON: ${block.json.slice(0, 200)}`
            }
          }
        }
        content.push({
          type: "tool_use",
          ...(block.id === undefined ? {} : { id: block.id }),
          ...(block.name === undefined ? {} : { name: block.name }),
          input
        })
      }
    }
    return fromAnthropicMessage({
      ...(this.id === undefined ? {} : { id: this.id }),
      model: this.model,
      content,
      stop_reason: this.stopReason ?? null,
      usage: this.usage
    })
  }
}
