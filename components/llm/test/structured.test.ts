import { describe, expect, it } from "@effect/vitest"
import { declaredClassOf } from "@gauntlet/failure"
import { Effect, Option, Schema } from "effect"
import { completeStructured, decodeAnswer } from "../src/index.js"
import { ask, chokepoint, ctx, fakeProvider } from "./support.js"

const Verdict = Schema.Struct({ approve: Schema.Boolean, reasons: Schema.Array(Schema.String) })
const output = { name: "verdict", schema: Verdict }

describe("structured output", () => {
  it.effect("sends the JSON schema, and repairs once with the decode error fed back", () =>
    Effect.gen(function* () {
      const alpha = yield* fakeProvider("alpha", [
        { text: '{"approve": "yes"}' },
        { text: '```json\n{"approve": true, "reasons": ["small change"]}\n```' }
      ])
      const result = yield* completeStructured(ask("alpha/big"), ctx, output).pipe(
        Effect.provide(chokepoint({ providers: [alpha.provider] }))
      )
      expect(result.value).toEqual({ approve: true, reasons: ["small change"] })
      expect(result.completions).toHaveLength(2)
      const calls = yield* alpha.calls
      expect(calls[0]?.responseFormat).toMatchObject({ type: "json-schema", name: "verdict" })
      const repair = calls[1]?.messages.at(-1)
      expect(repair?.role).toBe("user")
      expect(repair?.content).toContain('does not match the JSON schema "verdict"')
      expect(repair?.content).toContain("approve")
      expect(calls[1]?.messages.at(-2)).toEqual({ role: "assistant", content: '{"approve": "yes"}' })
    })
  )

  it.effect("fails as agent-error after the one repair also fails", () =>
    Effect.gen(function* () {
      const alpha = yield* fakeProvider("alpha", [
        { text: "not json" },
        { text: '{"approve": 1}' },
        { text: "unused" }
      ])
      const error = yield* Effect.flip(
        completeStructured(ask("alpha/big"), ctx, output).pipe(
          Effect.provide(chokepoint({ providers: [alpha.provider] }))
        )
      )
      expect(error._tag).toBe("LlmOutputInvalid")
      expect(declaredClassOf(error)).toEqual(Option.some("agent-error"))
      expect(error.message).toContain("after 2 attempt(s)")
      expect((yield* alpha.calls).length).toBe(2)
    })
  )

  it("decodeAnswer names JSON errors and schema paths", () => {
    expect(decodeAnswer(Verdict, "{")).toMatchObject({ _tag: "Left" })
    const wrong = decodeAnswer(Verdict, '{"approve": true}')
    expect(wrong._tag === "Left" && wrong.left).toContain("reasons")
  })
})
