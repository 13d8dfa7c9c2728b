import { Config, Effect, Option } from "effect"

/** The provider id the model catalog uses for Anthropic models. */
export const ANTHROPIC_PROVIDER_ID = "anthropic"

/**
 * How to reach the Anthropic Messages API. `baseUrl` defaults to `https://api.anthropic.com` (the SDK appends
 * `/v1/messages`); `timeoutMs` bounds every request (default 10 minutes); `providerId` renames the provider (e.g. a
 * second Anthropic account); `headers` are sent with every request.
 */
export interface AnthropicProviderConfig {
  readonly apiKey: string
  readonly baseUrl?: string
  readonly timeoutMs?: number
  readonly providerId?: string
  readonly headers?: Readonly<Record<string, string>>
}

/**
 * The configuration from the environment: `ANTHROPIC_API_KEY` (required to configure the provider) and
 * `ANTHROPIC_BASE_URL` (optional). `None` when no key is set: the provider is not configured, and its models are
 * not available.
 */
export const anthropicConfigFromEnv: Effect.Effect<
  Option.Option<AnthropicProviderConfig>,
  import("effect/ConfigError").ConfigError
> = Effect.gen(function* () {
  const apiKey = yield* Config.option(Config.nonEmptyString("ANTHROPIC_API_KEY"))
  const baseUrl = yield* Config.option(Config.nonEmptyString("ANTHROPIC_BASE_URL"))
  return Option.map(apiKey, (key) => ({
    apiKey: key,
    ...(Option.isSome(baseUrl) ? { baseUrl: baseUrl.value } : {})
  }))
})
