import { describe, expect, it } from "@effect/vitest"
import { declaredClassOf } from "@gauntlet/failure"
import { Either, Option } from "effect"
import fc from "fast-check"
import {
  builtInCatalog,
  classifyTask,
  DEFAULT_ROUTING_POLICY,
  decodeRoutingPolicy,
  type RouteInput,
  routeModel,
  withCaps
} from "../src/index.js"

const all = builtInCatalog.models
const everyProvider = { models: all, isAvailable: () => true } as const
const only = (...providers: Array<string>) =>
  ({
    models: all,
    isAvailable: (id: string) => providers.some((p) => id.startsWith(`${p}/`))
  }) as const

const route = (
  input: Omit<RouteInput, "models" | "isAvailable">,
  env: Pick<RouteInput, "models" | "isAvailable"> = everyProvider
) => Either.getOrThrow(routeModel({ ...env, ...input }))

describe("classifyTask", () => {
  it("finds risk paths by category and sizes the task", () => {
    const profile = classifyTask(
      {
        phase: "review",
        files: [
          "src/auth/login.ts",
          "db/migrations/001_init.sql",
          "api/user.schema.json",
          "src/crypto/keys.ts",
          "README.md"
        ],
        linesChanged: 50
      },
      DEFAULT_ROUTING_POLICY
    )
    expect(profile.riskCategories).toEqual(["auth", "migrations", "schemas", "security"])
    expect(profile.size).toBe("medium")
    expect(profile.maxOutputTokens).toBe(4096)
    expect(
      classifyTask({ phase: "plan", files: ["docs/authoring.md"] }, DEFAULT_ROUTING_POLICY).riskHits
    ).toEqual([])
  })
})

describe("routeModel (default policy)", () => {
  it("sends a small safe review to the economy tier with a $0.50 cap", () => {
    const decision = route({ facts: { phase: "review", files: ["src/a.ts", "src/b.ts"], linesChanged: 40 } })
    expect(decision).toMatchObject({
      tier: "economy",
      rule: "small-safe-review",
      capUsd: 0.5,
      strategy: "automatic"
    })
    expect(decision.rationale[0]).toBe(
      "phase review, 2 file(s), 40 line(s), no risk paths → rule small-safe-review (economy tier, cap $0.50)"
    )
  })

  it("sends a review touching auth, or 4 files, to the premium tier with $1.00", () => {
    const risky = route({ facts: { phase: "review", files: ["src/auth/session.ts"] } })
    expect(risky).toMatchObject({ tier: "premium", rule: "default", capUsd: 1 })
    expect(risky.rationale[0]).toContain("risk paths: src/auth/session.ts (auth)")
    const big = route({ facts: { phase: "review", filesChanged: 4 } })
    expect(big.tier).toBe("premium")
    expect(route({ facts: { phase: "implement", filesChanged: 1 } }).tier).toBe("premium")
  })

  it("uses configurable caps", () => {
    const policy = withCaps(DEFAULT_ROUTING_POLICY, { "small-safe-review": 0.25 })
    expect(route({ policy, facts: { phase: "review", filesChanged: 1 } }).capUsd).toBe(0.25)
  })

  it("escalates to a stronger tier after a failed attempt and never reuses the failed model", () => {
    const first = route({ facts: { phase: "review", filesChanged: 1 } })
    const second = route({
      facts: { phase: "review", filesChanged: 1 },
      attempt: 2,
      failedModels: [first.model]
    })
    expect(second.tier).toBe("standard")
    expect(second.escalatedFrom).toBe(first.model)
    expect(second.model).not.toBe(first.model)
    const third = route({
      facts: { phase: "review", filesChanged: 1 },
      attempt: 3,
      failedModels: [first.model, second.model]
    })
    expect(third.tier).toBe("premium")
  })

  it("lists capability-matched fallbacks on other providers first", () => {
    const decision = route({ facts: { phase: "implement", requires: ["vision"] } })
    expect(decision.fallbacks.length).toBeGreaterThan(0)
    for (const id of decision.fallbacks) {
      expect(all.find((m) => m.id === id)?.capabilities.vision).toBe(true)
    }
    expect(decision.fallbacks[0]?.split("/")[0]).not.toBe(decision.provider)
  })

  it("keeps private tasks on local models and fails clearly without one", () => {
    const decision = route({ facts: { phase: "implement", private: true } })
    expect(decision.provider).toBe("local")
    expect(decision.strategy).toBe("local-only")
    const none = routeModel({ ...only("openai"), facts: { phase: "implement", private: true } })
    expect(Either.isLeft(none) && none.left.excluded[0]).toEqual({
      model: "anthropic/claude-opus-4-1",
      reason: "provider anthropic not configured"
    })
    expect(Either.isLeft(none) && none.left.message).toContain("openai/gpt-5: not a local model")
    expect(Either.isLeft(none) && declaredClassOf(none.left)).toEqual(Option.some("resource"))
  })

  it("cost picks the cheapest worst case; quality the strongest", () => {
    expect(route({ strategy: "cost", facts: { phase: "implement" } }, only("openai", "google")).model).toBe(
      "google/gemini-2.5-flash-lite"
    )
    expect(route({ strategy: "quality", facts: { phase: "implement" } }).model).toBe(
      "anthropic/claude-opus-4-1"
    )
  })

  it("excludes models whose one call exceeds the cap or whose context is too small", () => {
    const decision = route(
      { facts: { phase: "implement", contextTokens: 100_000, maxOutputTokens: 8000 } },
      only("anthropic", "local")
    )
    expect(decision.model).toBe("anthropic/claude-sonnet-4-5")
    const overCap = routeModel({
      ...only("anthropic"),
      pinnedModel: "anthropic/claude-opus-4-1",
      facts: { phase: "implement", contextTokens: 100_000, maxOutputTokens: 8000 }
    })
    expect(Either.isLeft(overCap) && overCap.left.excluded[0]?.reason).toBe(
      "pinned model unusable: one call may cost $2.1000, over the $1.00 cap"
    )
    const none = routeModel({ ...only("local"), facts: { phase: "implement", contextTokens: 200_000 } })
    expect(
      Either.isLeft(none) && none.left.excluded.find((e) => e.model === "local/qwen2.5-coder:7b")?.reason
    ).toBe("context window 32768 < 204096 tokens needed")
  })

  it("honours a pinned model, and refuses an unusable one", () => {
    expect(route({ pinnedModel: "openai/gpt-4.1", facts: { phase: "review" } }).model).toBe("openai/gpt-4.1")
    const refused = routeModel({
      ...only("openai"),
      pinnedModel: "anthropic/claude-haiku-4-5",
      facts: { phase: "review" }
    })
    expect(Either.isLeft(refused) && refused.left.excluded).toEqual([
      {
        model: "anthropic/claude-haiku-4-5",
        reason: "pinned model unusable: provider anthropic not configured"
      }
    ])
  })

  it("is deterministic and always picks an available, capable model (property)", () => {
    const providers = ["anthropic", "openai", "google", "local"]
    fc.assert(
      fc.property(
        fc.record({
          phase: fc.constantFrom("plan", "implement", "review", "verify"),
          filesChanged: fc.nat(30),
          linesChanged: fc.nat(3000),
          private: fc.boolean(),
          contextTokens: fc.nat(300_000)
        }),
        fc.subarray(providers),
        fc.constantFrom("automatic", "cost", "quality", "local-only" as const),
        (facts, configured, strategy) => {
          const env = only(...configured)
          const a = routeModel({ ...env, facts, strategy })
          const b = routeModel({ ...env, facts, strategy })
          expect(a).toEqual(b)
          if (Either.isRight(a)) {
            expect(env.isAvailable(a.right.model)).toBe(true)
            if (facts.private || strategy === "local-only") expect(a.right.provider).toBe("local")
            expect(a.right.worstCaseCallUsd).toBeLessThanOrEqual(a.right.capUsd)
          }
        }
      )
    )
  })
})

describe("decodeRoutingPolicy", () => {
  it("accepts the default and refuses a policy without a catch-all last rule or with a bad pattern", () => {
    expect(Either.isRight(decodeRoutingPolicy(DEFAULT_ROUTING_POLICY))).toBe(true)
    const noCatchAll = decodeRoutingPolicy({
      ...DEFAULT_ROUTING_POLICY,
      rules: DEFAULT_ROUTING_POLICY.rules.slice(0, 1)
    })
    expect(Either.isLeft(noCatchAll) && noCatchAll.left.reason).toContain("must have no conditions")
    const bad = decodeRoutingPolicy({
      ...DEFAULT_ROUTING_POLICY,
      riskPatterns: [{ category: "auth", pattern: "(" }]
    })
    expect(Either.isLeft(bad) && bad.left.reason).toContain("/riskPatterns/0/pattern")
  })
})
