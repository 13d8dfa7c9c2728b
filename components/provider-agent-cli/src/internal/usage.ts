import { Schema } from "effect"

const Tokens = Schema.Int.pipe(Schema.nonNegative())

/** Tokens an agent-CLI run consumed: every prompt token (cached included), output tokens, the cached part. */
export const AgentCliUsage = Schema.Struct({
  inputTokens: Tokens,
  outputTokens: Tokens,
  cachedInputTokens: Tokens
}).annotations({ identifier: "AgentCliUsage" })
/** Tokens an agent-CLI run consumed. */
export type AgentCliUsage = typeof AgentCliUsage.Type

/** Prices in USD per million tokens (the model registry's prices); cached input defaults to the input price. */
export interface TokenPricing {
  readonly inputPerMTok: number
  readonly outputPerMTok: number
  readonly cachedInputPerMTok?: number
}

/** Caps of one run: total tokens (input + output) and cost in USD. A cost cap needs `pricing`. */
export interface AgentCliBudget {
  readonly maxTokens?: number
  readonly maxCostUsd?: number
}

/** No usage yet. */
export const ZERO_USAGE: AgentCliUsage = { inputTokens: 0, outputTokens: 0, cachedInputTokens: 0 }

/** The cost of a usage at these prices, in USD: uncached input, cached input and output at their own prices. */
export const costOf = (usage: AgentCliUsage, pricing: TokenPricing): number => {
  const cached = Math.min(usage.cachedInputTokens, usage.inputTokens)
  const uncached = usage.inputTokens - cached
  return (
    (uncached * pricing.inputPerMTok +
      cached * (pricing.cachedInputPerMTok ?? pricing.inputPerMTok) +
      usage.outputTokens * pricing.outputPerMTok) /
    1_000_000
  )
}

/** Which cap a usage passed, as a sentence; `undefined` while within the budget. */
export const budgetBreachOf = (
  usage: AgentCliUsage,
  costUsd: number | undefined,
  budget: AgentCliBudget
): string | undefined => {
  const tokens = usage.inputTokens + usage.outputTokens
  if (budget.maxTokens !== undefined && tokens > budget.maxTokens) {
    return `${tokens} tokens used, over the cap of ${budget.maxTokens}`
  }
  if (budget.maxCostUsd !== undefined && costUsd !== undefined && costUsd > budget.maxCostUsd) {
    return `$${costUsd.toFixed(6)} spent, over the cap of $${budget.maxCostUsd}`
  }
  return undefined
}
