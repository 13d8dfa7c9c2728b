import { Schema } from "effect"

/**
 * A provider the user configured, and how: `via` names the environment variable or config key that configured it
 * (never its value), `baseUrl` the endpoint when one was given (local servers, proxies).
 */
export const ConfiguredProvider = Schema.Struct({
  id: Schema.String.pipe(Schema.minLength(1)),
  via: Schema.String.pipe(Schema.minLength(1)),
  baseUrl: Schema.optional(Schema.String)
}).annotations({ identifier: "ConfiguredProvider" })
/** A provider the user configured, and how. */
export type ConfiguredProvider = typeof ConfiguredProvider.Type

/** How each known provider is configured from the environment: the key variables, then the base-URL variables. */
export const PROVIDER_ENV = {
  anthropic: { keys: ["ANTHROPIC_API_KEY"], baseUrls: ["ANTHROPIC_BASE_URL"] },
  openai: { keys: ["OPENAI_API_KEY"], baseUrls: ["OPENAI_BASE_URL"] },
  google: { keys: ["GEMINI_API_KEY", "GOOGLE_API_KEY"], baseUrls: ["GOOGLE_GEMINI_BASE_URL"] },
  local: { keys: [], baseUrls: ["GAUNTLET_LOCAL_BASE_URL", "OLLAMA_HOST"] }
} as const satisfies Record<string, { keys: ReadonlyArray<string>; baseUrls: ReadonlyArray<string> }>

const present = (value: string | undefined): value is string => value !== undefined && value.trim() !== ""

/**
 * The providers the environment configures. A hosted provider needs its key (a base URL alone only redirects it);
 * a local OpenAI-compatible server needs its base URL. Values are read, never stored: only variable names are kept.
 */
export const providersFromEnv = (
  env: Readonly<Record<string, string | undefined>>
): ReadonlyArray<ConfiguredProvider> => {
  const configured: Array<ConfiguredProvider> = []
  for (const [id, spec] of Object.entries(PROVIDER_ENV)) {
    const baseUrlVar = spec.baseUrls.find((name) => present(env[name]))
    const baseUrl = baseUrlVar === undefined ? {} : { baseUrl: env[baseUrlVar] as string }
    if (spec.keys.length === 0) {
      if (baseUrlVar !== undefined) configured.push({ id, via: baseUrlVar, ...baseUrl })
      continue
    }
    const keyVar = spec.keys.find((name) => present(env[name]))
    if (keyVar !== undefined) configured.push({ id, via: keyVar, ...baseUrl })
  }
  return configured
}

/** What to set to configure a provider, for messages (`set ANTHROPIC_API_KEY`). */
export const howToConfigure = (provider: string): string => {
  const spec = (
    PROVIDER_ENV as Record<string, { keys: ReadonlyArray<string>; baseUrls: ReadonlyArray<string> }>
  )[provider]
  if (spec === undefined) return `register a ${provider} provider`
  return spec.keys.length > 0 ? `set ${spec.keys.join(" or ")}` : `set ${spec.baseUrls.join(" or ")}`
}
