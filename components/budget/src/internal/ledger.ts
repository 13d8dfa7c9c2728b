import { Either, Schema } from "effect"
import { BudgetExhausted, InvalidBudgetRequest } from "./errors.js"
import { isBudgetScope, isWithin, RUN_SCOPE, scopeChain, scopeKind } from "./scope.js"
import { type BudgetState, invalidFrom, type Reservation, type ScopeBudget } from "./state.js"
import {
  addStored,
  BUDGET_DIMENSIONS,
  type BudgetRemaining,
  type BudgetUsage,
  chargeMicroUsd,
  chargeMs,
  microUsdToUsd,
  STORED_FIELD,
  type StoredUsage,
  toCallerUnits,
  toUsage,
  ZERO_STORED
} from "./usage.js"

/** A request to reserve a worst-case `estimate` in `scope` under reservation `id` (unique among open ones). */
export interface ReserveRequest {
  readonly scope: string
  readonly id: string
  readonly estimate: Partial<BudgetUsage>
}

/**
 * A request to record what was actually spent. With the `id` of an open reservation: the reservation is closed and
 * `actual` is charged to its scope. Without one (or with an id that is not open): `actual` is charged to `scope`,
 * default `run` — spending that happened is always recorded. This is how the engine reports active wall time.
 */
export interface CommitRequest {
  readonly id?: string | undefined
  readonly scope?: string | undefined
  readonly actual: Partial<BudgetUsage>
}

const Amounts = Schema.Struct({
  tokens: Schema.optional(Schema.NonNegativeInt),
  costUsd: Schema.optional(Schema.Finite.pipe(Schema.nonNegative())),
  wallMs: Schema.optional(Schema.Finite.pipe(Schema.nonNegative())),
  iterations: Schema.optional(Schema.NonNegativeInt)
}).annotations({ parseOptions: { onExcessProperty: "error" } })

/** Caller amounts → stored amounts (charges: dollars and milliseconds rounded up). */
const storeCharge = (
  operation: "reserve" | "commit",
  pointer: string,
  input: unknown
): Either.Either<StoredUsage, InvalidBudgetRequest> =>
  Schema.decodeUnknownEither(Amounts)(input).pipe(
    Either.mapLeft(invalidFrom(operation, pointer)),
    Either.map((a) => ({
      tokens: a.tokens ?? 0,
      costMicroUsd: chargeMicroUsd(a.costUsd ?? 0),
      wallMs: chargeMs(a.wallMs ?? 0),
      iterations: a.iterations ?? 0
    }))
  )

const checkScope = (operation: "reserve" | "commit", scope: unknown) =>
  typeof scope === "string" && isBudgetScope(scope)
    ? Either.right(scope)
    : Either.left(
        new InvalidBudgetRequest({
          operation,
          pointer: "/scope",
          reason: `expected a scope path run(/<kind>:<name>)*, got ${JSON.stringify(scope)}`
        })
      )

/** The sum of the open reservations at or below `scope`. */
const reservedIn = (state: BudgetState, scope: string): StoredUsage =>
  Object.values(state.reservations).reduce<StoredUsage>(
    (sum, r) => (isWithin(r.scope, scope) ? addStored(sum, r.estimate) : sum),
    ZERO_STORED
  )

/**
 * The state with `scope` and its ancestors present: a missing scope is created unlimited; it is transient when it
 * is a `call:` scope or lies below a transient scope (so no persistent scope ever hangs below a transient one).
 */
const withChain = (state: BudgetState, scope: string): Record<string, ScopeBudget> => {
  const scopes: Record<string, ScopeBudget> = { ...state.scopes }
  let parentTransient = false
  for (const s of scopeChain(scope)) {
    const existing = scopes[s]
    if (existing === undefined) {
      const transient: boolean = parentTransient || scopeKind(s) === "call"
      scopes[s] = transient
        ? { limits: {}, spent: ZERO_STORED, transient: true }
        : { limits: {}, spent: ZERO_STORED }
      parentTransient = transient
    } else parentTransient = existing.transient === true
  }
  return scopes
}

/** Drops transient scopes that hold no open reservation, at them or below them. */
const pruned = (scopes: Record<string, ScopeBudget>, reservations: BudgetState["reservations"]) => {
  const held = new Set(Object.values(reservations).flatMap((r) => scopeChain(r.scope)))
  return Object.fromEntries(Object.entries(scopes).filter(([s, b]) => b.transient !== true || held.has(s)))
}

/**
 * Reserves a worst-case estimate. Checks it against what is left in the scope AND every ancestor (outermost first,
 * dimensions in the order tokens, costUsd, wallMs, iterations; the first shortfall is reported). A dimension is
 * short when `spent + reserved + requested > limit`, or when `spent + reserved` already reached the limit (an
 * exhausted dimension refuses even a request for none of it). On refusal nothing changes. Scopes not in the state
 * are created unlimited.
 */
export const reserve = (
  state: BudgetState,
  request: ReserveRequest
): Either.Either<BudgetState, BudgetExhausted | InvalidBudgetRequest> =>
  Either.gen(function* () {
    const scope = yield* checkScope("reserve", request.scope)
    if (typeof request.id !== "string" || request.id === "")
      return yield* Either.left(
        new InvalidBudgetRequest({
          operation: "reserve",
          pointer: "/id",
          reason: "expected a non-empty string"
        })
      )
    if (state.reservations[request.id] !== undefined)
      return yield* Either.left(
        new InvalidBudgetRequest({
          operation: "reserve",
          pointer: "/id",
          reason: `reservation ${request.id} is already open (in ${state.reservations[request.id]?.scope})`
        })
      )
    const estimate = yield* storeCharge("reserve", "/estimate", request.estimate)
    for (const s of scopeChain(scope)) {
      const budget = state.scopes[s]
      if (budget === undefined) continue
      const reserved = reservedIn(state, s)
      for (const dimension of BUDGET_DIMENSIONS) {
        const field = STORED_FIELD[dimension]
        const limit = budget.limits[field]
        if (limit === undefined) continue
        const used = budget.spent[field] + reserved[field]
        if (used + estimate[field] > limit || used >= limit)
          return yield* Either.left(
            new BudgetExhausted({
              scope: s,
              dimension,
              limit: toCallerUnits(dimension, limit),
              spent: toCallerUnits(dimension, budget.spent[field]),
              reserved: toCallerUnits(dimension, reserved[field]),
              requested: toCallerUnits(dimension, estimate[field])
            })
          )
      }
    }
    const reservation: Reservation = { scope, estimate }
    return {
      version: 1 as const,
      scopes: withChain(state, scope),
      reservations: { ...state.reservations, [request.id]: reservation }
    }
  })

/** Like `commit`, returning a malformed request (bad scope or amounts) as a value instead of throwing it. */
export const tryCommit = (
  state: BudgetState,
  request: CommitRequest
): Either.Either<BudgetState, InvalidBudgetRequest> =>
  Either.gen(function* () {
    const actual = yield* storeCharge("commit", "/actual", request.actual)
    const open = request.id === undefined ? undefined : state.reservations[request.id]
    if (open !== undefined && request.scope !== undefined && request.scope !== open.scope)
      return yield* Either.left(
        new InvalidBudgetRequest({
          operation: "commit",
          pointer: "/scope",
          reason: `reservation ${request.id} was made in ${open.scope}, not ${request.scope}`
        })
      )
    const scope = open?.scope ?? (yield* checkScope("commit", request.scope ?? RUN_SCOPE))
    const reservations = { ...state.reservations }
    if (open !== undefined && request.id !== undefined) delete reservations[request.id]
    const scopes = withChain(state, scope)
    for (const s of scopeChain(scope)) {
      const budget = scopes[s]
      if (budget !== undefined) scopes[s] = { ...budget, spent: addStored(budget.spent, actual) }
    }
    return { version: 1 as const, scopes: pruned(scopes, reservations), reservations }
  })

/**
 * Records what was actually spent (see `CommitRequest`): closes the reservation and adds `actual` to its scope and
 * every ancestor. `actual` may exceed the estimate: it is recorded in full, and the next reservation in an
 * overspent dimension is refused. A malformed request is a caller bug and throws `InvalidBudgetRequest`; use
 * `tryCommit` for untrusted input.
 */
export const commit = (state: BudgetState, request: CommitRequest): BudgetState =>
  Either.getOrThrowWith(tryCommit(state, request), (error) => error)

/** Closes a reservation without charging it (the call failed before anything was spent). Unknown ids: no change. */
export const release = (state: BudgetState, id: string): BudgetState => {
  if (state.reservations[id] === undefined) return state
  const reservations = { ...state.reservations }
  delete reservations[id]
  return { version: 1, scopes: pruned({ ...state.scopes }, reservations), reservations }
}

/**
 * Charges every open reservation at its estimate and closes it. On resume, a reservation still open in the
 * checkpoint belongs to a call whose outcome was never recorded: it may have been paid for, so the worst case is
 * charged (budgets never under-count).
 */
export const chargeOpenReservations = (state: BudgetState): BudgetState =>
  Object.entries(state.reservations).reduce(
    (s, [id, r]) => commit(s, { id, actual: toUsage(r.estimate) }),
    state
  )

/** The committed spending of a scope (including its descendants'); zero for a scope not in the state. */
export const spentOf = (state: BudgetState, scope: string): BudgetUsage =>
  toUsage(state.scopes[scope]?.spent ?? ZERO_STORED)

/** What open reservations at or below the scope hold. */
export const reservedOf = (state: BudgetState, scope: string): BudgetUsage =>
  toUsage(reservedIn(state, scope))

/**
 * What can still be reserved in a scope: per dimension the least, over the scope and its ancestors, of
 * `limit - spent - reserved` (never below 0); `Infinity` where none of them has a limit. Scopes not in the state
 * add no limit.
 */
export const remaining = (state: BudgetState, scope: string): BudgetRemaining => {
  const left: Record<(typeof BUDGET_DIMENSIONS)[number], number> = {
    tokens: Number.POSITIVE_INFINITY,
    costUsd: Number.POSITIVE_INFINITY,
    wallMs: Number.POSITIVE_INFINITY,
    iterations: Number.POSITIVE_INFINITY
  }
  for (const s of scopeChain(scope)) {
    const budget = state.scopes[s]
    if (budget === undefined) continue
    const reserved = reservedIn(state, s)
    for (const dimension of BUDGET_DIMENSIONS) {
      const field = STORED_FIELD[dimension]
      const limit = budget.limits[field]
      if (limit === undefined) continue
      const stored = Math.max(0, limit - budget.spent[field] - reserved[field])
      left[dimension] = Math.min(left[dimension], dimension === "costUsd" ? microUsdToUsd(stored) : stored)
    }
  }
  return left
}

/** The open reservations, by id. */
export const openReservations = (state: BudgetState): ReadonlyArray<{ readonly id: string } & Reservation> =>
  Object.entries(state.reservations).map(([id, r]) => ({ id, ...r }))
