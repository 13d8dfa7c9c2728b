import { Context, Effect, Layer } from "effect"
import { v7 as uuidv7 } from "uuid"

const UUID_V7 = /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/

/** True when the string is a lowercase RFC 9562 UUID version 7. */
export const isUuidV7 = (value: string): boolean => UUID_V7.test(value)

// Random bytes come from a pool refilled 16 KiB at a time: `uuid`'s default asks the OS for 16 fresh bytes per id
// (~2.4 µs here), the pool brings an id to ~0.2 µs. The monotonic counter follows `uuid`'s own v7 state rule (RFC
// 9562 §6.2 method 1: a random seed per millisecond, +1 within it, carry into the millisecond on overflow).
const pool = new Uint8Array(16 * 1024)
let poolPosition = pool.length
const state = { msecs: Number.NEGATIVE_INFINITY, seq: 0 }

const randomBytes16 = (): Uint8Array => {
  if (poolPosition + 16 > pool.length) {
    crypto.getRandomValues(pool)
    poolPosition = 0
  }
  const bytes = pool.subarray(poolPosition, poolPosition + 16)
  poolPosition += 16
  return bytes
}

/** A new UUIDv7 (time-ordered, monotonic within this process) from the wall clock. */
export const newUuidV7 = (): string => {
  const random = randomBytes16()
  const now = Date.now()
  if (now > state.msecs) {
    state.seq = ((random[6]! & 0x7f) << 24) | (random[7]! << 16) | (random[8]! << 8) | random[9]!
    state.msecs = now
  } else {
    state.seq = (state.seq + 1) | 0
    if (state.seq === 0) state.msecs += 1
  }
  return uuidv7({ random, msecs: state.msecs, seq: state.seq })
}

/**
 * The source of record ids. The live layer makes UUIDv7s; the deterministic layer makes valid, time-ordered
 * UUIDv7s from a counter so golden outputs are stable.
 */
export class Ids extends Context.Tag("@gauntlet/canonical/Ids")<
  Ids,
  { readonly next: Effect.Effect<string> }
>() {
  /** UUIDv7 ids from the wall clock and a random tail. */
  static readonly layer = Layer.succeed(Ids, { next: Effect.sync(newUuidV7) })

  /** Deterministic UUIDv7-shaped ids: millisecond field `startMs + n`, counter in the random bits. */
  static readonly layerDeterministic = (startMs = 1_700_000_000_000) =>
    Layer.sync(Ids, () => {
      let n = 0
      return {
        next: Effect.sync(() => {
          n += 1
          const ms = (startMs + n).toString(16).padStart(12, "0")
          const tail = n.toString(16).padStart(15, "0")
          return `${ms.slice(0, 8)}-${ms.slice(8, 12)}-7${tail.slice(0, 3)}-8${tail.slice(3, 6)}-${tail.slice(6, 15).padStart(12, "0")}`
        })
      }
    })
}
