import { digestOf, type Sha256Digest } from "@gauntlet/canonical"
import type { ModelPricing } from "@gauntlet/models"
import type { LlmRequest, LlmUsage } from "./messages.js"

/**
 * The normalized form of a request, what digests and cassettes key on: JSON only (undefined fields dropped), the
 * provider named, `promptTemplateId` kept (it names the stage). Key order does not matter: digests use RFC 8785.
 */
export const normalizeRequest = (provider: string, request: LlmRequest): Record<string, unknown> =>
  JSON.parse(JSON.stringify({ provider, ...request })) as Record<string, unknown>

/** The digest of a normalized request: `sha256:<hex>` of its RFC 8785 JSON. */
export const requestDigestOf = (normalized: Record<string, unknown>): Sha256Digest => digestOf(normalized)

/** Characters per token assumed when estimating prompt tokens: 3, so the estimate errs high (real text is ~4). */
const CHARS_PER_TOKEN = 3
/** Tokens added per message for role markers and separators. */
const PER_MESSAGE_TOKENS = 4

/**
 * A conservative estimate of a request's prompt tokens, before any call: the RFC 8785 JSON of the system text,
 * messages, tools and response format at 3 characters per token, plus 4 per message. It over-estimates real
 * tokenizers so the worst-case reservation is not too small.
 */
export const estimatePromptTokens = (request: LlmRequest): number => {
  // RFC 8785 only reorders keys: its length equals JSON.stringify's, which is much cheaper to compute here.
  const length = JSON.stringify({
    system: request.system,
    messages: request.messages,
    tools: request.tools,
    responseFormat: request.responseFormat
  }).length
  return Math.ceil(length / CHARS_PER_TOKEN) + PER_MESSAGE_TOKENS * (request.messages.length + 1)
}

/**
 * What a call cost in dollars: uncached input at the input price, cached input at the cached price, output at the
 * output price, per million tokens; rounded to whole micro-dollars.
 */
export const costOfUsage = (usage: LlmUsage, pricing: ModelPricing): number => {
  const cached = Math.min(usage.cachedInputTokens ?? 0, usage.inputTokens)
  const micro =
    (usage.inputTokens - cached) * pricing.inputPerMTok +
    cached * pricing.cachedInputPerMTok +
    usage.outputTokens * pricing.outputPerMTok
  return Math.ceil(Number(micro.toPrecision(15))) / 1e6
}
