/**
 * @module @gauntlet/run-store-sqlite
 * The durable `RunJournal` and `RunStore` (N2 "Checkpoints and resume") in the event store's SQLite file: tables
 * `run_checkpoints`, `run_nodes`, `approvals` (migration component `run-store`); `record` appends the events and
 * writes the checkpoint rows in ONE `BEGIN IMMEDIATE` transaction, so a crash leaves both or neither.
 */

/** Run-store migrations: the schema version this code writes and its name in `schema_migrations`. */
export { MIGRATION_COMPONENT, SCHEMA_VERSION } from "./internal/migrations.js"
/** The Layers (`layer` over a shared client, `layerFile(file)` with its own) and the effect they are built from. */
export { makeRunStoreSqlite, RunStoreSqlite } from "./internal/RunStoreSqlite.js"
