import { Context, Effect, Either, Layer } from "effect"
import {
  applyOverrides,
  builtInCatalog,
  type ModelCatalog,
  type ModelEntry,
  type ModelOverrides
} from "./catalog.js"
import { type InvalidCatalog, UnknownModel } from "./errors.js"
import { type ConfiguredProvider, howToConfigure } from "./providers.js"

/** Whether a model can be used now, and why (for rationales and `gauntlet models` listings). */
export interface ModelAvailability {
  readonly model: ModelEntry
  readonly available: boolean
  readonly reason: string
}

/** The model registry: the catalog with overrides applied, and availability computed from configured providers. */
export interface ModelRegistryShape {
  /** Prices are as of this date. */
  readonly asOf: string
  /** Every catalog model, available or not, in catalog order. */
  readonly all: ReadonlyArray<ModelEntry>
  /** The models whose provider is configured, in catalog order. */
  readonly available: ReadonlyArray<ModelEntry>
  /** Every model with its availability and the reason. */
  readonly availability: ReadonlyArray<ModelAvailability>
  /** The configured providers. */
  readonly providers: ReadonlyArray<ConfiguredProvider>
  /** A model by catalog id (or by provider model name when it is unambiguous). */
  readonly find: (id: string) => Either.Either<ModelEntry, UnknownModel>
  /** Whether the model with this id can be used now. */
  readonly isAvailable: (id: string) => boolean
}

/** Inputs of `makeModelRegistry`. */
export interface ModelRegistryOptions {
  readonly catalog?: ModelCatalog
  readonly overrides?: ModelOverrides
  readonly providers: ReadonlyArray<ConfiguredProvider>
}

/**
 * Builds a registry. A model is available exactly when its provider is among `providers`: availability is
 * computed, never assumed. Fails when the overrides do not apply.
 */
export const makeModelRegistry = (
  options: ModelRegistryOptions
): Either.Either<ModelRegistryShape, InvalidCatalog> =>
  Either.map(applyOverrides(options.catalog ?? builtInCatalog, options.overrides ?? {}), (catalog) => {
    const configured = new Map(options.providers.map((provider) => [provider.id, provider]))
    const availability = catalog.models.map((model): ModelAvailability => {
      const provider = configured.get(model.provider)
      return provider === undefined
        ? {
            model,
            available: false,
            reason: `provider ${model.provider} is not configured (${howToConfigure(model.provider)})`
          }
        : { model, available: true, reason: `provider ${model.provider} configured by ${provider.via}` }
    })
    const byId = new Map(catalog.models.map((model) => [model.id, model]))
    const available = availability.filter((entry) => entry.available).map((entry) => entry.model)
    const availableIds = new Set(available.map((model) => model.id))
    const find = (id: string): Either.Either<ModelEntry, UnknownModel> => {
      const exact = byId.get(id)
      if (exact !== undefined) return Either.right(exact)
      const byName = catalog.models.filter((model) => model.providerModel === id)
      const only = byName.length === 1 ? byName[0] : undefined
      return only !== undefined
        ? Either.right(only)
        : Either.left(new UnknownModel({ model: id, known: catalog.models.map((model) => model.id) }))
    }
    return {
      asOf: catalog.asOf,
      all: catalog.models,
      available,
      availability,
      providers: options.providers,
      find,
      isAvailable: (id) => availableIds.has(id)
    }
  })

/** The model registry service. */
export class ModelRegistry extends Context.Tag("@gauntlet/models/ModelRegistry")<
  ModelRegistry,
  ModelRegistryShape
>() {
  /** A registry over the built-in (or given) catalog, overrides and configured providers. */
  static readonly layer = (options: ModelRegistryOptions): Layer.Layer<ModelRegistry, InvalidCatalog> =>
    Layer.effect(
      ModelRegistry,
      Effect.suspend(() => makeModelRegistry(options))
    )
}
