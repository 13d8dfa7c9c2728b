import type { AppendError, EventDraft, RunEvent, StoreFailure } from "@gauntlet/event-stream"
import type { Effect } from "effect"
import { Context } from "effect"
import type { CheckpointConflict, InvalidCheckpoint, RunNotFound } from "./errors.js"
import type { ApprovalRecord, NodeRecord, RunStatus } from "./records.js"

/** The run-row part of a checkpoint: the new status and engine state. */
export interface RunUpdate {
  readonly status: RunStatus
  /** Engine-owned JSON; replaces the stored state. */
  readonly state: unknown
  /** Optimistic concurrency: the checkpoint version the writer last saw (see `RecordInput.expectedVersion`). */
  readonly expectedVersion?: number
}

/** One atomic checkpoint: events to append plus the checkpoint rows they justify. */
export interface RecordInput {
  readonly runId: string
  /** Events of this run, appended to the `EventLog` in order (every draft's `runId` must be `runId`). */
  readonly events: ReadonlyArray<EventDraft>
  /** New run status and state; absent keeps both. */
  readonly run?: RunUpdate
  /** Node rows to upsert by `(runId, nodeId)`; a node listed twice keeps its last row. */
  readonly nodes?: ReadonlyArray<NodeRecord>
  /** Approval rows to upsert by `approvalId` (pending → approved|rejected; a decided approval never changes). */
  readonly approvals?: ReadonlyArray<ApprovalRecord>
  /**
   * Optimistic concurrency without a run update (also read from `run.expectedVersion`): when set and the stored
   * version differs, `record` fails with `CheckpointConflict` and writes nothing.
   */
  readonly expectedVersion?: number
}

/** What a committed `record` returns. */
export interface RecordResult {
  /** The events as stored (seq, hashes). */
  readonly events: ReadonlyArray<RunEvent>
  /** The run's checkpoint version after this record (previous + 1). */
  readonly version: number
  /** The seq of the last event recorded through `record` (unchanged when `events` is empty). */
  readonly eventSeq: number
}

/** Every error `record` can fail with; on any of them nothing (no event, no row) was written. */
export type RecordError = AppendError | CheckpointConflict | RunNotFound | InvalidCheckpoint | StoreFailure

/** The one atomic write path of a run's durable state (N2-R70). */
export interface RunJournalShape {
  /**
   * Appends `events` to the `EventLog` and writes the checkpoint (run row, nodes, approvals) in ONE transaction:
   * all or nothing. Every call bumps the run's version by 1.
   */
  readonly record: (input: RecordInput) => Effect.Effect<RecordResult, RecordError>
}

/** The atomic checkpoint writer. Implementations: `@gauntlet/run-store-memory`, `@gauntlet/run-store-sqlite`. */
export class RunJournal extends Context.Tag("@gauntlet/run-store/RunJournal")<
  RunJournal,
  RunJournalShape
>() {}
