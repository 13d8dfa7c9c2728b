import type { Connection } from "@effect/sql/SqlConnection"
import { migrateComponent, type SqliteMigration, schemaVersionOf } from "@gauntlet/event-store-sqlite"

/** The name this store's migrations are recorded under in the file's shared `schema_migrations` table. */
export const MIGRATION_COMPONENT = "run-store"

/**
 * The run store's schema, one entry per version, applied in order inside the caller's `BEGIN IMMEDIATE`.
 *
 * - `run_checkpoints`: one row per run (the event store owns a table called `runs`, its chain heads).
 * - `run_nodes`: one row per (run, node), upserted in multi-row statements so a checkpoint is O(changed nodes).
 * - `approvals`: one row per approval request, decided in place.
 * JSON columns (`state`, `output`, `failure`) hold RFC 8785 text.
 */
const MIGRATIONS: ReadonlyArray<SqliteMigration> = [
  {
    version: 1,
    name: "run_checkpoints, run_nodes and approvals",
    statements: [
      `CREATE TABLE run_checkpoints (
        run_id TEXT PRIMARY KEY NOT NULL,
        workflow_id TEXT NOT NULL,
        workflow_version TEXT NOT NULL,
        spec_digest TEXT NOT NULL,
        status TEXT NOT NULL,
        state TEXT NOT NULL,
        version INTEGER NOT NULL CHECK (version >= 0),
        event_seq INTEGER NOT NULL CHECK (event_seq >= 0),
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL
      )`,
      "CREATE INDEX run_checkpoints_by_status ON run_checkpoints (status, created_at)",
      `CREATE TABLE run_nodes (
        run_id TEXT NOT NULL REFERENCES run_checkpoints (run_id),
        node_id TEXT NOT NULL,
        status TEXT NOT NULL,
        attempts INTEGER NOT NULL CHECK (attempts >= 0),
        output TEXT,
        failure TEXT,
        PRIMARY KEY (run_id, node_id)
      ) WITHOUT ROWID`,
      `CREATE TABLE approvals (
        approval_id TEXT PRIMARY KEY NOT NULL,
        run_id TEXT NOT NULL REFERENCES run_checkpoints (run_id),
        phase TEXT NOT NULL,
        reason TEXT NOT NULL,
        requested_at TEXT NOT NULL,
        status TEXT NOT NULL,
        decided_by TEXT,
        method TEXT,
        justification TEXT,
        decided_at TEXT
      )`,
      "CREATE INDEX approvals_by_run ON approvals (run_id, requested_at)"
    ]
  }
]

/** The newest schema version this code knows. */
export const SCHEMA_VERSION = schemaVersionOf(MIGRATIONS)

/**
 * Brings the run store's tables to `SCHEMA_VERSION` on a connection that already holds the write lock (see
 * `migrateComponent`: a newer recorded version is `unavailable`, a foreign table in the way is `corrupt`).
 */
export const migrate = (conn: Connection, store: string, now: string) =>
  migrateComponent(
    conn,
    { component: MIGRATION_COMPONENT, kind: "run store", migrations: MIGRATIONS },
    store,
    now
  )
