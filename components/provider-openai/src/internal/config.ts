import { Config, Effect, Option } from "effect"
import type { ConfigError } from "effect/ConfigError"

/** The provider id the model catalog uses for OpenAI models. */
export const OPENAI_PROVIDER_ID = "openai"
/** The provider id the model catalog uses for local OpenAI-compatible servers (Ollama, vLLM, llama.cpp). */
export const LOCAL_PROVIDER_ID = "local"

/** Which request field bounds the answer: OpenAI's `max_completion_tokens`, or `max_tokens` for older servers. */
export type MaxTokensField = "max_completion_tokens" | "max_tokens"

/**
 * How to reach a Chat Completions API. `baseUrl` includes the version path (`https://api.openai.com/v1`,
 * `http://localhost:11434/v1` for Ollama, `http://localhost:8000/v1` for vLLM, `http://localhost:8080/v1` for
 * llama.cpp); `apiKey` may be any placeholder for local servers that ignore it. `maxTokensField` defaults to
 * `max_completion_tokens` for OpenAI and `max_tokens` for any other base URL. `providerId` defaults to `openai`
 * (use `local` for a local server).
 */
export interface OpenAiProviderConfig {
  readonly apiKey: string
  readonly baseUrl?: string
  readonly timeoutMs?: number
  readonly providerId?: string
  readonly organization?: string
  readonly maxTokensField?: MaxTokensField
  readonly headers?: Readonly<Record<string, string>>
}

/** The key local servers get when none is configured: they ignore it, the SDK requires one. */
export const LOCAL_PLACEHOLDER_KEY = "local-no-key"

/**
 * OpenAI from the environment: `OPENAI_API_KEY` (required), `OPENAI_BASE_URL` (optional, e.g. an Azure-compatible
 * or proxy endpoint), `OPENAI_ORG_ID` (optional). `None` when no key is set.
 */
export const openAiConfigFromEnv: Effect.Effect<
  Option.Option<OpenAiProviderConfig>,
  ConfigError
> = Effect.gen(function* () {
  const apiKey = yield* Config.option(Config.nonEmptyString("OPENAI_API_KEY"))
  const baseUrl = yield* Config.option(Config.nonEmptyString("OPENAI_BASE_URL"))
  const organization = yield* Config.option(Config.nonEmptyString("OPENAI_ORG_ID"))
  return Option.map(apiKey, (key) => ({
    apiKey: key,
    ...(Option.isSome(baseUrl) ? { baseUrl: baseUrl.value } : {}),
    ...(Option.isSome(organization) ? { organization: organization.value } : {})
  }))
})

/**
 * The OpenAI-compatible endpoint of an `OLLAMA_HOST` value (`host:port`, `http(s)://host:port`, a bind address such
 * as `0.0.0.0:11434`): scheme `http` when none is given, a wildcard bind address reached on 127.0.0.1, path `/v1`.
 */
export const ollamaBaseUrlOf = (ollamaHost: string): string => {
  const trimmed = ollamaHost.trim().replace(/\/+$/, "")
  const withScheme = /^[a-z][a-z0-9+.-]*:\/\//i.test(trimmed) ? trimmed : `http://${trimmed}`
  const url = new URL(withScheme)
  if (url.hostname === "0.0.0.0" || url.hostname === "[::]") url.hostname = "127.0.0.1"
  if (url.port === "" && !/:\d+$/.test(trimmed)) url.port = "11434"
  return `${url.origin}/v1`
}

/**
 * A local OpenAI-compatible server from the environment (spec N7-R3): `GAUNTLET_LOCAL_BASE_URL` (e.g.
 * `http://localhost:8000/v1` for vLLM), else `OLLAMA_HOST` (Ollama's own variable, `host:port`; its `/v1` endpoint
 * is used), and `GAUNTLET_LOCAL_API_KEY` (optional). Its provider id is `local`. `None` when neither is set.
 */
export const localConfigFromEnv: Effect.Effect<Option.Option<OpenAiProviderConfig>, ConfigError> = Effect.gen(
  function* () {
    const baseUrl = yield* Config.option(Config.nonEmptyString("GAUNTLET_LOCAL_BASE_URL"))
    const ollamaHost = yield* Config.option(Config.nonEmptyString("OLLAMA_HOST"))
    const apiKey = yield* Config.option(Config.nonEmptyString("GAUNTLET_LOCAL_API_KEY"))
    const url = Option.orElse(baseUrl, () => Option.map(ollamaHost, ollamaBaseUrlOf))
    return Option.map(url, (resolved) => ({
      apiKey: Option.getOrElse(apiKey, () => LOCAL_PLACEHOLDER_KEY),
      baseUrl: resolved,
      providerId: LOCAL_PROVIDER_ID
    }))
  }
)
