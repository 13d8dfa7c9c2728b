import { Either, ParseResult, Schema } from "effect"
import { InvalidBudgetRequest } from "./errors.js"
import { RUN_SCOPE, SCOPE_PATTERN, scopeChain } from "./scope.js"
import { type BudgetLimits, limitMicroUsd, limitMs, StoredLimits, StoredUsage, ZERO_STORED } from "./usage.js"

/** A well-formed scope path (`run(/<kind>:<name>)*`). */
export const BudgetScope = Schema.String.pipe(
  Schema.pattern(SCOPE_PATTERN, {
    message: (issue) => `expected a scope path run(/<kind>:<name>)*, got ${JSON.stringify(issue.actual)}`
  })
)

/**
 * One scope's budget: its limits and its committed spending. `transient` marks a `call:` scope created by a
 * reservation: it is dropped once it holds no open reservation (its spending stays in its ancestors).
 */
export const ScopeBudget = Schema.Struct({
  limits: StoredLimits,
  spent: StoredUsage,
  transient: Schema.optional(Schema.Literal(true))
})
/** One scope's budget. */
export type ScopeBudget = typeof ScopeBudget.Type

/** An open reservation: the scope it was made in and its worst-case estimate. */
export const Reservation = Schema.Struct({ scope: BudgetScope, estimate: StoredUsage })
/** An open reservation. */
export type Reservation = typeof Reservation.Type

/**
 * A run's budget as plain JSON, stored in the run's durable checkpoint. Money is whole micro-dollars
 * (`costMicroUsd`), wall time whole milliseconds. Every reservation's scope and every scope's ancestors exist, and
 * `run` exists.
 */
export const BudgetState = Schema.Struct({
  version: Schema.Literal(1),
  scopes: Schema.Record({ key: BudgetScope, value: ScopeBudget }),
  reservations: Schema.Record({ key: Schema.String.pipe(Schema.minLength(1)), value: Reservation })
}).pipe(
  // a member that is not a scope, or not a known field, is an error, never silently dropped
  Schema.annotations({ parseOptions: { onExcessProperty: "error" } }),
  Schema.filter((state) => {
    if (state.scopes[RUN_SCOPE] === undefined)
      return { path: ["scopes"], message: "the run scope is missing" }
    for (const scope of Object.keys(state.scopes)) {
      const missing = scopeChain(scope).find((s) => state.scopes[s] === undefined)
      if (missing !== undefined) return { path: ["scopes", scope], message: `ancestor ${missing} is missing` }
    }
    for (const [id, reservation] of Object.entries(state.reservations)) {
      if (state.scopes[reservation.scope] === undefined)
        return { path: ["reservations", id, "scope"], message: `scope ${reservation.scope} is missing` }
    }
    return true
  })
)
/** A run's budget as plain JSON. */
export type BudgetState = typeof BudgetState.Type

/** A JSON pointer for a schema issue path. */
const pointerOf = (path: ReadonlyArray<PropertyKey>): string =>
  path.map((p) => `/${String(p).replaceAll("~", "~0").replaceAll("/", "~1")}`).join("")

/** The first issue of a parse error as `InvalidBudgetRequest`. */
export const invalidFrom =
  (operation: InvalidBudgetRequest["operation"], prefix = "") =>
  (error: ParseResult.ParseError): InvalidBudgetRequest => {
    const [issue] = ParseResult.ArrayFormatter.formatErrorSync(error)
    return new InvalidBudgetRequest({
      operation,
      pointer: `${prefix}${pointerOf(issue?.path ?? [])}`,
      reason: issue?.message ?? "invalid"
    })
  }

/** Decodes a budget state read back from a checkpoint; the error points at the offending member. */
export const decodeBudgetState = (input: unknown): Either.Either<BudgetState, InvalidBudgetRequest> =>
  Schema.decodeUnknownEither(BudgetState)(input).pipe(Either.mapLeft(invalidFrom("decode")))

/** Limits in caller units → stored units (dollars → micro-dollars rounded down, milliseconds rounded down). */
const storeLimits = (limits: BudgetLimits): StoredLimits => ({
  ...(limits.tokens === undefined ? {} : { tokens: limits.tokens }),
  ...(limits.costUsd === undefined ? {} : { costMicroUsd: limitMicroUsd(limits.costUsd) }),
  ...(limits.wallMs === undefined ? {} : { wallMs: limitMs(limits.wallMs) }),
  ...(limits.iterations === undefined ? {} : { iterations: limits.iterations })
})

/** Input of `makeBudgetState`: the run's limits and, optionally, limits per phase name. */
export interface BudgetPlan {
  readonly run: BudgetLimits
  readonly phases?: Readonly<Record<string, BudgetLimits>> | undefined
}

const BudgetPlanSchema = Schema.Struct({
  run: Schema.Unknown,
  phases: Schema.optional(Schema.Record({ key: Schema.String, value: Schema.Unknown }))
})

/**
 * A fresh budget: `run` with its limits and one `run/phase:<name>` scope per phase, nothing spent or reserved.
 * Like `makeBudgetState` but returns the malformed input (a negative limit, a phase name with `/`) as a value.
 */
export const tryMakeBudgetState = (plan: BudgetPlan): Either.Either<BudgetState, InvalidBudgetRequest> =>
  Either.gen(function* () {
    const decodeLimits = (input: unknown, pointer: string) =>
      Schema.decodeUnknownEither(LimitsStrict)(input).pipe(Either.mapLeft(invalidFrom("make", pointer)))
    const checked = yield* Schema.decodeUnknownEither(BudgetPlanSchema)(plan).pipe(
      Either.mapLeft(invalidFrom("make"))
    )
    const scopes: Record<string, ScopeBudget> = {
      [RUN_SCOPE]: { limits: storeLimits(yield* decodeLimits(checked.run, "/run")), spent: ZERO_STORED }
    }
    for (const [name, limits] of Object.entries(checked.phases ?? {})) {
      const scope = `${RUN_SCOPE}/phase:${name}`
      if (name === "" || name.includes("/"))
        return yield* Either.left(
          new InvalidBudgetRequest({
            operation: "make",
            pointer: pointerOf(["phases", name]),
            reason: "a phase name must be non-empty and contain no '/'"
          })
        )
      scopes[scope] = {
        limits: storeLimits(yield* decodeLimits(limits, pointerOf(["phases", name]))),
        spent: ZERO_STORED
      }
    }
    return { version: 1 as const, scopes, reservations: {} }
  })

/** Limits with unknown members refused (a typo such as `costUSD` must not silently mean "unlimited"). */
const LimitsStrict = Schema.Struct({
  tokens: Schema.optional(Schema.NonNegativeInt),
  costUsd: Schema.optional(Schema.Finite.pipe(Schema.nonNegative())),
  wallMs: Schema.optional(Schema.Finite.pipe(Schema.nonNegative())),
  iterations: Schema.optional(Schema.NonNegativeInt)
}).annotations({ parseOptions: { onExcessProperty: "error" } })

/**
 * A fresh budget: `run` with its limits and one `run/phase:<name>` scope per phase, nothing spent or reserved.
 * Limits normally come from a decoded workflow definition; malformed limits are a caller bug and throw
 * `InvalidBudgetRequest` (use `tryMakeBudgetState` for untrusted input).
 */
export const makeBudgetState = (plan: BudgetPlan): BudgetState =>
  Either.getOrThrowWith(tryMakeBudgetState(plan), (error) => error)
