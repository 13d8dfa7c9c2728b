/**
 * @module @gauntlet/models
 * The model layer's data and decisions (DESIGN §4 "Models", spec N7): the model catalog (a JSON file, prices as of a
 * date, overridable), the registry with availability computed from configured providers, the task classifier and
 * the cost-aware router (strategies, the default policy as data, the cascade and capability-matched fallbacks).
 */

/** Catalog schemas, the built-in catalog, overrides and their application. */
export {
  applyOverrides,
  builtInCatalog,
  type Capability,
  decodeCatalog,
  decodeOverrides,
  ModelCapabilities,
  ModelCatalog,
  ModelEntry,
  ModelOverride,
  ModelOverrides,
  ModelPricing,
  TIERS,
  Tier
} from "./internal/catalog.js"
/** The task classifier: facts in, profile (size, risk paths, privacy, context) out. */
export {
  classifyTask,
  type RiskHit,
  riskHitsOf,
  TaskFacts,
  type TaskProfile,
  type TaskSize
} from "./internal/classify.js"
/** Typed errors of the catalog, the registry and the router. */
export { InvalidCatalog, InvalidRoutingPolicy, NoModelAvailable, UnknownModel } from "./internal/errors.js"
/** The logic of `gauntlet models list`. */
export { listModels, type ModelListing, type ModelsReport } from "./internal/listing.js"
/** The model registry service. */
export {
  type ModelAvailability,
  ModelRegistry,
  type ModelRegistryOptions,
  type ModelRegistryShape,
  makeModelRegistry
} from "./internal/ModelRegistry.js"
/** The routing policy as data, its default and its validation. */
export {
  DEFAULT_ROUTING_POLICY,
  decodeRoutingPolicy,
  RiskCategory,
  RiskPattern,
  RoutingPolicy,
  RoutingRule,
  RuleCondition,
  withCaps
} from "./internal/policy.js"
/** Configured providers and their discovery from the environment. */
export { ConfiguredProvider, howToConfigure, PROVIDER_ENV, providersFromEnv } from "./internal/providers.js"
/** The router. */
export {
  type RouteInput,
  type RoutingDecision,
  RoutingStrategy,
  routedPayload,
  routeModel,
  worstCaseCallUsd
} from "./internal/route.js"
