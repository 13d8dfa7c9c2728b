import { Context, Effect, Layer } from "effect"
import { v7 as uuidv7 } from "uuid"

const UUID_V7 = /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/

/** True when the string is a lowercase RFC 9562 UUID version 7. */
export const isUuidV7 = (value: string): boolean => UUID_V7.test(value)

/** A new UUIDv7 (time-ordered) from the wall clock. */
export const newUuidV7 = (): string => uuidv7()

/**
 * The source of record ids. The live layer makes UUIDv7s; the deterministic layer makes valid, time-ordered
 * UUIDv7s from a counter so golden outputs are stable.
 */
export class Ids extends Context.Tag("@gauntlet/canonical/Ids")<
  Ids,
  { readonly next: Effect.Effect<string> }
>() {
  /** UUIDv7 ids from the wall clock and a random tail. */
  static readonly layer = Layer.succeed(Ids, { next: Effect.sync(() => uuidv7()) })

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
