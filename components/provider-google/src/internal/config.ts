import { Config, Effect, Option } from "effect"
import type { ConfigError } from "effect/ConfigError"

/** The provider id the model catalog uses for Google models. */
export const GOOGLE_PROVIDER_ID = "google"

/**
 * How to reach the Gemini API. `baseUrl` defaults to `https://generativelanguage.googleapis.com`; `apiVersion` to
 * the SDK's (`v1beta`); `timeoutMs` bounds every request (default 10 minutes).
 */
export interface GoogleProviderConfig {
  readonly apiKey: string
  readonly baseUrl?: string
  readonly apiVersion?: string
  readonly timeoutMs?: number
  readonly providerId?: string
  readonly headers?: Readonly<Record<string, string>>
}

/**
 * The configuration from the environment: `GEMINI_API_KEY`, else `GOOGLE_API_KEY` (one is required), and
 * `GOOGLE_GEMINI_BASE_URL` (optional). `None` when neither key is set.
 */
export const googleConfigFromEnv: Effect.Effect<
  Option.Option<GoogleProviderConfig>,
  ConfigError
> = Effect.gen(function* () {
  const gemini = yield* Config.option(Config.nonEmptyString("GEMINI_API_KEY"))
  const google = yield* Config.option(Config.nonEmptyString("GOOGLE_API_KEY"))
  const baseUrl = yield* Config.option(Config.nonEmptyString("GOOGLE_GEMINI_BASE_URL"))
  return Option.map(
    Option.orElse(gemini, () => google),
    (key) => ({
      apiKey: key,
      ...(Option.isSome(baseUrl) ? { baseUrl: baseUrl.value } : {})
    })
  )
})
