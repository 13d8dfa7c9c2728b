/**
 * @module @gauntlet/run-store-memory
 * In-memory `RunJournal` and `RunStore` (N2 "Checkpoints and resume") over any `EventLog`: the same checks and
 * the same all-or-nothing `record` as the SQLite store, for tests, examples and conformance adapters.
 */

/** The memory run store's Layer and the effect it is built from. */
export { makeRunStoreMemory, RunStoreMemory } from "./internal/RunStoreMemory.js"
