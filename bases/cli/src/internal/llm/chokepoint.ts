import { FileSystem } from "@effect/platform"
import { BudgetLedger, makeBudgetState } from "@gauntlet/budget"
import { Ids } from "@gauntlet/canonical"
import {
  Cassette,
  CassetteUnavailable,
  Llm,
  type LlmProvider,
  LlmProviders,
  parseCassette,
  type ResolvedLlmMode,
  resolveLlmMode,
  StageCache
} from "@gauntlet/llm"
import { type ConfiguredProvider, ModelRegistry, providersFromEnv } from "@gauntlet/models"
import { anthropicConfigFromEnv, makeAnthropicProvider } from "@gauntlet/provider-anthropic"
import { googleConfigFromEnv, makeGoogleProvider } from "@gauntlet/provider-google"
import { localConfigFromEnv, makeOpenAiProvider, openAiConfigFromEnv } from "@gauntlet/provider-openai"
import { Effect, Either, Layer, Option } from "effect"
import { InvalidOptionValue } from "../errors.js"

/** The model flags shared by `llm complete` and `workflow run` (`--mode`, `--cassette`, `--budget-usd`). */
export interface ModelFlags {
  readonly mode: Option.Option<string>
  readonly cassette: Option.Option<string>
  readonly budgetUsd: Option.Option<number>
}

/** The budget a model call gets when no `--budget-usd` is given: the default routing policy's premium cap. */
const DEFAULT_BUDGET_USD = 1

/** The provider adapters configured in the environment (`*ConfigFromEnv` of each provider brick). */
const providersFromEnvironment = Effect.gen(function* () {
  const providers: Array<LlmProvider> = []
  const anthropic = yield* anthropicConfigFromEnv
  if (Option.isSome(anthropic)) providers.push(makeAnthropicProvider(anthropic.value))
  const openai = yield* openAiConfigFromEnv
  if (Option.isSome(openai)) providers.push(makeOpenAiProvider(openai.value))
  const google = yield* googleConfigFromEnv
  if (Option.isSome(google)) providers.push(makeGoogleProvider(google.value))
  const local = yield* localConfigFromEnv
  if (Option.isSome(local)) providers.push(makeOpenAiProvider(local.value))
  return providers
})

/** Decides live, record or replay from `--mode` (else `GAUNTLET_LLM_MODE`), `--cassette` and the environment. */
export const decideMode = (flags: ModelFlags) =>
  Effect.gen(function* () {
    const configured = providersFromEnv(process.env)
    const decided = resolveLlmMode({
      mode: Option.getOrElse(flags.mode, () => process.env.GAUNTLET_LLM_MODE),
      cassette: Option.getOrUndefined(flags.cassette),
      providersConfigured: configured.length > 0
    })
    if (decided instanceof Error) return yield* decided
    return { resolved: decided as ResolvedLlmMode, configured }
  })

/** The budget limit in USD from `--budget-usd` (a positive finite number), or the default. */
export const budgetOf = (flags: ModelFlags) =>
  Option.match(flags.budgetUsd, {
    onNone: () => Effect.succeed(DEFAULT_BUDGET_USD),
    onSome: (usd) =>
      Number.isFinite(usd) && usd > 0
        ? Effect.succeed(usd)
        : Effect.fail(
            new InvalidOptionValue({
              option: "--budget-usd",
              value: String(usd),
              reason: "must be a positive number"
            })
          )
  })

/**
 * In replay mode no provider needs to be configured: the providers of the models recorded in the cassette count as
 * configured (via the cassette) so routing picks the same models it picked when recording. A broken cassette line
 * is `CassetteCorrupt` (file and line).
 */
const replayProviders = (file: string, configured: ReadonlyArray<ConfiguredProvider>) =>
  Effect.gen(function* () {
    const fs = yield* FileSystem.FileSystem
    const text = yield* fs
      .readFileString(file)
      .pipe(
        Effect.mapError(
          (error) => new CassetteUnavailable({ file, operation: "read", reason: error.message })
        )
      )
    const entries = yield* Either.match(parseCassette(file, text), {
      onLeft: Effect.fail,
      onRight: Effect.succeed
    })
    const ids = new Set(configured.map((p) => p.id))
    const extra: Array<ConfiguredProvider> = []
    for (const { entry } of entries) {
      // Recorded requests are normalized: `provider` and the provider's own model name (`gpt-5`).
      const provider = entry.request.provider
      if (typeof provider === "string" && provider !== "" && !ids.has(provider)) {
        ids.add(provider)
        extra.push({ id: provider, via: `cassette ${file}` })
      }
    }
    return [...configured, ...extra]
  })

/**
 * The chokepoint and what it needs, over the event log in context: the registry (availability computed from the
 * environment, plus the cassette's providers in replay), the configured provider adapters (none in replay: a miss
 * can never reach the network), the cassette of the mode, a run ledger limited to `budgetUsd` and a memory stage
 * cache.
 */
export const chokepointLayer = (options: {
  readonly resolved: ResolvedLlmMode
  readonly configured: ReadonlyArray<ConfiguredProvider>
  readonly budgetUsd: number
}) =>
  Effect.gen(function* () {
    const { resolved } = options
    const cassetteFile = resolved.cassette
    const replaying = resolved.mode === "replay" && cassetteFile !== undefined
    const registryProviders = replaying
      ? yield* replayProviders(cassetteFile, options.configured)
      : options.configured
    const adapters = replaying ? [] : yield* providersFromEnvironment
    const cassette =
      cassetteFile === undefined || resolved.mode === "live"
        ? Cassette.live
        : resolved.mode === "record"
          ? Cassette.record(cassetteFile)
          : Cassette.replay(cassetteFile)
    const deps = Layer.mergeAll(
      BudgetLedger.layer(makeBudgetState({ run: { costUsd: options.budgetUsd } })),
      ModelRegistry.layer({ providers: registryProviders }),
      LlmProviders.layer(adapters),
      cassette,
      StageCache.layerMemory,
      Ids.layer
    )
    return Layer.provideMerge(Llm.layer(), deps)
  })
