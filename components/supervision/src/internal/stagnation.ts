import { Clock, Duration, Effect, Ref } from "effect"

/**
 * `sameFingerprintLimit`: how many consecutive failures with one fingerprint mean the node is stuck (≥ 1).
 * `progressWindowMs`: how long a node may go without progress or a heartbeat.
 */
export interface StagnationOptions {
  readonly sameFingerprintLimit: number
  readonly progressWindowMs: number
}

/** The verdict of a check. */
export type StagnationCheck =
  | { readonly stagnant: false }
  | {
      readonly stagnant: true
      readonly reason: "repeated-failure"
      readonly detail: string
      readonly fingerprint: string
      readonly count: number
    }
  | {
      readonly stagnant: true
      readonly reason: "no-progress"
      readonly detail: string
      readonly idleMs: number
      readonly lastActivityAt: number
    }

/** A stagnation detector for one node (or one phase's inner loop). */
export interface StagnationDetector {
  /** A failed attempt with this fingerprint (`fingerprintOf` from @gauntlet/failure). */
  readonly failure: (fingerprint: string) => Effect.Effect<void>
  /** The node produced something new (an attempt's output, a passed gate, a changed artifact): clears the counts. */
  readonly progress: () => Effect.Effect<void>
  /**
   * The node is alive but busy (it waits on a long subprocess that is still running). Renews the progress window;
   * does not clear repeated failures.
   */
  readonly heartbeat: () => Effect.Effect<void>
  /** Checks at `nowMs` (default: the Effect `Clock`). Repeated failure is checked before lack of progress. */
  readonly check: (nowMs?: number) => Effect.Effect<StagnationCheck>
}

interface Tracking {
  readonly lastFingerprint: string | null
  readonly repeats: number
  readonly lastActivityAt: number
}

/**
 * A stagnation detector. A node is stagnant when its last `sameFingerprintLimit` failures share one fingerprint
 * with no progress in between (`repeated-failure`), or when more than `progressWindowMs` passed since its last
 * progress or heartbeat (`no-progress`; the window starts when the detector is made). A node waiting on a long
 * subprocess sends heartbeats and is therefore never mistaken for a stuck one.
 */
export const makeStagnationDetector = (options: StagnationOptions): Effect.Effect<StagnationDetector> =>
  Effect.gen(function* () {
    if (!Number.isInteger(options.sameFingerprintLimit) || options.sameFingerprintLimit < 1)
      return yield* Effect.dieMessage(
        `sameFingerprintLimit must be an integer ≥ 1, got ${options.sameFingerprintLimit}`
      )
    if (!(options.progressWindowMs > 0))
      return yield* Effect.dieMessage(`progressWindowMs must be > 0, got ${options.progressWindowMs}`)
    const ref = yield* Ref.make<Tracking>({
      lastFingerprint: null,
      repeats: 0,
      lastActivityAt: yield* Clock.currentTimeMillis
    })
    const failure = (fingerprint: string) =>
      Ref.update(ref, (t) =>
        t.lastFingerprint === fingerprint
          ? { ...t, repeats: t.repeats + 1 }
          : { ...t, lastFingerprint: fingerprint, repeats: 1 }
      )
    const progress = () =>
      Effect.flatMap(Clock.currentTimeMillis, (now) =>
        Ref.set(ref, { lastFingerprint: null, repeats: 0, lastActivityAt: now })
      )
    const heartbeat = () =>
      Effect.flatMap(Clock.currentTimeMillis, (now) =>
        Ref.update(ref, (t) => ({ ...t, lastActivityAt: Math.max(t.lastActivityAt, now) }))
      )
    const check = (nowMs?: number) =>
      Effect.gen(function* () {
        const now = nowMs ?? (yield* Clock.currentTimeMillis)
        const t = yield* Ref.get(ref)
        if (t.lastFingerprint !== null && t.repeats >= options.sameFingerprintLimit)
          return {
            stagnant: true,
            reason: "repeated-failure",
            detail: `the same failure (${t.lastFingerprint}) occurred ${t.repeats} times in a row without progress`,
            fingerprint: t.lastFingerprint,
            count: t.repeats
          } as const
        const idleMs = now - t.lastActivityAt
        if (idleMs > options.progressWindowMs)
          return {
            stagnant: true,
            reason: "no-progress",
            detail: `no progress or heartbeat for ${idleMs} ms (window ${options.progressWindowMs} ms)`,
            idleMs,
            lastActivityAt: t.lastActivityAt
          } as const
        return { stagnant: false } as const
      })
    return { failure, progress, heartbeat, check }
  })

/**
 * Runs `effect` (a node's wait on a long subprocess) while sending `detector.heartbeat()` every `everyMs`, so the
 * node is not mistaken for a stuck one. The heartbeats stop as soon as the effect ends, fails or is interrupted.
 */
export const withHeartbeats = <A, E, R>(
  effect: Effect.Effect<A, E, R>,
  detector: Pick<StagnationDetector, "heartbeat">,
  everyMs: number
): Effect.Effect<A, E, R> =>
  Effect.raceFirst(
    effect,
    Effect.forever(Effect.zipRight(Effect.sleep(Duration.millis(everyMs)), detector.heartbeat()))
  )
