import { Context } from "effect"

/** One stored event as the memory store keeps it: the columns a SQL store would index, and the canonical text. */
export interface MemoryRow {
  seq: number
  type: string
  time: string
  hash: string
  /** RFC 8785 text of the envelope without `hash`: the record itself; reads parse it. */
  canonical: string
}

/**
 * Direct access to the memory store's rows, for tests that tamper with stored events (edit, delete, swap,
 * re-hash) and check that `verifyChain` notices. Never provide this outside tests.
 */
export interface MemoryEventStoreShape {
  /** The run's rows in storage order: the live, mutable array (empty and detached for an unknown run). */
  readonly rows: (runId: string) => Array<MemoryRow>
  /** Runs that have rows, in first-append order. */
  readonly runIds: () => ReadonlyArray<string>
}

/** The test-only handle on the memory store's rows. */
export class MemoryEventStore extends Context.Tag("@gauntlet/event-store-memory/MemoryEventStore")<
  MemoryEventStore,
  MemoryEventStoreShape
>() {}
