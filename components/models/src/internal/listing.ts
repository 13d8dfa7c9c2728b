import type { ModelRegistryShape } from "./ModelRegistry.js"

/** One row of `gauntlet models list`: what a model is, what it costs, and whether it can be used now and why. */
export interface ModelListing {
  readonly id: string
  readonly provider: string
  readonly tier: string
  readonly contextWindow: number
  readonly maxOutputTokens: number
  readonly inputPerMTok: number
  readonly outputPerMTok: number
  readonly cachedInputPerMTok: number
  readonly capabilities: ReadonlyArray<string>
  readonly available: boolean
  readonly reason: string
}

/** The result of `gauntlet models list`: prices' date, configured providers and one row per model. */
export interface ModelsReport {
  readonly pricesAsOf: string
  readonly providers: ReadonlyArray<{ readonly id: string; readonly via: string }>
  readonly models: ReadonlyArray<ModelListing>
}

/**
 * The logic of `gauntlet models list [--available]`: every catalog model (or only the available ones) with prices,
 * capabilities and availability with its reason, in catalog order. JSON output is this object; exit 0.
 */
export const listModels = (
  registry: ModelRegistryShape,
  options: { readonly availableOnly?: boolean } = {}
): ModelsReport => ({
  pricesAsOf: registry.asOf,
  providers: registry.providers.map((p) => ({ id: p.id, via: p.via })),
  models: registry.availability
    .filter((entry) => options.availableOnly !== true || entry.available)
    .map(({ model, available, reason }) => ({
      id: model.id,
      provider: model.provider,
      tier: model.tier,
      contextWindow: model.contextWindow,
      maxOutputTokens: model.maxOutputTokens,
      inputPerMTok: model.pricing.inputPerMTok,
      outputPerMTok: model.pricing.outputPerMTok,
      cachedInputPerMTok: model.pricing.cachedInputPerMTok,
      capabilities: Object.entries(model.capabilities)
        .filter(([, has]) => has)
        .map(([name]) => name),
      available,
      reason
    }))
})
