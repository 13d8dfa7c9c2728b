import type { SqlClient } from "@effect/sql/SqlClient"
import type { ChainVerification, RunEvent, RunHead, RunSummary } from "@gauntlet/event-stream"
import { makeChainVerifier, StoreFailure } from "@gauntlet/event-stream"
import { Chunk, Effect, Option, Stream } from "effect"
import { toStoreFailure } from "./storeFailure.js"

/** Rows per keyset page: large enough to amortise a query, small enough to keep replay memory flat. */
export const PAGE_SIZE = 1000

type StoredRow = readonly [seq: number, hash: string, canonical: string]

const PAGE_QUERY =
  "SELECT seq, hash, canonical FROM events WHERE run_id = ? AND seq >= ? ORDER BY seq LIMIT ?"

/** One keyset page of a run's rows (seq, hash, canonical) from `fromSeq`, in seq order. */
const readPage = (sql: SqlClient, store: string, runId: string, fromSeq: number) =>
  Effect.mapError(
    sql.unsafe(PAGE_QUERY, [runId, fromSeq, PAGE_SIZE]).values as Effect.Effect<
      ReadonlyArray<StoredRow>,
      unknown
    >,
    (error) => toStoreFailure(store, error)
  )

/** Rebuilds a stored envelope from its canonical text and hash column (the parsed object is fresh, so it is extended). */
const rowToEvent = (row: StoredRow): RunEvent => {
  const event = JSON.parse(row[2]) as { hash?: string }
  event.hash = row[1]
  return event as RunEvent
}

const notJson = (store: string, runId: string, seq: number | undefined) =>
  new StoreFailure({
    reason: "corrupt",
    store,
    detail: `run ${runId}${seq === undefined ? "" : ` seq ${seq}`}: stored canonical text is not JSON`
  })

/** Parses one page of rows; a row whose text is not JSON fails `corrupt` naming its seq. */
const parsePage = (store: string, runId: string, rows: ReadonlyArray<StoredRow>) => {
  let at: number | undefined
  return Effect.try({
    try: () => {
      const events = new Array<RunEvent>(rows.length)
      for (let i = 0; i < rows.length; i++) {
        const row = rows[i] as StoredRow
        at = row[0]
        events[i] = rowToEvent(row)
      }
      return events
    },
    catch: () => notJson(store, runId, at)
  })
}

/** Streams a run's events from `fromSeq` in keyset pages of `PAGE_SIZE` rows. */
export const streamEvents = (
  sql: SqlClient,
  store: string,
  runId: string,
  fromSeq: number
): Stream.Stream<RunEvent, StoreFailure> =>
  Stream.paginateChunkEffect(Number.isNaN(fromSeq) ? 1 : Math.max(1, Math.ceil(fromSeq)), (from) =>
    Effect.flatMap(readPage(sql, store, runId, from), (rows) =>
      Effect.map(parsePage(store, runId, rows), (events) => {
        const last = rows[rows.length - 1]
        const next =
          rows.length < PAGE_SIZE || last === undefined ? Option.none<number>() : Option.some(last[0] + 1)
        return [Chunk.unsafeFromArray(events), next] as const
      })
    )
  )

/** The run's head from the `runs` table (seq 0 and a null hash for a run with no events). */
export const readRunHead = (
  sql: SqlClient,
  store: string,
  runId: string
): Effect.Effect<RunHead, StoreFailure> =>
  Effect.mapError(
    Effect.map(
      sql.unsafe<{ readonly head_seq: number; readonly head_hash: string | null }>(
        "SELECT head_seq, head_hash FROM runs WHERE run_id = ?",
        [runId]
      ),
      (rows) => {
        const row = rows[0]
        return row === undefined
          ? { runId, seq: 0, hash: null }
          : { runId, seq: row.head_seq, hash: row.head_hash }
      }
    ),
    (error) => toStoreFailure(store, error)
  )

/** The highest seq actually stored for the run (what a writer that lost a seq race collided with). */
export const readLastStoredSeq = (
  sql: SqlClient,
  store: string,
  runId: string
): Effect.Effect<number, StoreFailure> =>
  Effect.mapError(
    Effect.map(
      sql.unsafe<{ readonly seq: number | null }>("SELECT MAX(seq) AS seq FROM events WHERE run_id = ?", [
        runId
      ]),
      (rows) => rows[0]?.seq ?? 0
    ),
    (error) => toStoreFailure(store, error)
  )

/** The last stored event of `type` in the run, found through `run_types` (one key lookup, no scan). */
export const readLatestOfType = (sql: SqlClient, store: string, runId: string, type: string) =>
  Effect.gen(function* () {
    const rows = yield* Effect.mapError(
      sql.unsafe(
        `SELECT e.seq, e.hash, e.canonical FROM run_types t
         JOIN events e ON e.run_id = t.run_id AND e.seq = t.last_seq
         WHERE t.run_id = ? AND t.type = ?`,
        [runId, type]
      ).values as Effect.Effect<ReadonlyArray<StoredRow>, unknown>,
      (error) => toStoreFailure(store, error)
    )
    const row = rows[0]
    if (row === undefined) return Option.none<RunEvent>()
    const [event] = yield* parsePage(store, runId, [row])
    return Option.fromNullable(event)
  })

/** Runs, most recently appended to first. */
export const readRuns = (sql: SqlClient, store: string, limit: number | undefined) =>
  Effect.mapError(
    Effect.map(
      sql.unsafe<{
        readonly run_id: string
        readonly events: number
        readonly first_time: string
        readonly last_time: string
        readonly last_type: string
      }>(
        `SELECT run_id, events, first_time, last_time, last_type FROM runs
         ORDER BY last_append DESC LIMIT ?`,
        [
          limit === undefined || Number.isNaN(limit)
            ? -1
            : Math.max(0, Math.min(Math.trunc(limit), Number.MAX_SAFE_INTEGER))
        ]
      ),
      (rows): ReadonlyArray<RunSummary> =>
        rows.map((row) => ({
          runId: row.run_id,
          events: row.events,
          firstTime: row.first_time,
          lastTime: row.last_time,
          lastType: row.last_type
        }))
    ),
    (error) => toStoreFailure(store, error)
  )

/**
 * Verifies a run's chain by streaming its stored rows through `makeChainVerifier`, hashing the stored canonical
 * text exactly as stored (never re-encoded). Also checks that the chain reaches the head the `runs` table records,
 * so deleting or re-hashing the LAST events is caught too.
 */
export const verifyStoredChain = (sql: SqlClient, store: string, runId: string) =>
  Effect.gen(function* () {
    const head = yield* readRunHead(sql, store, runId)
    const verifier = makeChainVerifier(runId)
    let from = 1
    for (;;) {
      const rows = yield* readPage(sql, store, runId, from)
      for (const row of rows) {
        if (!verifier.push({ seq: row[0], hash: row[1], canonical: row[2] })) return verifier.result()
      }
      const last = rows[rows.length - 1]
      if (rows.length < PAGE_SIZE || last === undefined) break
      from = last[0] + 1
    }
    const result = verifier.result()
    if (!result.ok) return result
    if (result.lastSeq < head.seq) {
      return {
        ok: false,
        runId,
        count: result.count,
        brokenSeq: result.lastSeq + 1,
        reason: "seq-gap",
        detail: `the run's head is seq ${head.seq} but stored events end at seq ${result.lastSeq}`
      } satisfies ChainVerification
    }
    if (result.lastSeq > 0 && result.lastHash !== head.hash) {
      return {
        ok: false,
        runId,
        count: result.count - 1,
        brokenSeq: result.lastSeq,
        reason: "hash-mismatch",
        detail: `the run's head records hash ${head.hash} but the last stored event has hash ${result.lastHash}`
      } satisfies ChainVerification
    }
    return result
  })
