import { describe, expect, it } from "@effect/vitest"
import { FastCheck as fc } from "effect"

import { GoogleStreamAssembler } from "../src/index.js"

describe("GoogleStreamAssembler (properties)", () => {
  it.prop(
    "text pieces reassemble, function calls keep their order and ids, the last usage counts",
    [
      fc.array(fc.string(), { minLength: 1 }),
      fc.array(fc.string({ minLength: 1 }), { maxLength: 3 }),
      fc.nat(1000)
    ],
    ([pieces, calls, tokens]) => {
      const assembler = new GoogleStreamAssembler("gemini")
      const emitted = [
        ...pieces.map((text) => ({
          candidates: [{ content: { parts: [{ text }] } }],
          usageMetadata: { promptTokenCount: 1 }
        })),
        ...calls.map((name) => ({
          candidates: [{ content: { parts: [{ functionCall: { name, args: { n: name } } }] } }]
        })),
        {
          candidates: [{ content: { parts: [] }, finishReason: "STOP" }],
          usageMetadata: { promptTokenCount: 7, candidatesTokenCount: tokens }
        }
      ].flatMap((chunk) => assembler.push(chunk))
      const text = pieces.join("")
      expect(emitted.map((chunk) => (chunk.type === "text-delta" ? chunk.text : "")).join("")).toBe(text)
      const response = assembler.finish()
      expect(response?.text).toBe(text)
      expect(response?.content.filter((part) => part.type === "tool-call")).toEqual(
        calls.map((name, index) => ({ type: "tool-call", id: `call_${index}`, name, arguments: { n: name } }))
      )
      expect(response?.finishReason).toBe(calls.length > 0 ? "tool-calls" : "stop")
      expect(response?.usage).toEqual({ inputTokens: 7, outputTokens: tokens })
    }
  )

  it.prop("without a finish reason there is no response", [fc.array(fc.string())], ([pieces]) => {
    const assembler = new GoogleStreamAssembler("gemini")
    for (const text of pieces) assembler.push({ candidates: [{ content: { parts: [{ text }] } }] })
    expect(assembler.finish()).toBeUndefined()
  })
})
