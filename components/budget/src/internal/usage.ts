import { Schema } from "effect"

/** A non-negative, finite number (JSON has no NaN or Infinity). */
const NonNegativeFinite = Schema.Finite.pipe(Schema.nonNegative())

/**
 * Limits of one budget scope. An absent dimension is unlimited. `tokens` and `iterations` are whole numbers,
 * `costUsd` is US dollars, `wallMs` is elapsed active milliseconds (paused time does not count).
 */
export const BudgetLimits = Schema.Struct({
  tokens: Schema.optional(Schema.NonNegativeInt),
  costUsd: Schema.optional(NonNegativeFinite),
  wallMs: Schema.optional(NonNegativeFinite),
  iterations: Schema.optional(Schema.NonNegativeInt)
})
/** Limits of one budget scope (absent = unlimited). */
export type BudgetLimits = typeof BudgetLimits.Type

/** An amount in every dimension: tokens, US dollars, active wall milliseconds, iterations. */
export const BudgetUsage = Schema.Struct({
  tokens: Schema.NonNegativeInt,
  costUsd: NonNegativeFinite,
  wallMs: NonNegativeFinite,
  iterations: Schema.NonNegativeInt
})
/** An amount in every dimension. */
export type BudgetUsage = typeof BudgetUsage.Type

/** What is left in a scope, per dimension; `Infinity` where neither the scope nor an ancestor has a limit. */
export interface BudgetRemaining {
  readonly tokens: number
  readonly costUsd: number
  readonly wallMs: number
  readonly iterations: number
}

/** The four budget dimensions, in the order they are checked and reported. */
export const BUDGET_DIMENSIONS = ["tokens", "costUsd", "wallMs", "iterations"] as const

/** One budget dimension. */
export const BudgetDimension = Schema.Literal(...BUDGET_DIMENSIONS)
/** One budget dimension. */
export type BudgetDimension = typeof BudgetDimension.Type

/** Amounts as the state stores them: whole tokens, whole micro-dollars, whole milliseconds, whole iterations. */
export const StoredUsage = Schema.Struct({
  tokens: Schema.NonNegativeInt,
  costMicroUsd: Schema.NonNegativeInt,
  wallMs: Schema.NonNegativeInt,
  iterations: Schema.NonNegativeInt
})
/** Amounts as the state stores them. */
export type StoredUsage = typeof StoredUsage.Type

/** Limits as the state stores them (absent = unlimited). */
export const StoredLimits = Schema.Struct({
  tokens: Schema.optional(Schema.NonNegativeInt),
  costMicroUsd: Schema.optional(Schema.NonNegativeInt),
  wallMs: Schema.optional(Schema.NonNegativeInt),
  iterations: Schema.optional(Schema.NonNegativeInt)
})
/** Limits as the state stores them. */
export type StoredLimits = typeof StoredLimits.Type

/** The stored field of each dimension. */
export const STORED_FIELD = {
  tokens: "tokens",
  costUsd: "costMicroUsd",
  wallMs: "wallMs",
  iterations: "iterations"
} as const satisfies Record<BudgetDimension, keyof StoredUsage>

/** Zero in every dimension. */
export const ZERO_STORED: StoredUsage = { tokens: 0, costMicroUsd: 0, wallMs: 0, iterations: 0 }

/** Removes binary floating-point noise (`0.1 * 3 * 1e6` is `300000.00000000006`) before rounding. */
const denoise = (x: number): number => Number(x.toPrecision(15))

/**
 * Dollars → micro-dollars for a charge (an estimate or an actual): rounded UP to the next whole micro-dollar, so
 * spending is never under-counted.
 */
export const chargeMicroUsd = (usd: number): number => Math.ceil(denoise(usd * 1_000_000))

/** Dollars → micro-dollars for a limit: rounded DOWN, so a limit never allows more than it says. */
export const limitMicroUsd = (usd: number): number => Math.floor(denoise(usd * 1_000_000))

/** Micro-dollars → dollars (exact: the nearest double to the decimal, printed as the decimal). */
export const microUsdToUsd = (micro: number): number => micro / 1_000_000

/** Milliseconds of a charge, rounded up to a whole millisecond. */
export const chargeMs = (ms: number): number => Math.ceil(denoise(ms))

/** Milliseconds of a limit, rounded down to a whole millisecond. */
export const limitMs = (ms: number): number => Math.floor(denoise(ms))

/** A stored amount in caller units (dollars). */
export const toUsage = (stored: StoredUsage): BudgetUsage => ({
  tokens: stored.tokens,
  costUsd: microUsdToUsd(stored.costMicroUsd),
  wallMs: stored.wallMs,
  iterations: stored.iterations
})

/** The sum of two stored amounts. */
export const addStored = (a: StoredUsage, b: StoredUsage): StoredUsage => ({
  tokens: a.tokens + b.tokens,
  costMicroUsd: a.costMicroUsd + b.costMicroUsd,
  wallMs: a.wallMs + b.wallMs,
  iterations: a.iterations + b.iterations
})

/** A stored value of one dimension in caller units. */
export const toCallerUnits = (dimension: BudgetDimension, stored: number): number =>
  dimension === "costUsd" ? microUsdToUsd(stored) : stored
