/**
 * @module bench/event-types
 * The event type the events benchmark appends, and the Layer that opens a store file for it.
 */
import { Ids } from "@gauntlet/canonical"
import { EventLogSqlite } from "@gauntlet/event-store-sqlite"
import { defineEventType, EventTypes } from "@gauntlet/event-stream"
import { Layer, Schema } from "effect"

/** A tool-output-like event with a ~300-byte payload once canonicalized. */
export const benchEventType = defineEventType({
  type: "bench/observed",
  version: 1,
  description: "a synthetic observation carrying a ~300-byte payload",
  payload: Schema.Struct({
    step: Schema.Number,
    tool: Schema.String,
    ok: Schema.Boolean,
    summary: Schema.String,
    tags: Schema.Array(Schema.String)
  })
})

const SUMMARY = "checked the workspace for drift and found the lockfile consistent; ".repeat(3).slice(0, 190)

/** A payload of ~300 bytes of RFC 8785 text. */
export const benchPayload = (step: number) => ({
  step,
  tool: "workspace.verify",
  ok: step % 7 !== 0,
  summary: SUMMARY,
  tags: ["bench", "events", `shard-${step % 16}`]
})

/** `EventLog` over one SQLite file with the bench event type registered and live UUIDv7 ids. */
export const benchLogLayer = (filename: string) =>
  EventLogSqlite.layerFile(filename).pipe(
    Layer.provide(Layer.merge(EventTypes.layer([benchEventType]), Ids.layer))
  )
