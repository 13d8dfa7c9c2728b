import {
  coreEventTypes,
  defineEventType,
  type EventTypeRegistry,
  makeEventTypeRegistry
} from "@gauntlet/event-stream"
import { Either, Schema } from "effect"

/** A test-only event type with nested fields, so payload pointers have depth. */
export const noteAdded = defineEventType({
  type: "test/note-added",
  version: 1,
  description: "A note was added (tests only).",
  payload: Schema.Struct({
    text: Schema.String,
    count: Schema.Int,
    tags: Schema.optional(Schema.Array(Schema.String)),
    meta: Schema.optional(Schema.Struct({ level: Schema.Literal("low", "high"), score: Schema.Number }))
  })
})

/** A test-only type whose payload schema transforms (so it never takes the fast path). */
export const amountSet = defineEventType({
  type: "test/amount-set",
  version: 1,
  description: "An amount written as a numeric string (tests only).",
  payload: Schema.Struct({ amount: Schema.NumberFromString })
})

/** The kernel catalogue plus the test types. */
export const testRegistry: EventTypeRegistry = Either.getOrThrow(
  makeEventTypeRegistry([...coreEventTypes, noteAdded, amountSet])
)

export const RUN = "0190f0e0-0000-7000-8000-000000000001"
export const OTHER_RUN = "0190f0e0-0000-7000-8000-000000000002"
export const NOW = "2026-11-29T12:00:00.000Z"

/** A deterministic id source for prepareBatch. */
export const counterIds = (prefix = "evt") => {
  let n = 0
  return () => `${prefix}-${++n}`
}
