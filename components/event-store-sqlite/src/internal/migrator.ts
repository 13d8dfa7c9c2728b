import type { Connection } from "@effect/sql/SqlConnection"
import type { SqlError } from "@effect/sql/SqlError"
import { StoreFailure } from "@gauntlet/event-stream"
import { Effect } from "effect"

/** One schema version of a store component: its statements run once, in order. */
export interface SqliteMigration {
  readonly version: number
  readonly name: string
  readonly statements: ReadonlyArray<string>
}

/** A store component's migrations, recorded under `component` in the file's shared `schema_migrations` table. */
export interface SqliteMigrations {
  readonly component: string
  /** What the component is, for messages: "event store", "run store". */
  readonly kind: string
  readonly migrations: ReadonlyArray<SqliteMigration>
}

/** The newest schema version of a component's migrations. */
export const schemaVersionOf = (migrations: ReadonlyArray<SqliteMigration>): number =>
  migrations.reduce((max, m) => Math.max(max, m.version), 0)

const causeMessage = (error: SqlError): string =>
  error.cause instanceof Error ? error.cause.message : String(error.cause)

/**
 * Brings one component's tables to its newest version on a connection that already holds the write lock (so two
 * processes opening a fresh file cannot both migrate it). Several components share one file and one
 * `schema_migrations` table. A recorded version newer than the code knows fails with `StoreFailure`
 * (`unavailable`) instead of guessing; a table of another application in the way is `corrupt`. Returns the version
 * the file had before.
 */
export const migrateComponent = (conn: Connection, spec: SqliteMigrations, store: string, now: string) =>
  Effect.gen(function* () {
    const latest = schemaVersionOf(spec.migrations)
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
      [spec.component],
      undefined
    )
    const current = Number((rows[0] as { readonly version: number | null } | undefined)?.version ?? 0)
    if (current > latest) {
      return yield* new StoreFailure({
        reason: "unavailable",
        store,
        detail: `${spec.component} schema version ${current} is newer than this code supports (${latest}); upgrade Gauntlet to open it`
      })
    }
    for (const migration of spec.migrations) {
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
                detail: `not a Gauntlet ${spec.kind}: migration ${migration.version} met a foreign schema (${causeMessage(error)})`
              })
            )
        )
      }
      yield* conn.execute(
        "INSERT INTO schema_migrations (component, version, name, applied_at) VALUES (?, ?, ?, ?)",
        [spec.component, migration.version, migration.name, now],
        undefined
      )
    }
    return current
  })
