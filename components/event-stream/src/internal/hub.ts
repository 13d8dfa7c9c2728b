import type { Scope } from "effect"
import { Chunk, Effect, Option, Stream } from "effect"
import type { SubscribeFilter } from "./EventLog.js"
import type { LiveItem, RunEvent, StreamOverflow } from "./envelope.js"

/** Default per-subscriber buffer (events) when the filter gives no `bufferSize`. */
export const DEFAULT_LIVE_BUFFER = 1000

/** In-process fan-out of appended events to live subscribers (what `EventLog.subscribe` is built on). */
export interface LiveHub {
  /** Offers stored events to every subscriber whose filter matches; never blocks (slow subscribers drop oldest). */
  readonly publish: (events: ReadonlyArray<RunEvent>) => Effect.Effect<void>
  /**
   * Subscribes from now on; the subscription ends (and its stream completes) when the scope closes. The stream is
   * the subscription's single consumer: run it once (subscribe again for another consumer).
   */
  readonly subscribe: (filter?: SubscribeFilter) => Effect.Effect<Stream.Stream<LiveItem>, never, Scope.Scope>
  /** How many subscriptions are open. */
  readonly subscriberCount: Effect.Effect<number>
}

interface Subscriber {
  readonly accepts: (event: RunEvent) => boolean
  readonly ring: Array<RunEvent | undefined>
  start: number
  size: number
  dropped: number
  firstDropped: StreamOverflow["firstDropped"] | undefined
  closed: boolean
  wake: (() => void) | undefined
}

/** True when a live item is an overflow notice rather than a stored event (notices have no seq). */
export const isStreamOverflow = (item: LiveItem): item is StreamOverflow => !("seq" in item)

/** A filter predicate: by run, and by exact type or `domain/*` prefix (every type when none are given). */
export const matchesFilter = (filter: SubscribeFilter | undefined): ((event: RunEvent) => boolean) => {
  const runId = filter?.runId
  const exact = new Set<string>()
  const prefixes: Array<string> = []
  for (const type of filter?.types ?? []) {
    if (type.endsWith("/*")) prefixes.push(type.slice(0, -1))
    else exact.add(type)
  }
  const everyType = exact.size === 0 && prefixes.length === 0
  return (event) => {
    if (runId !== undefined && event.runId !== runId) return false
    if (everyType || exact.has(event.type)) return true
    for (const prefix of prefixes) if (event.type.startsWith(prefix)) return true
    return false
  }
}

const offer = (sub: Subscriber, event: RunEvent): void => {
  const capacity = sub.ring.length
  if (sub.size === capacity) {
    const oldest = sub.ring[sub.start]!
    if (sub.dropped === 0) sub.firstDropped = { runId: oldest.runId, seq: oldest.seq }
    sub.dropped += 1
    sub.start = (sub.start + 1) % capacity
    sub.size -= 1
  }
  sub.ring[(sub.start + sub.size) % capacity] = event
  sub.size += 1
}

/** Everything buffered, preceded by one overflow notice when events were dropped since the last drain. */
const drain = (sub: Subscriber): Chunk.Chunk<LiveItem> => {
  const items: Array<LiveItem> = []
  if (sub.dropped > 0 && sub.firstDropped) {
    items.push({ type: "stream/overflow", dropped: sub.dropped, firstDropped: sub.firstDropped })
    sub.dropped = 0
    sub.firstDropped = undefined
  }
  const capacity = sub.ring.length
  for (let i = 0; i < sub.size; i++) {
    const at = (sub.start + i) % capacity
    items.push(sub.ring[at]!)
    sub.ring[at] = undefined
  }
  sub.start = 0
  sub.size = 0
  return Chunk.unsafeFromArray(items)
}

const pull = (sub: Subscriber): Effect.Effect<Chunk.Chunk<LiveItem>, Option.Option<never>> =>
  Effect.suspend(() => {
    if (sub.size > 0 || sub.dropped > 0) return Effect.succeed(drain(sub))
    if (sub.closed) return Effect.fail(Option.none())
    return Effect.async<void>((resume) => {
      sub.wake = () => {
        sub.wake = undefined
        resume(Effect.void)
      }
      return Effect.sync(() => {
        sub.wake = undefined
      })
    }).pipe(Effect.zipRight(pull(sub)))
  })

/**
 * A live hub. Each subscriber has a bounded ring buffer (`bufferSize`, default 1000); when it is full the OLDEST
 * buffered event is dropped, and the subscriber receives one `stream/overflow` notice (dropped count, first dropped
 * run and seq) right before the next event it is given. Filters run at publish time.
 */
export const makeLiveHub = (): Effect.Effect<LiveHub> =>
  Effect.sync(() => {
    const subscribers = new Set<Subscriber>()

    const publish = (events: ReadonlyArray<RunEvent>) =>
      Effect.sync(() => {
        for (const sub of subscribers) {
          let offered = false
          for (const event of events) {
            if (sub.accepts(event)) {
              offer(sub, event)
              offered = true
            }
          }
          if (offered) sub.wake?.()
        }
      })

    const subscribe = (filter?: SubscribeFilter) => {
      const bufferSize = filter?.bufferSize ?? DEFAULT_LIVE_BUFFER
      if (!Number.isSafeInteger(bufferSize) || bufferSize < 1) {
        return Effect.dieMessage(`subscribe: bufferSize must be a positive integer, got ${bufferSize}`)
      }
      return Effect.acquireRelease(
        Effect.sync(() => {
          const sub: Subscriber = {
            accepts: matchesFilter(filter),
            ring: new Array<RunEvent | undefined>(bufferSize),
            start: 0,
            size: 0,
            dropped: 0,
            firstDropped: undefined,
            closed: false,
            wake: undefined
          }
          subscribers.add(sub)
          return sub
        }),
        (sub) =>
          Effect.sync(() => {
            subscribers.delete(sub)
            sub.closed = true
            sub.wake?.()
          })
      ).pipe(Effect.map((sub) => Stream.repeatEffectChunkOption(pull(sub))))
    }

    return { publish, subscribe, subscriberCount: Effect.sync(() => subscribers.size) }
  })
