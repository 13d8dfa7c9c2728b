import { Ids } from "@gauntlet/canonical"
import { EventLogMemory } from "@gauntlet/event-store-memory"
import { coreEventTypes, defineEventType, type EventDraft, EventTypes } from "@gauntlet/event-stream"
import { Layer, Schema } from "effect"

/** A counter event for projection tests: `delta` is added to a running total. */
const counterMoved = defineEventType({
  type: "test/counter-moved",
  version: 1,
  description: "A counter moved by delta (tests only).",
  payload: Schema.Struct({ counter: Schema.String, delta: Schema.Int, note: Schema.optional(Schema.String) })
})

/** The memory log with its row handle, the kernel catalogue plus the test type, deterministic ids. */
export const TestLog = EventLogMemory.layerWithStore.pipe(
  Layer.provide(Layer.merge(EventTypes.layer([...coreEventTypes, counterMoved]), Ids.layerDeterministic()))
)

export const RUN = "0190f0e0-0000-7000-8000-00000000000a"

export const move = (delta: number, counter = "c", runId = RUN, note?: string): EventDraft => ({
  runId,
  type: "test/counter-moved",
  actor: "tester",
  payload: note === undefined ? { counter, delta } : { counter, delta, note }
})
