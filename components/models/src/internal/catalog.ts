import { Either, ParseResult, Schema } from "effect"
import catalogJson from "../../catalog/models.json" with { type: "json" }
import { InvalidCatalog } from "./errors.js"

const NonEmpty = Schema.String.pipe(Schema.minLength(1))
const Price = Schema.Number.pipe(Schema.finite(), Schema.nonNegative())
const PositiveInt = Schema.Int.pipe(Schema.positive())

/** Model tiers, cheapest first: the order in which the cascade escalates. */
export const TIERS = ["economy", "standard", "premium"] as const

/** A model tier. */
export const Tier = Schema.Literal(...TIERS)
/** A model tier. */
export type Tier = typeof Tier.Type

/** Prices in US dollars per million tokens: input, output, and input served from the provider's prompt cache. */
export const ModelPricing = Schema.Struct({
  inputPerMTok: Price,
  outputPerMTok: Price,
  cachedInputPerMTok: Price
})
/** Prices in US dollars per million tokens. */
export type ModelPricing = typeof ModelPricing.Type

/** What a model can do: tool calls, JSON-schema structured output, image input, extended reasoning. */
export const ModelCapabilities = Schema.Struct({
  tools: Schema.Boolean,
  jsonSchema: Schema.Boolean,
  vision: Schema.Boolean,
  reasoning: Schema.Boolean
})
/** What a model can do. */
export type ModelCapabilities = typeof ModelCapabilities.Type

/** A capability name. */
export type Capability = keyof ModelCapabilities

/**
 * One catalog entry. `id` is `<provider>/<providerModel>`; `providerModel` is the name the provider's API takes;
 * `quality` is a relative score (1–100) the `quality` strategy and the cascade order by.
 */
export const ModelEntry = Schema.Struct({
  id: NonEmpty,
  provider: NonEmpty,
  providerModel: NonEmpty,
  displayName: Schema.optional(Schema.String),
  contextWindow: PositiveInt,
  maxOutputTokens: PositiveInt,
  pricing: ModelPricing,
  capabilities: ModelCapabilities,
  tier: Tier,
  quality: Schema.Int.pipe(Schema.between(1, 100))
}).annotations({ identifier: "ModelEntry" })
/** One catalog entry. */
export type ModelEntry = typeof ModelEntry.Type

/** A model catalog: prices are as of `asOf` (a date), in `currency`. */
export const ModelCatalog = Schema.Struct({
  $comment: Schema.optional(Schema.String),
  asOf: Schema.String.pipe(Schema.pattern(/^\d{4}-\d{2}-\d{2}$/)),
  currency: Schema.Literal("USD"),
  models: Schema.Array(ModelEntry).pipe(Schema.minItems(1))
}).annotations({ identifier: "ModelCatalog" })
/** A model catalog. */
export type ModelCatalog = typeof ModelCatalog.Type

/** A user's change to one catalog model: any field but the id; pricing and capabilities field by field. */
export const ModelOverride = Schema.Struct({
  providerModel: Schema.optional(NonEmpty),
  displayName: Schema.optional(Schema.String),
  contextWindow: Schema.optional(PositiveInt),
  maxOutputTokens: Schema.optional(PositiveInt),
  pricing: Schema.optional(Schema.partial(ModelPricing)),
  capabilities: Schema.optional(Schema.partial(ModelCapabilities)),
  tier: Schema.optional(Tier),
  quality: Schema.optional(Schema.Int.pipe(Schema.between(1, 100))),
  disabled: Schema.optional(Schema.Boolean)
})
/** A user's change to one catalog model. */
export type ModelOverride = typeof ModelOverride.Type

/**
 * User overrides from configuration: `models` changes catalog entries by id (`disabled: true` removes one), `add`
 * appends entries the catalog does not have (a fine-tuned model, another local model).
 */
export const ModelOverrides = Schema.Struct({
  models: Schema.optional(Schema.Record({ key: Schema.String, value: ModelOverride })),
  add: Schema.optional(Schema.Array(ModelEntry))
}).annotations({ identifier: "ModelOverrides" })
/** User overrides from configuration. */
export type ModelOverrides = typeof ModelOverrides.Type

const invalid = (source: string) => (error: ParseResult.ParseError) =>
  new InvalidCatalog({ source, reason: ParseResult.TreeFormatter.formatErrorSync(error) })

/** Decodes a catalog (a parsed JSON value); `source` names it in errors. Duplicate ids are refused. */
export const decodeCatalog = (
  input: unknown,
  source = "catalog"
): Either.Either<ModelCatalog, InvalidCatalog> =>
  Schema.decodeUnknownEither(ModelCatalog)(input).pipe(
    Either.mapLeft(invalid(source)),
    Either.flatMap((catalog) => {
      const seen = new Set<string>()
      for (const model of catalog.models) {
        if (seen.has(model.id)) {
          return Either.left(new InvalidCatalog({ source, reason: `model ${model.id} is listed twice` }))
        }
        seen.add(model.id)
      }
      return Either.right(catalog)
    })
  )

/** Decodes user overrides (a parsed JSON value); `source` names it in errors. */
export const decodeOverrides = (
  input: unknown,
  source = "overrides"
): Either.Either<ModelOverrides, InvalidCatalog> =>
  Schema.decodeUnknownEither(ModelOverrides)(input).pipe(Either.mapLeft(invalid(source)))

/** The built-in catalog (`catalog/models.json` of this brick). */
export const builtInCatalog: ModelCatalog = Either.getOrThrowWith(
  decodeCatalog(catalogJson, "@gauntlet/models/catalog/models.json"),
  (error) => new Error(error.message)
)

/**
 * The catalog with overrides applied: entries changed field by field, disabled ones removed, added ones appended.
 * An override for an id the catalog does not have, or an added id that exists, is an `InvalidCatalog`.
 */
export const applyOverrides = (
  catalog: ModelCatalog,
  overrides: ModelOverrides
): Either.Either<ModelCatalog, InvalidCatalog> => {
  const changes = overrides.models ?? {}
  const ids = new Set(catalog.models.map((model) => model.id))
  for (const id of Object.keys(changes)) {
    if (!ids.has(id)) {
      return Either.left(
        new InvalidCatalog({ source: "overrides", reason: `/models/${id}: no catalog model has this id` })
      )
    }
  }
  for (const added of overrides.add ?? []) {
    if (ids.has(added.id)) {
      return Either.left(
        new InvalidCatalog({
          source: "overrides",
          reason: `/add: model ${added.id} is already in the catalog (change it under models instead)`
        })
      )
    }
  }
  const models: Array<ModelEntry> = []
  for (const model of catalog.models) {
    const change = changes[model.id]
    if (change === undefined) {
      models.push(model)
      continue
    }
    if (change.disabled === true) continue
    const { pricing, capabilities, disabled: _disabled, ...fields } = change
    models.push({
      ...model,
      ...fields,
      pricing: { ...model.pricing, ...pricing },
      capabilities: { ...model.capabilities, ...capabilities }
    })
  }
  return Either.right({ ...catalog, models: [...models, ...(overrides.add ?? [])] })
}
