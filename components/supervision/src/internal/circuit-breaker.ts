import { Clock, Effect, Exit, Ref } from "effect"
import { CircuitOpen } from "./errors.js"

/** `threshold`: consecutive failed runs that open the circuit (default 3). `cooldownMs`: see `makeCircuitBreaker`. */
export interface CircuitBreakerOptions {
  readonly threshold?: number | undefined
  readonly cooldownMs?: number | undefined
  readonly name?: string | undefined
}

/** A breaker's state: `closed` admits runs, `open` refuses them, `half-open` has one trial run in flight. */
export interface CircuitState {
  readonly status: "closed" | "open" | "half-open"
  readonly consecutiveFailures: number
  readonly threshold: number
  /** Epoch ms (Effect `Clock`) at which the circuit last opened; `null` while closed. */
  readonly openedAt: number | null
}

/** A circuit breaker over whole runs. */
export interface CircuitBreaker {
  /** Records a finished run: success closes the circuit and clears the count, failure counts (and may open it). */
  readonly recordRunOutcome: (ok: boolean) => Effect.Effect<CircuitState>
  /** Whether new runs are refused now. */
  readonly isOpen: Effect.Effect<boolean>
  /** Closes the circuit and clears the failure count (an operator's decision). */
  readonly reset: Effect.Effect<void>
  /** The current state. */
  readonly state: Effect.Effect<CircuitState>
  /** Admits a new run, or refuses it with `CircuitOpen`. After the cooldown, admits exactly one trial run. */
  readonly admit: Effect.Effect<void, CircuitOpen>
  /**
   * Admits, runs and records the outcome of `run`: a failure or defect counts as a failed run; an interrupted run
   * (stopped from outside) and a refused one are not recorded.
   */
  readonly protect: <A, E, R>(run: Effect.Effect<A, E, R>) => Effect.Effect<A, E | CircuitOpen, R>
}

/**
 * A circuit breaker: opens after `threshold` consecutive failed runs and then refuses new runs with `CircuitOpen`
 * (class `resource`) until `reset`. With `cooldownMs`, an open circuit admits one trial run once that long has
 * passed since it opened (`half-open`): its success closes the circuit, its failure opens it again.
 */
export const makeCircuitBreaker = (options: CircuitBreakerOptions = {}): Effect.Effect<CircuitBreaker> =>
  Effect.gen(function* () {
    const threshold = options.threshold ?? 3
    if (!Number.isInteger(threshold) || threshold < 1)
      return yield* Effect.dieMessage(`circuit breaker threshold must be an integer ≥ 1, got ${threshold}`)
    const name = options.name ?? "runs"
    const closed: CircuitState = { status: "closed", consecutiveFailures: 0, threshold, openedAt: null }
    const ref = yield* Ref.make(closed)
    const cooled = (s: CircuitState, now: number) =>
      s.status === "open" &&
      options.cooldownMs !== undefined &&
      s.openedAt !== null &&
      now - s.openedAt >= options.cooldownMs

    const recordRunOutcome = Effect.fn("CircuitBreaker.recordRunOutcome")(function* (ok: boolean) {
      const now = yield* Clock.currentTimeMillis
      return yield* Ref.updateAndGet(ref, (s): CircuitState => {
        if (ok) return closed
        const consecutiveFailures = s.consecutiveFailures + 1
        if (s.status === "half-open" || consecutiveFailures >= threshold)
          return { status: "open", consecutiveFailures, threshold, openedAt: now }
        return { ...s, consecutiveFailures }
      })
    })
    const admit = Effect.gen(function* () {
      const now = yield* Clock.currentTimeMillis
      const refused = yield* Ref.modify(ref, (s): readonly [CircuitState | null, CircuitState] => {
        if (s.status === "closed") return [null, s]
        if (cooled(s, now)) return [null, { ...s, status: "half-open" }]
        return [s, s]
      })
      if (refused !== null)
        return yield* new CircuitOpen({ name, consecutiveFailures: refused.consecutiveFailures, threshold })
    }).pipe(Effect.withSpan("CircuitBreaker.admit"))
    const isOpen = Effect.gen(function* () {
      const now = yield* Clock.currentTimeMillis
      const s = yield* Ref.get(ref)
      return s.status !== "closed" && !cooled(s, now)
    })
    const protect = <A, E, R>(run: Effect.Effect<A, E, R>): Effect.Effect<A, E | CircuitOpen, R> =>
      Effect.zipRight(
        admit,
        run.pipe(
          Effect.onExit((exit) =>
            Exit.isInterrupted(exit) ? Effect.void : recordRunOutcome(Exit.isSuccess(exit))
          )
        )
      )
    return { recordRunOutcome, isOpen, reset: Ref.set(ref, closed), state: Ref.get(ref), admit, protect }
  })
