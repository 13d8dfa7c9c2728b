import { describe, expect, it } from "@effect/vitest"
import { FastCheck as fc } from "effect"

import { AnthropicStreamAssembler, type AnthropicStreamEvent } from "../src/index.js"

/** Splits a string at the given cut points (a property generator helper). */
const split = (text: string, cuts: ReadonlyArray<number>): Array<string> => {
  const points = [...new Set(cuts.map((cut) => cut % (text.length + 1)))].sort((a, b) => a - b)
  const pieces: Array<string> = []
  let from = 0
  for (const point of points) {
    pieces.push(text.slice(from, point))
    from = point
  }
  pieces.push(text.slice(from))
  return pieces
}

const events = (
  pieces: ReadonlyArray<string>,
  json: ReadonlyArray<string>,
  stop: boolean
): Array<AnthropicStreamEvent> => [
  {
    type: "message_start",
    message: { id: "m", model: "claude", usage: { input_tokens: 5, output_tokens: 1 } }
  },
  { type: "content_block_start", index: 0, content_block: { type: "text", text: "" } },
  ...pieces.map((text) => ({ type: "content_block_delta", index: 0, delta: { type: "text_delta", text } })),
  {
    type: "content_block_start",
    index: 1,
    content_block: { type: "tool_use", id: "t", name: "f", input: {} }
  },
  ...json.map((partial_json) => ({
    type: "content_block_delta",
    index: 1,
    delta: { type: "input_json_delta", partial_json }
  })),
  { type: "message_delta", delta: { stop_reason: "tool_use" }, usage: { output_tokens: 9 } },
  ...(stop ? [{ type: "message_stop" }] : [])
]

describe("AnthropicStreamAssembler (properties)", () => {
  it.prop(
    "however text and tool input are split, the deltas and the response reassemble them",
    [fc.string(), fc.array(fc.nat()), fc.dictionary(fc.string(), fc.integer()), fc.array(fc.nat())],
    ([text, textCuts, input, jsonCuts]) => {
      const assembler = new AnthropicStreamAssembler()
      const chunks = events(split(text, textCuts), split(JSON.stringify(input), jsonCuts), true).flatMap(
        (event) => assembler.push(event)
      )
      const deltas = chunks.map((chunk) => (chunk.type === "text-delta" ? chunk.text : "")).join("")
      const args = chunks
        .map((chunk) => (chunk.type === "tool-call-delta" ? chunk.argumentsDelta : ""))
        .join("")
      expect(deltas).toBe(text)
      expect(JSON.parse(args)).toEqual(input)
      expect(assembler.finish()).toEqual({
        model: "claude",
        content: [
          { type: "text", text },
          { type: "tool-call", id: "t", name: "f", arguments: input }
        ],
        text,
        finishReason: "tool-calls",
        usage: { inputTokens: 5, outputTokens: 9 },
        providerRequestId: "m"
      })
    }
  )

  it.prop("without message_stop there is no response", [fc.string(), fc.array(fc.nat())], ([text, cuts]) => {
    const assembler = new AnthropicStreamAssembler()
    for (const event of events(split(text, cuts), ["{}"], false)) assembler.push(event)
    expect(assembler.finish()).toBeUndefined()
  })

  it("a tool input that is not JSON is reported, not guessed", () => {
    const assembler = new AnthropicStreamAssembler()
    for (const event of events(["x"], ['{"a":'], true)) assembler.push(event)
    expect(assembler.finish()).toMatchObject({ detail: expect.stringContaining("input is not JSON") })
  })
})
