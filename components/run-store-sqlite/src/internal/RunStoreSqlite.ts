import { SqlClient } from "@effect/sql"
import { SqliteClient } from "@effect/sql-sqlite-node"
import { currentIsoTime } from "@gauntlet/canonical"
import {
  EventLogSqlite,
  type SqliteFileOptions,
  withImmediateTransaction
} from "@gauntlet/event-store-sqlite"
import { EventLog, type RunEvent, StoreFailure } from "@gauntlet/event-stream"
import {
  type ApprovalRecord,
  checkApprovalChange,
  checkNewRun,
  checkRecordInput,
  DuplicateRun,
  isResumable,
  type ListRunsFilter,
  type NewRun,
  type RecordInput,
  RunJournal,
  type RunJournalShape,
  RunNotFound,
  RunStatus,
  RunStore,
  type RunStoreShape,
  versionConflict
} from "@gauntlet/run-store"
import { Context, Effect, Either, Layer, Option } from "effect"
import { migrate } from "./migrations.js"
import { readApproval, readApprovals, readNodes, readRun, readRuns } from "./readCheckpoint.js"
import { toStoreFailure } from "./storeFailure.js"
import { insertRun, readVersion, updateRun, upsertApproval, upsertNodes } from "./writeCheckpoint.js"

/** The statuses a `list` filter selects, or `undefined` for all. */
const statusesFor = (filter: ListRunsFilter | undefined): ReadonlyArray<string> | undefined => {
  if (filter === undefined || (filter.status === undefined && filter.resumable === undefined))
    return undefined
  let statuses: ReadonlyArray<RunStatus> =
    filter.status === undefined
      ? RunStatus.literals
      : typeof filter.status === "string"
        ? [filter.status]
        : filter.status
  if (filter.resumable !== undefined) statuses = statuses.filter((s) => isResumable(s) === filter.resumable)
  return statuses
}

/**
 * Opens the run store over the `SqlClient` and `EventLog` in context (the event log must be an `EventLogSqlite` on
 * the same connection, so its appends join `record`'s transaction): migrates, then serves both services.
 */
export const makeRunStoreSqlite = Effect.gen(function* () {
  const sql = yield* SqlClient.SqlClient
  const log = yield* EventLog
  const sqlite = yield* Effect.serviceOption(SqliteClient.SqliteClient)
  const store = Option.match(sqlite, { onNone: () => "sqlite", onSome: (client) => client.config.filename })
  const toFailure = (error: unknown): StoreFailure => toStoreFailure(store, error)

  const openedAt = yield* currentIsoTime
  yield* Effect.mapError(
    withImmediateTransaction(sql, (conn) => migrate(conn, store, openedAt)),
    toFailure
  )

  const record = Effect.fn("RunJournal.record")(function* (input: RecordInput) {
    const checked = checkRecordInput(input)
    if (Either.isLeft(checked)) return yield* checked.left
    const { runId, stateText, nodes, approvals, expectedVersion } = checked.right
    const now = yield* currentIsoTime
    return yield* Effect.catchTag(
      withImmediateTransaction(sql, (conn) =>
        Effect.gen(function* () {
          const stored = yield* readVersion(conn, runId)
          if (stored === undefined) return yield* new RunNotFound({ runId })
          const conflict = versionConflict({ runId, version: stored.version }, expectedVersion)
          if (Option.isSome(conflict)) return yield* conflict.value
          for (let index = 0; index < approvals.length; index++) {
            const next = approvals[index] as ApprovalRecord
            const previous = yield* readApproval(sql, store, next.approvalId)
            const change = checkApprovalChange(index, previous, next)
            if (Either.isLeft(change)) return yield* change.left
          }
          // Checkpoint rows first, events last: the event log publishes to live subscribers as soon as its
          // savepoint succeeds, so after the append only COMMIT itself can still fail.
          const head = input.events.length === 0 ? undefined : yield* log.head(runId)
          const eventSeq = head === undefined ? stored.event_seq : head.seq + input.events.length
          const version = stored.version + 1
          const runUpdate =
            input.run === undefined || stateText === undefined
              ? undefined
              : { status: input.run.status, stateText }
          yield* updateRun(conn, runId, version, eventSeq, now, runUpdate)
          yield* upsertNodes(conn, nodes)
          for (const approval of approvals) yield* upsertApproval(conn, approval)
          const events: ReadonlyArray<RunEvent> =
            input.events.length === 0 ? [] : yield* log.appendBatch(input.events)
          const lastSeq = events.length === 0 ? stored.event_seq : (events[events.length - 1] as RunEvent).seq
          if (lastSeq !== eventSeq) {
            return yield* new StoreFailure({
              reason: "corrupt",
              store,
              detail: `run ${runId}: events were placed up to seq ${lastSeq}, expected ${eventSeq} (the event log is not on this store's connection)`
            })
          }
          return { events, version, eventSeq }
        })
      ),
      "SqlError",
      (error) => Effect.fail(toFailure(error))
    )
  })

  const create = Effect.fn("RunStore.create")(function* (run: NewRun) {
    const now = yield* currentIsoTime
    const checked = checkNewRun(run, now)
    if (Either.isLeft(checked)) return yield* checked.left
    const { record: created, stateText } = checked.right
    const inserted = yield* Effect.mapError(
      withImmediateTransaction(sql, (conn) => insertRun(conn, created, stateText)),
      toFailure
    )
    if (!inserted) return yield* new DuplicateRun({ runId: created.runId })
    return created
  })

  const journal: RunJournalShape = { record }
  const reads: RunStoreShape = {
    create,
    get: (runId) => readRun(sql, store, runId),
    list: (filter) => readRuns(sql, store, statusesFor(filter)),
    nodes: (runId) => readNodes(sql, store, runId),
    approvals: (runId) => readApprovals(sql, store, runId),
    approval: (approvalId) => readApproval(sql, store, approvalId)
  }
  return Context.make(RunJournal, journal).pipe(Context.add(RunStore, reads))
})

const layer = Layer.effectContext(makeRunStoreSqlite)

/** The SQLite run store's Layers. */
export const RunStoreSqlite = {
  /**
   * `RunJournal` + `RunStore` over the `SqlClient` and `EventLog` in context; the `EventLog` must be
   * `EventLogSqlite.layer` over the SAME client (compose `EventLogSqlite.layerClient(file)` once, provide both).
   */
  layer,
  /** `EventLog` + `RunJournal` + `RunStore` over one SQLite file and one connection, opened and migrated. */
  layerFile: (filename: string, options?: SqliteFileOptions) =>
    Layer.provideMerge(layer, EventLogSqlite.layer).pipe(
      Layer.provide(EventLogSqlite.layerClient(filename, options))
    )
} as const
