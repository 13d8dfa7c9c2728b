import { Either, Schema } from "effect"
import { type Capability, type ModelEntry, TIERS, type Tier } from "./catalog.js"
import { classifyTask, type TaskFacts, type TaskProfile } from "./classify.js"
import { NoModelAvailable } from "./errors.js"
import { DEFAULT_ROUTING_POLICY, type RoutingPolicy, type RoutingRule } from "./policy.js"

/**
 * Routing strategies: `automatic` (the policy's tier, best quality in it), `cost` (cheapest capable model),
 * `quality` (strongest capable model), `local-only` (only models served by a local server).
 */
export const RoutingStrategy = Schema.Literal("automatic", "cost", "quality", "local-only")
/** A routing strategy. */
export type RoutingStrategy = typeof RoutingStrategy.Type

/** Inputs of `routeModel`. */
export interface RouteInput {
  readonly facts: TaskFacts
  /** The models to choose from (a registry's `all`); availability comes from `isAvailable`. */
  readonly models: ReadonlyArray<ModelEntry>
  readonly isAvailable: (id: string) => boolean
  readonly strategy?: RoutingStrategy
  readonly policy?: RoutingPolicy
  /** The attempt number (1 first); attempts after a failure escalate (the cascade). */
  readonly attempt?: number
  /** Models that failed earlier attempts of this task: never chosen again. */
  readonly failedModels?: ReadonlyArray<string>
  /** A model the user pinned (`--model`): chosen when it is available and fits, else routing fails. */
  readonly pinnedModel?: string
}

/** A routing decision: the model, the rule and cap, the reasons (in order) and the fallback chain. */
export interface RoutingDecision {
  readonly model: string
  readonly provider: string
  readonly providerModel: string
  readonly tier: Tier
  readonly strategy: RoutingStrategy
  readonly rule: string
  readonly capUsd: number
  /** The worst case of one call with this model: prompt tokens × input price + max output × output price. */
  readonly worstCaseCallUsd: number
  readonly rationale: ReadonlyArray<string>
  /** Capability-matched alternatives, other providers first, to try when this model fails. */
  readonly fallbacks: ReadonlyArray<string>
  readonly escalatedFrom?: string
  readonly profile: TaskProfile
}

const MAX_FALLBACKS = 5

const usd = (amount: number): string => `$${amount.toFixed(2)}`

/** The worst-case cost of one call of `profile` with `model`, in dollars. */
export const worstCaseCallUsd = (model: ModelEntry, profile: TaskProfile): number =>
  (profile.contextTokens * model.pricing.inputPerMTok +
    profile.maxOutputTokens * model.pricing.outputPerMTok) /
  1e6

const matches = (rule: RoutingRule, profile: TaskProfile): boolean => {
  const when = rule.when
  if (when.phases !== undefined && !when.phases.includes(profile.phase)) return false
  if (when.maxFiles !== undefined && profile.filesChanged > when.maxFiles) return false
  if (when.maxLines !== undefined && profile.linesChanged > when.maxLines) return false
  if (when.risky !== undefined && when.risky !== profile.riskHits.length > 0) return false
  return true
}

const describeTask = (profile: TaskProfile): string => {
  const risk =
    profile.riskHits.length === 0
      ? "no risk paths"
      : `risk paths: ${profile.riskHits.map((hit) => `${hit.path} (${hit.category})`).join(", ")}`
  return `phase ${profile.phase}, ${profile.filesChanged} file(s), ${profile.linesChanged} line(s), ${risk}`
}

const exclusionOf = (
  model: ModelEntry,
  profile: TaskProfile,
  input: RouteInput,
  strategy: RoutingStrategy,
  capUsd: number
): string | undefined => {
  if (!input.isAvailable(model.id)) return `provider ${model.provider} not configured`
  if (strategy === "local-only" && model.provider !== "local") return "not a local model"
  if (input.failedModels?.includes(model.id) === true) return "failed in an earlier attempt"
  const missing = profile.requires.filter((capability: Capability) => !model.capabilities[capability])
  if (missing.length > 0) return `lacks ${missing.join(", ")}`
  const needed = profile.contextTokens + profile.maxOutputTokens
  if (model.contextWindow < needed) return `context window ${model.contextWindow} < ${needed} tokens needed`
  if (model.maxOutputTokens < profile.maxOutputTokens) {
    return `max output ${model.maxOutputTokens} < ${profile.maxOutputTokens} tokens asked`
  }
  const worst = worstCaseCallUsd(model, profile)
  if (worst > capUsd) return `one call may cost $${worst.toFixed(4)}, over the ${usd(capUsd)} cap`
  return undefined
}

const tierIndex = (tier: Tier): number => TIERS.indexOf(tier)

const byQuality = (profile: TaskProfile) => (a: ModelEntry, b: ModelEntry) =>
  b.quality - a.quality ||
  worstCaseCallUsd(a, profile) - worstCaseCallUsd(b, profile) ||
  (a.id < b.id ? -1 : 1)

const byCost = (profile: TaskProfile) => (a: ModelEntry, b: ModelEntry) =>
  worstCaseCallUsd(a, profile) - worstCaseCallUsd(b, profile) ||
  b.quality - a.quality ||
  (a.id < b.id ? -1 : 1)

/** Tiers to look in, nearest first: the target, then stronger tiers, then weaker ones. */
const tierSearchOrder = (target: number): ReadonlyArray<number> => {
  const order = [target]
  for (let i = target + 1; i < TIERS.length; i++) order.push(i)
  for (let i = target - 1; i >= 0; i--) order.push(i)
  return order
}

const fallbacksOf = (chosen: ModelEntry, candidates: ReadonlyArray<ModelEntry>): ReadonlyArray<string> =>
  candidates
    .filter((model) => model.id !== chosen.id)
    .map((model) => ({
      model,
      key: [
        Math.abs(tierIndex(model.tier) - tierIndex(chosen.tier)),
        tierIndex(model.tier) < tierIndex(chosen.tier) ? 1 : 0,
        model.provider === chosen.provider ? 1 : 0,
        -model.quality
      ]
    }))
    .sort((a, b) => {
      for (let i = 0; i < a.key.length; i++) {
        const d = (a.key[i] as number) - (b.key[i] as number)
        if (d !== 0) return d
      }
      return a.model.id < b.model.id ? -1 : 1
    })
    .slice(0, MAX_FALLBACKS)
    .map((entry) => entry.model.id)

/**
 * Chooses a model for a task (spec N7 "Routing"): classify, take the first policy rule that applies (tier and
 * cap), filter the available models by strategy, capabilities, context and cap, escalate after failed attempts,
 * pick by strategy and list capability-matched fallbacks. Pure and deterministic: the same inputs give the same
 * decision and the same rationale.
 */
export const routeModel = (input: RouteInput): Either.Either<RoutingDecision, NoModelAvailable> => {
  const policy = input.policy ?? DEFAULT_ROUTING_POLICY
  const profile = classifyTask(input.facts, policy)
  const rule =
    policy.rules.find((candidate) => matches(candidate, profile)) ?? (policy.rules.at(-1) as RoutingRule)
  const rationale: Array<string> = [
    `${describeTask(profile)} → rule ${rule.id} (${rule.tier} tier, cap ${usd(rule.capUsd)})`
  ]
  const requested = input.strategy ?? "automatic"
  let strategy: RoutingStrategy = requested
  if (profile.private && strategy !== "local-only") {
    strategy = "local-only"
    rationale.push(`privacy flag set: strategy ${requested} → local-only, nothing leaves the machine`)
  }
  const excluded: Array<{ model: string; reason: string }> = []
  const candidates: Array<ModelEntry> = []
  for (const model of input.models) {
    const reason = exclusionOf(model, profile, input, strategy, rule.capUsd)
    if (reason === undefined) candidates.push(model)
    else excluded.push({ model: model.id, reason })
  }
  const fail = () => Either.left(new NoModelAvailable({ strategy, rule: rule.id, excluded }))
  const attempt = input.attempt ?? 1
  const failed = input.failedModels ?? []
  const failedEntries = input.models.filter((model) => failed.includes(model.id))
  const escalatedFrom = failedEntries.at(-1)?.id

  let chosen: ModelEntry | undefined
  if (input.pinnedModel !== undefined) {
    chosen = candidates.find((model) => model.id === input.pinnedModel)
    if (chosen === undefined) {
      const why = excluded.find((entry) => entry.model === input.pinnedModel)?.reason ?? "not in the catalog"
      return Either.left(
        new NoModelAvailable({
          strategy,
          rule: rule.id,
          excluded: [{ model: input.pinnedModel, reason: `pinned model unusable: ${why}` }]
        })
      )
    }
    rationale.push(`model pinned: ${chosen.id}`)
  } else if (strategy === "automatic") {
    const base = tierIndex(rule.tier)
    const target = Math.min(TIERS.length - 1, base + (failed.length > 0 ? Math.max(1, attempt - 1) : 0))
    if (target !== base) {
      rationale.push(
        `attempt ${attempt} after ${failed.join(", ")} failed: escalate ${rule.tier} → ${TIERS[target]}`
      )
    }
    for (const index of tierSearchOrder(target)) {
      const inTier = candidates.filter((model) => tierIndex(model.tier) === index).sort(byQuality(profile))
      if (inTier.length > 0) {
        chosen = inTier[0]
        if (index !== target)
          rationale.push(`no usable ${TIERS[target]} model; nearest tier is ${TIERS[index]}`)
        break
      }
    }
    if (chosen !== undefined) rationale.push(`${chosen.id}: best quality (${chosen.quality}) of its tier`)
  } else {
    const floor = Math.max(0, ...failedEntries.map((model) => model.quality))
    const stronger = candidates.filter((model) => model.quality > floor)
    const pool = failed.length > 0 && stronger.length > 0 ? stronger : candidates
    if (failed.length > 0 && stronger.length > 0) {
      rationale.push(
        `attempt ${attempt} after ${failed.join(", ")} failed: only models stronger than quality ${floor}`
      )
    }
    const ordered = [...pool].sort(strategy === "cost" ? byCost(profile) : byQuality(profile))
    chosen = ordered[0]
    if (chosen !== undefined) {
      const why =
        strategy === "cost"
          ? `cheapest worst case ($${worstCaseCallUsd(chosen, profile).toFixed(4)} per call)`
          : strategy === "quality"
            ? `strongest (quality ${chosen.quality})`
            : `strongest local model (quality ${chosen.quality})`
      rationale.push(`${chosen.id}: ${why}`)
    }
  }
  if (chosen === undefined) return fail()
  if (profile.requires.length > 0) rationale.push(`capabilities required: ${profile.requires.join(", ")}`)
  const fallbacks = fallbacksOf(chosen, candidates)
  rationale.push(fallbacks.length === 0 ? "no fallback available" : `fallbacks: ${fallbacks.join(", ")}`)
  return Either.right({
    model: chosen.id,
    provider: chosen.provider,
    providerModel: chosen.providerModel,
    tier: chosen.tier,
    strategy,
    rule: rule.id,
    capUsd: rule.capUsd,
    worstCaseCallUsd: worstCaseCallUsd(chosen, profile),
    rationale,
    fallbacks,
    ...(escalatedFrom === undefined ? {} : { escalatedFrom }),
    profile
  })
}

/** The `model/routed` event payload of a decision (for `EventLog.append`). */
export const routedPayload = (decision: RoutingDecision, extra: { readonly attempt?: number } = {}) => ({
  model: decision.model,
  provider: decision.provider,
  tier: decision.tier,
  strategy: decision.strategy,
  rule: decision.rule,
  rationale: decision.rationale,
  fallbacks: decision.fallbacks,
  capUsd: decision.capUsd,
  phase: decision.profile.phase,
  ...(extra.attempt === undefined ? {} : { attempt: extra.attempt }),
  ...(decision.escalatedFrom === undefined ? {} : { escalatedFrom: decision.escalatedFrom })
})
