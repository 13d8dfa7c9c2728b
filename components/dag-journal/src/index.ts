/**
 * @module @gauntlet/dag-journal
 * Durable DAG runs (N2 "Task DAGs"): `runDag` from `@gauntlet/dag` with its task events written to the run's
 * EventLog and its node states to `NodeRecord` rows, both through `RunJournal.record` in group commits; a node
 * starts only once its start (and so every dependency's success) is durable, and resume never re-runs a node whose
 * success was recorded.
 */

/** Typed errors of durable runs (besides those of `@gauntlet/dag` and `@gauntlet/run-store`). */
export { RunAlreadyStarted, UndecodableNodeOutput } from "./internal/errors.js"
/** The group committer: batches journal entries into one `RunJournal.record` per write. */
export { type CommitStats, type GroupCommitter, makeGroupCommitter } from "./internal/group-commit.js"
/** Running and resuming a DAG durably. */
export {
  type DurableDagError,
  type DurableDagOptions,
  type DurableDagResult,
  resumeDagDurably,
  runDagDurably
} from "./internal/run-durably.js"
/** How each DAG task event maps onto the N3 catalogue and a node row. */
export {
  type JournalEntry,
  skipReason,
  type TaskDraftContext,
  toJournalEntry
} from "./internal/task-drafts.js"
