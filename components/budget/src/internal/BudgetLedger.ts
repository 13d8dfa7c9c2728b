import { Context, Effect, Either, Exit, Layer, Ref } from "effect"
import type { BudgetExhausted, InvalidBudgetRequest } from "./errors.js"
import {
  type CommitRequest,
  type ReserveRequest,
  release as releaseState,
  remaining as remainingOf,
  reserve as reserveState,
  tryCommit
} from "./ledger.js"
import type { BudgetState } from "./state.js"
import type { BudgetRemaining, BudgetUsage } from "./usage.js"

/** The operations of a run's budget ledger; every update is atomic (one `Ref.modify`). */
export interface BudgetLedgerShape {
  /** Reserves a worst-case estimate (see `reserve`); on refusal nothing changes. Returns the new state. */
  readonly reserve: (
    request: ReserveRequest
  ) => Effect.Effect<BudgetState, BudgetExhausted | InvalidBudgetRequest>
  /** Records actual spending (see `commit`). Returns the new state. */
  readonly commit: (request: CommitRequest) => Effect.Effect<BudgetState, InvalidBudgetRequest>
  /** Closes a reservation without charging it. Returns the new state. */
  readonly release: (id: string) => Effect.Effect<BudgetState>
  /** What is left in a scope (see `remaining`). */
  readonly remaining: (scope: string) => Effect.Effect<BudgetRemaining>
  /**
   * Runs `effect` under a reservation: reserves `request`, runs it, commits `actualOf(result)` on success and
   * releases the reservation on failure or interruption. The effect never starts if the reservation is refused.
   */
  readonly metered: <A, E, R>(
    request: ReserveRequest,
    effect: Effect.Effect<A, E, R>,
    actualOf: (result: A) => Partial<BudgetUsage>
  ) => Effect.Effect<A, E | BudgetExhausted | InvalidBudgetRequest, R>
  /** The current state (plain JSON, to store in the run's checkpoint). */
  readonly snapshot: Effect.Effect<BudgetState>
}

const makeLedger = (initial: BudgetState): Effect.Effect<BudgetLedgerShape> =>
  Effect.gen(function* () {
    const ref = yield* Ref.make(initial)
    const reserve = Effect.fn("BudgetLedger.reserve")(function* (request: ReserveRequest) {
      const result = yield* Ref.modify(ref, (state) => {
        const next = reserveState(state, request)
        return [next, Either.getOrElse(next, () => state)] as const
      })
      return yield* result
    })
    const commit = Effect.fn("BudgetLedger.commit")(function* (request: CommitRequest) {
      const result = yield* Ref.modify(ref, (state) => {
        const next = tryCommit(state, request)
        return [next, Either.getOrElse(next, () => state)] as const
      })
      return yield* result
    })
    const release = Effect.fn("BudgetLedger.release")(function* (id: string) {
      return yield* Ref.updateAndGet(ref, (state) => releaseState(state, id))
    })
    const remaining = Effect.fn("BudgetLedger.remaining")(function* (scope: string) {
      return remainingOf(yield* Ref.get(ref), scope)
    })
    const metered = <A, E, R>(
      request: ReserveRequest,
      effect: Effect.Effect<A, E, R>,
      actualOf: (result: A) => Partial<BudgetUsage>
    ): Effect.Effect<A, E | BudgetExhausted | InvalidBudgetRequest, R> =>
      Effect.uninterruptibleMask((restore) =>
        Effect.gen(function* () {
          yield* reserve(request)
          const exit = yield* Effect.exit(restore(effect))
          if (Exit.isFailure(exit)) {
            yield* release(request.id)
            return yield* exit
          }
          yield* commit({ id: request.id, actual: actualOf(exit.value) })
          return exit.value
        })
      ).pipe(Effect.withSpan("BudgetLedger.metered"))
    return { reserve, commit, release, remaining, metered, snapshot: Ref.get(ref) }
  })

/**
 * A run's budget ledger: an atomic, Ref-backed wrapper over the pure budget functions. The engine builds one per run
 * from the checkpointed state (`BudgetLedger.make(state)`) and stores `snapshot` back with each checkpoint.
 */
export class BudgetLedger extends Context.Tag("@gauntlet/budget/BudgetLedger")<
  BudgetLedger,
  BudgetLedgerShape
>() {
  /** A ledger starting from `initial` (a fresh `makeBudgetState(...)` or the state decoded from a checkpoint). */
  static readonly make = makeLedger
  /** A layer providing a ledger starting from `initial`. */
  static readonly layer = (initial: BudgetState): Layer.Layer<BudgetLedger> =>
    Layer.effect(BudgetLedger, makeLedger(initial))
}
