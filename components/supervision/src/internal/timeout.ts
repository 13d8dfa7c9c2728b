import { Duration, Effect } from "effect"
import { dual } from "effect/Function"
import { TimedOut } from "./errors.js"

/**
 * Bounds `effect` to `ms` milliseconds: on expiry it is interrupted (its finalizers run and are awaited — a
 * subprocess started with `spawnInGroup` is killed) and the result fails with `TimedOut { what, ms }` (class
 * `timeout`). Data-first `withTimeout(effect, ms, what)` or piped `effect.pipe(withTimeout(ms, what))`.
 */
export const withTimeout: {
  (ms: number, what: string): <A, E, R>(effect: Effect.Effect<A, E, R>) => Effect.Effect<A, E | TimedOut, R>
  <A, E, R>(effect: Effect.Effect<A, E, R>, ms: number, what: string): Effect.Effect<A, E | TimedOut, R>
} = dual(
  3,
  <A, E, R>(effect: Effect.Effect<A, E, R>, ms: number, what: string): Effect.Effect<A, E | TimedOut, R> =>
    Effect.timeoutFail(effect, {
      duration: Duration.millis(ms),
      onTimeout: () => new TimedOut({ what, ms })
    })
)
