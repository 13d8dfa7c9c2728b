import { Deferred, Duration, Effect, Exit, Fiber } from "effect"

/** The signals that ask a process to shut down gracefully. */
export type ShutdownSignal = "SIGTERM" | "SIGINT"

/**
 * Where shutdown signals come from. The base wires the real one
 * (`subscribe: (h) => { const t = () => h("SIGTERM"); process.on("SIGTERM", t); …; return () => process.off(…) }`);
 * tests use `makeManualSignalSource`. `subscribe` returns the function that unsubscribes.
 */
export interface ShutdownSignalSource {
  readonly subscribe: (onSignal: (signal: ShutdownSignal) => void) => () => void
}

/** A signal source driven by hand (tests, embedding hosts): `send` delivers a signal to every subscriber. */
export const makeManualSignalSource = (): ShutdownSignalSource & {
  readonly send: (signal: ShutdownSignal) => void
  readonly subscribers: () => number
} => {
  const handlers = new Set<(signal: ShutdownSignal) => void>()
  return {
    subscribe: (onSignal) => {
      const handler = (signal: ShutdownSignal) => onSignal(signal)
      handlers.add(handler)
      return () => handlers.delete(handler)
    },
    send: (signal) => {
      for (const handler of [...handlers]) handler(signal)
    },
    subscribers: () => handlers.size
  }
}

/** Completes with the first shutdown signal from `source`; unsubscribes when it completes or is interrupted. */
export const onShutdownSignal = (source: ShutdownSignalSource): Effect.Effect<ShutdownSignal> =>
  Effect.async<ShutdownSignal>((resume) => {
    let done = false
    const unsubscribe = source.subscribe((signal) => {
      if (done) return
      done = true
      unsubscribe()
      resume(Effect.succeed(signal))
    })
    return Effect.sync(() => {
      done = true
      unsubscribe()
    })
  })

/** What a supervised program sees of a shutdown: whether one was asked for, and an Effect waiting for it. */
export interface ShutdownRequest {
  /** Completes with the signal once shutdown is requested (stop taking new work then). */
  readonly requested: Effect.Effect<ShutdownSignal>
  /** Whether shutdown has been requested (poll it between units of work). */
  readonly isRequested: Effect.Effect<boolean>
}

/** How a supervised program ended. */
export type ShutdownOutcome<A> =
  | { readonly _tag: "Completed"; readonly value: A }
  | { readonly _tag: "Drained"; readonly signal: ShutdownSignal; readonly value: A }
  | {
      readonly _tag: "Forced"
      readonly signal: ShutdownSignal
      readonly reason: "grace-expired" | "second-signal"
      readonly graceMs: number
    }

/** `run` receives the shutdown request; `graceMs` bounds how long it may drain after the first signal. */
export interface GracefulShutdownOptions<A, E, R> {
  readonly source: ShutdownSignalSource
  readonly graceMs: number
  readonly run: (shutdown: ShutdownRequest) => Effect.Effect<A, E, R>
}

/**
 * Runs a program under graceful shutdown. Without a signal the program runs to its end (`Completed`). On the first
 * SIGTERM/SIGINT the program is told (`shutdown.requested` completes): it stops taking work and lets running nodes
 * checkpoint. If it ends within `graceMs` the outcome is `Drained`; if not, or if a second signal arrives, it is
 * interrupted (finalizers run and are awaited: subprocess groups are killed) and the outcome is `Forced`. A base
 * exits 0 for all three outcomes (the work is checkpointed and resumable); the program's own failure still fails.
 */
export const runWithGracefulShutdown = <A, E, R>(
  options: GracefulShutdownOptions<A, E, R>
): Effect.Effect<ShutdownOutcome<A>, E, R> =>
  Effect.gen(function* () {
    const first = yield* Deferred.make<ShutdownSignal>()
    const second = yield* Deferred.make<ShutdownSignal>()
    let seen = 0
    const subscribe = Effect.acquireRelease(
      Effect.sync(() =>
        options.source.subscribe((signal) => {
          seen++
          Deferred.unsafeDone(seen === 1 ? first : second, Exit.succeed(signal))
        })
      ),
      (unsubscribe) => Effect.sync(unsubscribe)
    )
    return yield* Effect.scoped(
      Effect.gen(function* () {
        yield* subscribe
        const request: ShutdownRequest = {
          requested: Deferred.await(first),
          isRequested: Deferred.isDone(first)
        }
        const fiber = yield* Effect.fork(options.run(request))
        const early = yield* Effect.raceFirst(
          Effect.map(Fiber.join(fiber), (value) => ({ _tag: "Completed", value }) as const),
          Effect.map(Deferred.await(first), (signal) => ({ _tag: "Signal", signal }) as const)
        )
        if (early._tag === "Completed") return early
        const signal = early.signal
        // raceFirst, not race: a program that fails while draining fails the whole, it does not wait for the grace
        const drained = yield* Effect.raceFirst(
          Effect.map(Fiber.join(fiber), (value) => ({ _tag: "Drained", signal, value }) as const),
          Effect.raceFirst(
            Effect.as(Effect.sleep(Duration.millis(options.graceMs)), "grace-expired" as const),
            Effect.as(Deferred.await(second), "second-signal" as const)
          )
        )
        if (typeof drained !== "string") return drained
        yield* Fiber.interrupt(fiber)
        return { _tag: "Forced", signal, reason: drained, graceMs: options.graceMs } as const
      })
    )
  })
