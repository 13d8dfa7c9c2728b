import type { Connection } from "@effect/sql/SqlConnection"
import { migrateComponent, type SqliteMigration, schemaVersionOf } from "./migrator.js"

/** The name this store's migrations are recorded under in the shared `schema_migrations` table. */
export const MIGRATION_COMPONENT = "event-store"

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
const MIGRATIONS: ReadonlyArray<SqliteMigration> = [
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

/** The newest schema version this code knows. */
export const SCHEMA_VERSION = schemaVersionOf(MIGRATIONS)

/**
 * Brings the event store's tables to `SCHEMA_VERSION` on a connection that already holds the write lock (see
 * `migrateComponent`: a newer recorded version is `unavailable`, a foreign table in the way is `corrupt`).
 */
export const migrate = (conn: Connection, store: string, now: string) =>
  migrateComponent(
    conn,
    { component: MIGRATION_COMPONENT, kind: "event store", migrations: MIGRATIONS },
    store,
    now
  )
