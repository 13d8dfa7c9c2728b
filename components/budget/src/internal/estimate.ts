import { chargeMicroUsd, microUsdToUsd } from "./usage.js"

/** A model call's size and its prices in US dollars per million tokens. */
export interface CallPricing {
  readonly inputTokens: number
  readonly maxOutputTokens: number
  readonly inputPerMTok: number
  readonly outputPerMTok: number
}

/**
 * The worst-case cost of a call in dollars: `inputTokens × inputPerMTok + maxOutputTokens × outputPerMTok` per
 * million tokens. Computed in micro-dollars (tokens × $/MTok is micro-dollars) and rounded up to a whole
 * micro-dollar, so `0.000001`-exact amounts reach the ledger without float drift.
 */
export const worstCaseCost = (call: CallPricing): number =>
  microUsdToUsd(
    chargeMicroUsd((call.inputTokens * call.inputPerMTok + call.maxOutputTokens * call.outputPerMTok) / 1e6)
  )

/** The worst-case estimate to reserve before a call: all its tokens and `worstCaseCost`. */
export const worstCaseEstimate = (
  call: CallPricing
): { readonly tokens: number; readonly costUsd: number } => ({
  tokens: call.inputTokens + call.maxOutputTokens,
  costUsd: worstCaseCost(call)
})
