import { describe, expect, it } from "@effect/vitest"
import { Either } from "effect"
import {
  applyOverrides,
  builtInCatalog,
  decodeCatalog,
  decodeOverrides,
  listModels,
  makeModelRegistry,
  providersFromEnv
} from "../src/index.js"

describe("built-in catalog", () => {
  it("has at least 12 models across anthropic, openai, google and local, with prices as of a date", () => {
    expect(builtInCatalog.models.length).toBeGreaterThanOrEqual(12)
    expect(new Set(builtInCatalog.models.map((m) => m.provider))).toEqual(
      new Set(["anthropic", "openai", "google", "local"])
    )
    expect(builtInCatalog.asOf).toMatch(/^\d{4}-\d{2}-\d{2}$/)
    for (const model of builtInCatalog.models)
      expect(model.id).toBe(`${model.provider}/${model.providerModel}`)
    for (const tier of ["economy", "standard", "premium"]) {
      expect(builtInCatalog.models.some((m) => m.tier === tier)).toBe(true)
    }
  })

  it("refuses a catalog listing a model twice, or with a negative price", () => {
    const one = builtInCatalog.models[0]
    const twice = decodeCatalog({ ...builtInCatalog, models: [one, one] }, "twice.json")
    expect(Either.isLeft(twice) && twice.left.message).toBe(
      `invalid model catalog twice.json: model ${one?.id} is listed twice`
    )
    const negative = decodeCatalog({
      ...builtInCatalog,
      models: [{ ...one, pricing: { inputPerMTok: -1, outputPerMTok: 1, cachedInputPerMTok: 0 } }]
    })
    expect(Either.isLeft(negative) && negative.left.reason).toContain("inputPerMTok")
  })
})

describe("overrides", () => {
  it("changes prices field by field, disables and adds models", () => {
    const overrides = Either.getOrThrow(
      decodeOverrides({
        models: {
          "openai/gpt-4.1-mini": { pricing: { inputPerMTok: 0.2 } },
          "google/gemini-2.5-pro": { disabled: true }
        },
        add: [
          {
            id: "local/mistral:7b",
            provider: "local",
            providerModel: "mistral:7b",
            contextWindow: 32768,
            maxOutputTokens: 4096,
            pricing: { inputPerMTok: 0, outputPerMTok: 0, cachedInputPerMTok: 0 },
            capabilities: { tools: false, jsonSchema: true, vision: false, reasoning: false },
            tier: "economy",
            quality: 40
          }
        ]
      })
    )
    const catalog = Either.getOrThrow(applyOverrides(builtInCatalog, overrides))
    const mini = catalog.models.find((m) => m.id === "openai/gpt-4.1-mini")
    expect(mini?.pricing).toEqual({ inputPerMTok: 0.2, outputPerMTok: 1.6, cachedInputPerMTok: 0.1 })
    expect(catalog.models.some((m) => m.id === "google/gemini-2.5-pro")).toBe(false)
    expect(catalog.models.at(-1)?.id).toBe("local/mistral:7b")
  })

  it("refuses an override of a model the catalog does not have", () => {
    const result = applyOverrides(builtInCatalog, { models: { "openai/gpt-9": { tier: "economy" } } })
    expect(Either.isLeft(result) && result.left.reason).toBe(
      "/models/openai/gpt-9: no catalog model has this id"
    )
  })
})

describe("availability", () => {
  it("is computed from the environment: keys for hosted providers, base URLs for local servers", () => {
    expect(providersFromEnv({})).toEqual([])
    expect(
      providersFromEnv({
        ANTHROPIC_API_KEY: "sk-ant-x",
        OPENAI_BASE_URL: "http://127.0.0.1:1",
        GEMINI_API_KEY: " ",
        OLLAMA_HOST: "http://127.0.0.1:11434"
      })
    ).toEqual([
      { id: "anthropic", via: "ANTHROPIC_API_KEY" },
      { id: "local", via: "OLLAMA_HOST", baseUrl: "http://127.0.0.1:11434" }
    ])
  })

  it("marks models of unconfigured providers unavailable, saying what to set", () => {
    const registry = Either.getOrThrow(
      makeModelRegistry({ providers: [{ id: "openai", via: "OPENAI_API_KEY" }] })
    )
    expect(registry.available.every((m) => m.provider === "openai")).toBe(true)
    expect(registry.available.length).toBeGreaterThan(0)
    expect(registry.isAvailable("anthropic/claude-haiku-4-5")).toBe(false)
    expect(registry.availability.find((a) => a.model.id === "google/gemini-2.5-flash")?.reason).toBe(
      "provider google is not configured (set GEMINI_API_KEY or GOOGLE_API_KEY)"
    )
    expect(Either.getOrThrow(registry.find("gpt-4.1-mini")).id).toBe("openai/gpt-4.1-mini")
    expect(Either.isLeft(registry.find("nope"))).toBe(true)
  })
})

describe("listModels", () => {
  it("lists every model with prices, capabilities and availability, or only the available ones", () => {
    const registry = Either.getOrThrow(
      makeModelRegistry({ providers: [{ id: "local", via: "OLLAMA_HOST" }] })
    )
    const report = listModels(registry)
    expect(report.pricesAsOf).toBe(builtInCatalog.asOf)
    expect(report.providers).toEqual([{ id: "local", via: "OLLAMA_HOST" }])
    expect(report.models).toHaveLength(builtInCatalog.models.length)
    expect(report.models.find((m) => m.id === "anthropic/claude-haiku-4-5")).toMatchObject({
      available: false,
      inputPerMTok: 1,
      outputPerMTok: 5,
      capabilities: ["tools", "jsonSchema", "vision", "reasoning"],
      reason: "provider anthropic is not configured (set ANTHROPIC_API_KEY)"
    })
    const available = listModels(registry, { availableOnly: true }).models
    expect(available.map((m) => m.id)).toEqual([
      "local/qwen2.5-coder:32b",
      "local/qwen2.5-coder:7b",
      "local/llama3.1:8b"
    ])
    expect(available[0]?.reason).toBe("provider local configured by OLLAMA_HOST")
  })
})
