import { describe, expect, it } from "@effect/vitest"
import { FastCheck as fc } from "effect"

import { OpenAiStreamAssembler, type OpenAiStreamChunk } from "../src/index.js"

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

const chunks = (
  pieces: ReadonlyArray<string>,
  args: ReadonlyArray<string>,
  ending: "full" | "no-usage" | "no-finish"
) => {
  const out: Array<OpenAiStreamChunk> = [
    { id: "c", model: "gpt", choices: [{ index: 0, delta: { content: "" } }] },
    ...pieces.map((content) => ({ choices: [{ index: 0, delta: { content } }] })),
    {
      choices: [
        {
          index: 0,
          delta: { tool_calls: [{ index: 0, id: "call", function: { name: "f", arguments: "" } }] }
        }
      ]
    },
    ...args.map((part) => ({
      choices: [{ index: 0, delta: { tool_calls: [{ index: 0, function: { arguments: part } }] } }]
    }))
  ]
  if (ending !== "no-finish") out.push({ choices: [{ index: 0, delta: {}, finish_reason: "tool_calls" }] })
  if (ending === "full") out.push({ choices: [], usage: { prompt_tokens: 3, completion_tokens: 4 } })
  return out
}

describe("OpenAiStreamAssembler (properties)", () => {
  it.prop(
    "however text and arguments are split, the deltas and the response reassemble them",
    [fc.string(), fc.array(fc.nat()), fc.dictionary(fc.string(), fc.boolean()), fc.array(fc.nat())],
    ([text, textCuts, input, argCuts]) => {
      const assembler = new OpenAiStreamAssembler()
      const emitted = chunks(split(text, textCuts), split(JSON.stringify(input), argCuts), "full").flatMap(
        (chunk) => assembler.push(chunk)
      )
      expect(emitted.map((chunk) => (chunk.type === "text-delta" ? chunk.text : "")).join("")).toBe(text)
      expect(assembler.finish()).toEqual({
        model: "gpt",
        content: [
          ...(text === "" ? [] : [{ type: "text", text }]),
          { type: "tool-call", id: "call", name: "f", arguments: input }
        ],
        text,
        finishReason: "tool-calls",
        usage: { inputTokens: 3, outputTokens: 4 },
        providerRequestId: "c"
      })
    }
  )

  it.prop(
    "a stream missing its finish reason or its usage chunk is incomplete",
    [fc.string(), fc.constantFrom("no-usage" as const, "no-finish" as const)],
    ([text, ending]) => {
      const assembler = new OpenAiStreamAssembler()
      for (const chunk of chunks([text], ["{}"], ending)) assembler.push(chunk)
      expect(assembler.finish()).toHaveProperty("incomplete")
    }
  )
})
