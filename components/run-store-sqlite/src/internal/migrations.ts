import type { Connection } from "@effect/sql/SqlConnection"
import { StoreFailure } from "@gauntlet/event-stream"
import { Effect } from "effect"

/** The name this store's migrations are recorded under in the file's shared `schema_migrations` table. */
export const MIGRATION_COMPONENT = "run-store"

interface Migration {
  readonly version: number
  readonly name: string
  readonly statements: ReadonlyArray<string>
}

/**
 * The run store's schema, one entry per version, applied in order inside the caller's `BEGIN IMMEDIATE`.
 *
 * - `run_checkpoints`: one row per run (the event store owns a table called `runs`, its chain heads).
 * - `run_nodes`: one row per (run, node), upserted in multi-row statements so a checkpoint is O(changed nodes).
 * - `approvals`: one row per approval request, decided in place.
 * JSON columns (`state`, `output`, `failure`) hold RFC 8785 text.
 */
const MIGRATIONS: ReadonlyArray<Migration> = [
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

/** The newest schema version of the run store this code knows. */
export const SCHEMA_VERSION = MIGRATIONS.reduce((max, m) => Math.max(max, m.version), 0)

const causeText = (cause: unknown): string => (cause instanceof Error ? cause.message : String(cause))

/**
 * Brings the run store's tables to `SCHEMA_VERSION` on a connection that holds the write lock. A file whose recorded
 * run-store version is newer is refused (`unavailable`); a foreign table in the way is `corrupt`.
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
        detail: `run-store schema version ${current} is newer than this code supports (${SCHEMA_VERSION}); upgrade Gauntlet to open it`
      })
    }
    for (const migration of MIGRATIONS) {
      if (migration.version <= current) continue
      for (const statement of migration.statements) {
        yield* Effect.catchIf(
          conn.execute(statement, [], undefined),
          (error) => causeText(error.cause).includes("already exists"),
          (error) =>
            Effect.fail(
              new StoreFailure({
                reason: "corrupt",
                store,
                detail: `not a Gauntlet run store: migration ${migration.version} met a foreign schema (${causeText(error.cause)})`
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
