import type { EventDraft } from "@gauntlet/event-stream"
import type { NodeRecord, RecordError, RunJournalShape } from "@gauntlet/run-store"
import { type Cause, Deferred, Effect, Exit, type Scope } from "effect"

/** Counters of a committer, for tests and benchmarks. */
export interface CommitStats {
  /** `record` calls that committed. */
  readonly commits: number
  /** Events written. */
  readonly events: number
  /** Node rows written (after coalescing: a node changed twice in one batch is written once). */
  readonly nodeRows: number
  /** The largest batch, in events. */
  readonly largestBatch: number
}

/** Everything enqueued between two `record` calls: written as ONE `record` (one transaction). */
interface Batch {
  readonly drafts: Array<EventDraft>
  /** Node rows by node id: a later row of the same node replaces an earlier one. */
  readonly nodes: Map<string, NodeRecord>
  /** Succeeds once the batch is durable; fails with the `record` error if it (or an earlier batch) was not. */
  readonly durable: Deferred.Deferred<void, RecordError>
}

/**
 * Writes a run's journal entries in group commits. `enqueue` adds drafts and node rows to the open batch and returns
 * that batch's durability signal; one writer fiber takes the whole open batch, writes it with ONE
 * `RunJournal.record` call, and meanwhile everything enqueued goes into the next batch. Batches commit in enqueue
 * order, so "batch k is durable" implies everything enqueued before it is durable too.
 * After a failed `record` (an error or a defect), every pending and later signal fails with that cause and nothing
 * more is written.
 */
export interface GroupCommitter {
  /** Adds entries to the open batch (synchronous; wakes the writer); returns the batch's durability signal. */
  readonly enqueue: (
    drafts: ReadonlyArray<EventDraft>,
    node: NodeRecord | undefined
  ) => Deferred.Deferred<void, RecordError>
  /** Waits until everything enqueued so far is durable (fails with the write error if it cannot be). */
  readonly flush: Effect.Effect<void, RecordError>
  /** The cause (a `record` error or a store defect) that stopped the committer, if any. */
  readonly failure: () => Cause.Cause<RecordError> | undefined
  /** Counters so far. */
  readonly stats: () => CommitStats
}

/**
 * Starts a committer for `runId` over `journal`; its writer fiber lives in the caller's scope. `onFailure` runs once,
 * in the writer, when a `record` fails (e.g. to cancel the DAG run).
 */
export const makeGroupCommitter = (
  journal: RunJournalShape,
  runId: string,
  onFailure: (cause: Cause.Cause<RecordError>) => Effect.Effect<void>
): Effect.Effect<GroupCommitter, never, Scope.Scope> =>
  Effect.gen(function* () {
    const fiberId = yield* Effect.fiberId
    const newBatch = (): Batch => ({
      drafts: [],
      nodes: new Map(),
      durable: Deferred.unsafeMake<void, RecordError>(fiberId)
    })
    const wake = yield* Effect.makeLatch(false)
    let open = newBatch()
    /** The batch being written, if any (flush waits for it when the open batch is empty). */
    let writing: Batch | undefined
    let failed: Cause.Cause<RecordError> | undefined
    let commits = 0
    let events = 0
    let nodeRows = 0
    let largestBatch = 0

    const isEmpty = (batch: Batch) => batch.drafts.length === 0 && batch.nodes.size === 0

    const enqueue = (
      drafts: ReadonlyArray<EventDraft>,
      node: NodeRecord | undefined
    ): Deferred.Deferred<void, RecordError> => {
      const batch = open
      if (failed === undefined) {
        for (const d of drafts) batch.drafts.push(d)
        if (node !== undefined) batch.nodes.set(node.nodeId, node)
        wake.unsafeOpen()
      }
      return batch.durable
    }

    const writeOne = Effect.gen(function* () {
      yield* wake.await
      wake.unsafeClose()
      if (isEmpty(open) || failed !== undefined) return
      const batch = open
      open = newBatch()
      writing = batch
      const nodes = [...batch.nodes.values()]
      const exit = yield* Effect.exit(journal.record({ runId, events: batch.drafts, nodes }))
      writing = undefined
      if (Exit.isSuccess(exit)) {
        commits++
        events += batch.drafts.length
        nodeRows += nodes.length
        if (batch.drafts.length > largestBatch) largestBatch = batch.drafts.length
        yield* Deferred.succeed(batch.durable, undefined)
        return
      }
      // Typed error or defect alike: the batch, the open batch and every later one fail, and the run is stopped.
      failed = exit.cause
      yield* Deferred.failCause(batch.durable, exit.cause)
      yield* Deferred.failCause(open.durable, exit.cause)
      yield* onFailure(exit.cause)
    })

    yield* Effect.forkScoped(Effect.forever(writeOne).pipe(Effect.catchAllCause(() => Effect.void)))

    const flush: Effect.Effect<void, RecordError> = Effect.suspend(() => {
      if (failed !== undefined) return Effect.failCause(failed)
      if (!isEmpty(open)) {
        wake.unsafeOpen()
        return Deferred.await(open.durable)
      }
      return writing === undefined ? Effect.void : Deferred.await(writing.durable)
    })

    return {
      enqueue,
      flush,
      failure: () => failed,
      stats: () => ({ commits, events, nodeRows, largestBatch })
    }
  })
