import { describe, expect, it } from "@effect/vitest"
import { declaredClassOf } from "@gauntlet/failure"
import { Option } from "effect"
import { resolveLlmMode } from "../src/index.js"

describe("resolveLlmMode", () => {
  it("defaults to live with a provider, replay with only a cassette, and refuses neither", () => {
    expect(resolveLlmMode({ providersConfigured: true })).toMatchObject({ mode: "live" })
    expect(resolveLlmMode({ providersConfigured: false, cassette: "c.jsonl" })).toMatchObject({
      mode: "replay",
      cassette: "c.jsonl"
    })
    const neither = resolveLlmMode({ providersConfigured: false })
    expect(neither).toMatchObject({ _tag: "InvalidLlmMode" })
    expect(declaredClassOf(neither)).toEqual(Option.some("tool-error"))
  })

  it("honours GAUNTLET_LLM_MODE and requires a cassette for record and replay", () => {
    expect(resolveLlmMode({ mode: "record", cassette: "c.jsonl", providersConfigured: true })).toMatchObject({
      mode: "record"
    })
    expect(resolveLlmMode({ mode: "replay", providersConfigured: true })).toMatchObject({
      _tag: "InvalidLlmMode",
      reason: "mode replay needs a cassette file (--cassette <file>)"
    })
    expect(resolveLlmMode({ mode: "offline", providersConfigured: true })).toMatchObject({
      _tag: "InvalidLlmMode"
    })
  })
})
