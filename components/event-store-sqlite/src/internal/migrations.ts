import type { Connection } from "@effect/sql/SqlConnection"
import type { SqlError } from "@effect/sql/SqlError"
import { StoreFailure } from "@gauntlet/event-stream"
import { Effect } from "effect"

/** The name this store's migrations are recorded under in the shared `schema_migrations` table. */
export const MIGRATION_COMPONENT = "event-store"

interface Migration {
  readonly version: number
  readonly name: string
  readonly statements: ReadonlyArray<string>
}

/**
 * The event store's schema, one entry per version; applied in order, each exactly once, inside one
 * `BEGIN IMMEDIATE` transaction so two processes opening a fresh file cannot both migrate it.
 *
 * - `events`: one row per stored event; `canonical` is the exact RFC 8785 text `hash` covers.
 * - `runs`: one row per run: head seq/hash, event count, first/last time, last type and `last_append`, a store-wide
 *   counter bumped by every append (so listings are "most recently appended first", whatever times events carry).
 * - `run_types`: the last seq of each event type in a run, so `latestOfType` is one key lookup and appends do not
 *   pay for a per-event secondary index.
 */
const MIGRATIONS: ReadonlyArray<Migration> = [
  {
    version: 1,
    name: "events, runs and run_types",
    statements: [
      `CREATE TABLE events (
        run_id TEXT NOT NULL,
        seq INTEGER NOT NULL CHECK (seq >= 1),
        id TEXT NOT NULL UNIQUE,
        type TEXT NOT NULL,
        time TEXT NOT NULL,
        hash TEXT NOT NULL,
        canonical TEXT NOT NULL,
        PRIMARY KEY (run_id, seq)
      ) WITHOUT ROWID`,
      `CREATE TABLE runs (
        run_id TEXT PRIMARY KEY NOT NULL,
        head_seq INTEGER NOT NULL,
        head_hash TEXT,
        events INTEGER NOT NULL,
        first_time TEXT NOT NULL,
        last_time TEXT NOT NULL,
        last_type TEXT NOT NULL,
        last_append INTEGER NOT NULL
      )`,
      "CREATE UNIQUE INDEX runs_by_activity ON runs (last_append)",
      `CREATE TABLE run_types (
        run_id TEXT NOT NULL,
        type TEXT NOT NULL,
        last_seq INTEGER NOT NULL,
        PRIMARY KEY (run_id, type)
      ) WITHOUT ROWID`
    ]
  }
]

const causeMessage = (error: SqlError): string =>
  error.cause instanceof Error ? error.cause.message : String(error.cause)

/** The newest schema version this code knows. */
export const SCHEMA_VERSION = MIGRATIONS.reduce((max, m) => Math.max(max, m.version), 0)

/**
 * Brings the store's schema to `SCHEMA_VERSION` on a connection that already holds the write lock. A store whose
 * recorded version is newer than this code knows fails with `StoreFailure` (`unavailable`) instead of guessing.
 */
export const migrate = (conn: Connection, store: string, now: string) =>
  Effect.gen(function* () {
    yield* conn.execute(
      `CREATE TABLE IF NOT EXISTS schema_migrations (
        component TEXT NOT NULL,
        version INTEGER NOT NULL,
        name TEXT NOT NULL,
        applied_at TEXT NOT NULL,
        PRIMARY KEY (component, version)
      )`,
      [],
      undefined
    )
    const rows = yield* conn.execute(
      "SELECT MAX(version) AS version FROM schema_migrations WHERE component = ?",
      [MIGRATION_COMPONENT],
      undefined
    )
    const current = Number((rows[0] as { readonly version: number | null } | undefined)?.version ?? 0)
    if (current > SCHEMA_VERSION) {
      return yield* new StoreFailure({
        reason: "unavailable",
        store,
        detail: `schema version ${current} is newer than this code supports (${SCHEMA_VERSION}); upgrade Gauntlet to open it`
      })
    }
    for (const migration of MIGRATIONS) {
      if (migration.version <= current) continue
      for (const statement of migration.statements) {
        yield* Effect.catchIf(
          conn.execute(statement, [], undefined),
          (error) => causeMessage(error).includes("already exists"),
          (error) =>
            Effect.fail(
              new StoreFailure({
                reason: "corrupt",
                store,
                detail: `not a Gauntlet event store: migration ${migration.version} met a foreign schema (${causeMessage(error)})`
              })
            )
        )
      }
      yield* conn.execute(
        "INSERT INTO schema_migrations (component, version, name, applied_at) VALUES (?, ?, ?, ?)",
        [MIGRATION_COMPONENT, migration.version, migration.name, now],
        undefined
      )
    }
    return current
  })
