import type { Effect, Option, Scope, Stream } from "effect"
import { Context } from "effect"
import type { ChainVerification } from "./chain.js"
import type { EventDraft, LiveItem, RunEvent } from "./envelope.js"
import type { AppendError, StoreFailure } from "./errors.js"

/** Options for `append` and `appendBatch`. */
export interface AppendOptions {
  /**
   * Optimistic concurrency: the head seq the writer last saw (0 for an empty run). When set and the run's head
   * differs, the append fails with `SeqConflict` and writes nothing.
   */
  readonly expectedSeq?: number
}

/** Which live events a subscriber wants; filters run in the log, so unmatched events never reach the subscriber. */
export interface SubscribeFilter {
  /** One run, or every run when absent. */
  readonly runId?: string
  /** Exact types or `domain/*` prefixes; every type when absent or empty. */
  readonly types?: ReadonlyArray<string>
  /**
   * Bounded buffer size (default 1000), a positive integer (anything else is a defect). When full, the oldest
   * buffered event is dropped and one `StreamOverflow` notice precedes the next delivered event (N3-R13).
   */
  readonly bufferSize?: number
}

/** One run's head: its last seq and hash (seq 0 and null hash for a run with no events). */
export interface RunHead {
  readonly runId: string
  readonly seq: number
  readonly hash: string | null
}

/** A run known to the log, for listings. */
export interface RunSummary {
  readonly runId: string
  readonly events: number
  readonly firstTime: string
  readonly lastTime: string
  readonly lastType: string
}

/** The N3 event log: append-only, per-run seq, hash-chained, validated on append, replayable and live. */
export interface EventLogShape {
  /** Validates, seals and stores one event; returns it as stored. */
  readonly append: (draft: EventDraft, options?: AppendOptions) => Effect.Effect<RunEvent, AppendError>
  /** Validates, seals and stores events of ONE run atomically: all or nothing. */
  readonly appendBatch: (
    drafts: ReadonlyArray<EventDraft>,
    options?: AppendOptions
  ) => Effect.Effect<ReadonlyArray<RunEvent>, AppendError>
  /** Replays a run's stored events in seq order from `fromSeq` (default 1), streamed in pages. */
  readonly read: (runId: string, fromSeq?: number) => Stream.Stream<RunEvent, StoreFailure>
  /** Live events appended after subscribing, filtered in the log, with a bounded buffer (drop oldest + notice). */
  readonly subscribe: (filter?: SubscribeFilter) => Effect.Effect<Stream.Stream<LiveItem>, never, Scope.Scope>
  /** The last stored event of a type in a run. */
  readonly latestOfType: (runId: string, type: string) => Effect.Effect<Option.Option<RunEvent>, StoreFailure>
  /** The run's head seq and hash. */
  readonly head: (runId: string) => Effect.Effect<RunHead, StoreFailure>
  /** Runs in the log, most recently active first. */
  readonly listRuns: (options?: {
    readonly limit?: number
  }) => Effect.Effect<ReadonlyArray<RunSummary>, StoreFailure>
  /** Re-hashes the run's stored canonical bytes and checks every link; names the first broken seq. */
  readonly verifyChain: (runId: string) => Effect.Effect<ChainVerification, StoreFailure>
}

/** The event log service. Implementations: `@gauntlet/event-store-memory`, `@gauntlet/event-store-sqlite`. */
export class EventLog extends Context.Tag("@gauntlet/event-stream/EventLog")<EventLog, EventLogShape>() {}
