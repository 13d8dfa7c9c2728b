import type { SqlClient } from "@effect/sql/SqlClient"
import type { SealedEvent } from "@gauntlet/event-stream"
import { InvalidEvent } from "@gauntlet/event-stream"
import { Effect } from "effect"
import { toStoreFailure } from "./storeFailure.js"

const REASON = "(event ids are unique across the store)"

const pointerAt = (index: number, single: boolean) => (single ? "/id" : `/${index}/id`)

/** The first event of the batch whose id an earlier event of the same batch already uses. */
export const duplicateInBatch = (
  sealed: ReadonlyArray<SealedEvent>,
  single: boolean
): InvalidEvent | undefined => {
  if (sealed.length < 2) return undefined
  const seen = new Set<string>()
  for (let index = 0; index < sealed.length; index++) {
    const { id, type, runId } = (sealed[index] as SealedEvent).event
    if (seen.has(id)) {
      return new InvalidEvent({
        type,
        runId,
        pointer: pointerAt(index, single),
        reason: `event id ${id} is already used earlier in this batch ${REASON}`
      })
    }
    seen.add(id)
  }
  return undefined
}

const LOOKUP_CHUNK = 500

/**
 * After the `events.id` unique index refused a batch: names the first event whose id is already stored, looking the
 * batch's ids up in chunks.
 */
export const alreadyStoredId = (
  sql: SqlClient,
  store: string,
  sealed: ReadonlyArray<SealedEvent>,
  single: boolean
) =>
  Effect.gen(function* () {
    const stored = new Set<string>()
    for (let offset = 0; offset < sealed.length; offset += LOOKUP_CHUNK) {
      const chunk = sealed.slice(offset, offset + LOOKUP_CHUNK).map((item) => item.event.id)
      const rows = yield* Effect.mapError(
        sql.unsafe<{ readonly id: string }>(
          `SELECT id FROM events WHERE id IN (${chunk.map(() => "?").join(",")})`,
          chunk
        ),
        (error) => toStoreFailure(store, error)
      )
      for (const row of rows) stored.add(row.id)
    }
    const index = Math.max(
      0,
      sealed.findIndex((item) => stored.has(item.event.id))
    )
    const { id, type, runId } = (sealed[index] as SealedEvent).event
    return new InvalidEvent({
      type,
      runId,
      pointer: pointerAt(index, single),
      reason: `event id ${id} is already stored ${REASON}`
    })
  })
