/**
 * @module @gauntlet/event-store-memory
 * An in-memory implementation of the N3 `EventLog` (tests, examples, conformance adapters) with the same semantics
 * as the SQLite store: expected-seq concurrency, all-or-nothing batches, replay, live subscribe and chain
 * verification over the stored canonical text. `layerWithStore` also exposes the rows so tests can tamper.
 */

/** The memory EventLog layers and the constructor they share. */
export { EventLogMemory, makeEventLogMemory } from "./internal/EventLogMemory.js"
/** The test-only handle on stored rows (tamper tests). */
export { MemoryEventStore, type MemoryEventStoreShape, type MemoryRow } from "./internal/store.js"
