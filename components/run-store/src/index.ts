/**
 * @module @gauntlet/run-store
 * Durable run checkpoints (N2 "Checkpoints and resume"): the run, node and approval records, the `RunJournal`
 * service (the one atomic write path: events + checkpoint rows in one transaction), the `RunStore` reads, their
 * typed errors, and the pure checks every implementation shares so they accept and refuse the same writes.
 */

/** Pure checks and row builders shared by the implementations (memory, SQLite). */
export {
  type CheckedNode,
  type CheckedRecord,
  checkApprovalChange,
  checkNewRun,
  checkRecordInput,
  jsonText,
  matchesListFilter,
  nextRunRecord,
  versionConflict
} from "./internal/checkpoint.js"
/** Typed errors of the run store. */
export { CheckpointConflict, DuplicateRun, InvalidCheckpoint, RunNotFound } from "./internal/errors.js"
/** The atomic checkpoint writer service and its input/result types. */
export {
  type RecordError,
  type RecordInput,
  type RecordResult,
  RunJournal,
  type RunJournalShape,
  type RunUpdate
} from "./internal/RunJournal.js"
/** The run checkpoint reads (and creation) service. */
export { type ListRunsFilter, RunStore, type RunStoreShape } from "./internal/RunStore.js"
/** Record schemas and status vocabularies. */
export {
  ApprovalMethod,
  ApprovalRecord,
  ApprovalStatus,
  isResumable,
  NewRun,
  NodeRecord,
  NodeStatus,
  RESUMABLE_STATUSES,
  RunRecord,
  RunStatus,
  TERMINAL_STATUSES
} from "./internal/records.js"
