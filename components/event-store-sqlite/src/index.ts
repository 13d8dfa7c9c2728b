/**
 * @module @gauntlet/event-store-sqlite
 * The default durable `EventLog` (N3): one SQLite file in WAL mode, one `BEGIN IMMEDIATE` transaction per append so
 * several processes can share a file, the exact RFC 8785 text of every event stored next to its hash, keyset-paged
 * replay and streaming chain verification, versioned migrations.
 */

/** The Layers: `layer` (over a given `SqlClient`), `layerFile(filename)`, `layerClient(filename)`. */
export { EventLogSqlite, makeEventLogSqlite } from "./internal/EventLogSqlite.js"
/** Schema version this code writes and the name its migrations are recorded under in `schema_migrations`. */
export { MIGRATION_COMPONENT, SCHEMA_VERSION } from "./internal/migrations.js"
/** The versioned migration runner that every store component sharing the SQLite file uses. */
export {
  migrateComponent,
  type SqliteMigration,
  type SqliteMigrations,
  schemaVersionOf
} from "./internal/migrator.js"
/** Rows per keyset page when replaying or verifying a run. */
export { PAGE_SIZE } from "./internal/readEvents.js"
/** Options for opening the store file (busy timeout). */
export type { SqliteFileOptions } from "./internal/sqliteFile.js"
/** A write transaction other stores on the same file join (`BEGIN IMMEDIATE`), and its after-commit work. */
export { AfterCommit, withImmediateTransaction } from "./internal/writeTransaction.js"
