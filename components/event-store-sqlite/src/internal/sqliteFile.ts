import { SqlClient } from "@effect/sql"
import { SqliteClient } from "@effect/sql-sqlite-node"
import { Cause, Effect, Layer } from "effect"
import { toStoreFailure } from "./storeFailure.js"

/** Options for opening the store file. */
export interface SqliteFileOptions {
  /** How long a writer waits for another connection's write lock before failing `busy` (default 5000 ms). */
  readonly busyTimeoutMs?: number
}

/**
 * PRAGMAs every Gauntlet connection to the file runs: WAL (readers never block the writer), `synchronous=NORMAL`
 * (durable at checkpoints, no fsync per commit: a power cut can lose the last commits, never corrupt the file),
 * a busy timeout so concurrent processes queue for the write lock, and enforced foreign keys.
 */
const pragmasFor = (options: SqliteFileOptions | undefined): ReadonlyArray<string> => [
  `PRAGMA busy_timeout = ${Math.max(0, Math.trunc(options?.busyTimeoutMs ?? 5000))}`,
  "PRAGMA journal_mode = WAL",
  "PRAGMA synchronous = NORMAL",
  "PRAGMA foreign_keys = ON"
]

/**
 * A `SqlClient` (and `SqliteClient`) for one SQLite file with Gauntlet's PRAGMAs. A file that cannot be opened
 * fails with `StoreFailure` `unavailable`; a file that is not a SQLite database (or is damaged) fails `corrupt`;
 * both name the file.
 */
export const layerSqliteFile = (filename: string, options?: SqliteFileOptions) => {
  const client = SqliteClient.layer({ filename, disableWAL: true }).pipe(
    Layer.catchAllCause((cause) => Layer.fail(toStoreFailure(filename, Cause.squash(cause))))
  )
  const pragmas = Layer.effectDiscard(
    Effect.flatMap(SqlClient.SqlClient, (sql) =>
      Effect.forEach(pragmasFor(options), (pragma) => sql.unsafe(pragma), { discard: true })
    ).pipe(Effect.mapError((error) => toStoreFailure(filename, error)))
  )
  return Layer.provideMerge(pragmas, client)
}
