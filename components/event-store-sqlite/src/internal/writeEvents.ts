import type { Connection } from "@effect/sql/SqlConnection"
import type { SqlError } from "@effect/sql/SqlError"
import type { RunHead, SealedEvent } from "@gauntlet/event-stream"
import { Effect } from "effect"

const COLUMNS = 7

/** Multi-row INSERT sizes; a batch is cut greedily into these so only a handful of statements is ever prepared. */
const CHUNK_SIZES = [256, 128, 64, 32, 16, 8, 4, 2, 1] as const

const insertText = (rows: number): string =>
  `INSERT INTO events (run_id, seq, id, type, time, hash, canonical) VALUES ${"(?,?,?,?,?,?,?),".repeat(rows).slice(0, -1)}`

const INSERT_BY_SIZE = new Map<number, string>(CHUNK_SIZES.map((size) => [size, insertText(size)]))

const UPSERT_RUN = `INSERT INTO runs (run_id, head_seq, head_hash, events, first_time, last_time, last_type, last_append)
  VALUES (?, ?, ?, ?, ?, ?, ?, (SELECT COALESCE(MAX(last_append), 0) + 1 FROM runs))
  ON CONFLICT (run_id) DO UPDATE SET head_seq = excluded.head_seq, head_hash = excluded.head_hash,
    events = runs.events + excluded.events, last_time = excluded.last_time, last_type = excluded.last_type,
    last_append = excluded.last_append`

const UPSERT_RUN_TYPE = `INSERT INTO run_types (run_id, type, last_seq) VALUES (?, ?, ?)
  ON CONFLICT (run_id, type) DO UPDATE SET last_seq = excluded.last_seq`

const SELECT_HEAD = "SELECT head_seq, head_hash FROM runs WHERE run_id = ?"

/** Reads a run's head on the given connection (inside the write transaction, so it cannot move under us). */
export const readHead = (conn: Connection, runId: string): Effect.Effect<RunHead, SqlError> =>
  Effect.map(conn.execute(SELECT_HEAD, [runId], undefined), (rows) => {
    const row = rows[0] as { readonly head_seq: number; readonly head_hash: string | null } | undefined
    return row === undefined
      ? { runId, seq: 0, hash: null }
      : { runId, seq: row.head_seq, hash: row.head_hash }
  })

const chunkSizeFor = (remaining: number): number => {
  for (const size of CHUNK_SIZES) if (size <= remaining) return size
  return 1
}

/**
 * Inserts sealed events of one run (already in seq order, continuing the head) and moves the run's head, its
 * counters and its per-type latest seq: the caller runs this inside its write transaction.
 */
export const insertSealed = (conn: Connection, runId: string, sealed: ReadonlyArray<SealedEvent>) =>
  Effect.gen(function* () {
    let offset = 0
    while (offset < sealed.length) {
      const size = chunkSizeFor(sealed.length - offset)
      const params = new Array<unknown>(size * COLUMNS)
      for (let i = 0; i < size; i++) {
        const { event, canonical } = sealed[offset + i] as SealedEvent
        const base = i * COLUMNS
        params[base] = event.runId
        params[base + 1] = event.seq
        params[base + 2] = event.id
        params[base + 3] = event.type
        params[base + 4] = event.time
        params[base + 5] = event.hash
        params[base + 6] = canonical
      }
      yield* conn.execute(INSERT_BY_SIZE.get(size) as string, params, undefined)
      offset += size
    }
    const first = (sealed[0] as SealedEvent).event
    const last = (sealed[sealed.length - 1] as SealedEvent).event
    yield* conn.execute(
      UPSERT_RUN,
      [runId, last.seq, last.hash, sealed.length, first.time, last.time, last.type],
      undefined
    )
    const lastSeqByType = new Map<string, number>()
    for (const { event } of sealed) lastSeqByType.set(event.type, event.seq)
    for (const [type, seq] of lastSeqByType)
      yield* conn.execute(UPSERT_RUN_TYPE, [runId, type, seq], undefined)
  })
