import { currentIsoTime } from "@gauntlet/canonical"
import { EventLog, type RunEvent } from "@gauntlet/event-stream"
import {
  type ApprovalRecord,
  type CheckedNode,
  checkApprovalChange,
  checkNewRun,
  checkRecordInput,
  DuplicateRun,
  type ListRunsFilter,
  matchesListFilter,
  type NewRun,
  type NodeRecord,
  nextRunRecord,
  type RecordInput,
  RunJournal,
  type RunJournalShape,
  RunNotFound,
  type RunRecord,
  RunStore,
  type RunStoreShape,
  versionConflict
} from "@gauntlet/run-store"
import { Context, Effect, Either, Layer, Option } from "effect"

/**
 * The row as a store that keeps JSON text would return it: JSON members re-read from their canonical text, so a
 * caller mutating its objects later cannot change what was recorded, and both stores return the same values.
 */
const storedNode = ({ node, outputText, failureText }: CheckedNode): NodeRecord => {
  const row: { -readonly [K in keyof NodeRecord]: NodeRecord[K] } = {
    runId: node.runId,
    nodeId: node.nodeId,
    status: node.status,
    attempts: node.attempts
  }
  if (outputText !== null) row.output = JSON.parse(outputText)
  if (failureText !== null) row.failure = JSON.parse(failureText)
  return row
}

/**
 * Builds the in-memory journal and store over the `EventLog` in context. One lock serialises `create` and
 * `record`; inside `record` every check runs first, then the one fallible step (the event append, itself
 * all-or-nothing), and only then the maps change, so a failed `record` leaves no event and no row.
 */
export const makeRunStoreMemory = Effect.gen(function* () {
  const log = yield* EventLog
  const lock = yield* Effect.makeSemaphore(1)
  const runs = new Map<string, RunRecord>()
  const nodesByRun = new Map<string, Map<string, NodeRecord>>()
  const approvals = new Map<string, ApprovalRecord>()
  const approvalOrder: Array<string> = []

  const record = Effect.fn("RunJournal.record")(function* (input: RecordInput) {
    const checked = checkRecordInput(input)
    if (Either.isLeft(checked)) return yield* checked.left
    const { runId, stateText, nodes, approvals: nextApprovals, expectedVersion } = checked.right
    return yield* lock.withPermits(1)(
      Effect.gen(function* () {
        const stored = runs.get(runId)
        if (stored === undefined) return yield* new RunNotFound({ runId })
        const conflict = versionConflict(stored, expectedVersion)
        if (Option.isSome(conflict)) return yield* conflict.value
        for (let index = 0; index < nextApprovals.length; index++) {
          const next = nextApprovals[index] as ApprovalRecord
          const change = checkApprovalChange(index, Option.fromNullable(approvals.get(next.approvalId)), next)
          if (Either.isLeft(change)) return yield* change.left
        }
        const events: ReadonlyArray<RunEvent> =
          input.events.length === 0 ? [] : yield* log.appendBatch(input.events)
        const now = yield* currentIsoTime
        const eventSeq = events.length === 0 ? stored.eventSeq : (events[events.length - 1] as RunEvent).seq
        const moved = nextRunRecord(stored, input, eventSeq, now)
        const next = stateText === undefined ? moved : { ...moved, state: JSON.parse(stateText) }
        runs.set(runId, next)
        let runNodes = nodesByRun.get(runId)
        if (runNodes === undefined) {
          runNodes = new Map()
          nodesByRun.set(runId, runNodes)
        }
        for (const checkedNode of nodes) runNodes.set(checkedNode.node.nodeId, storedNode(checkedNode))
        for (const approval of nextApprovals) {
          if (!approvals.has(approval.approvalId)) approvalOrder.push(approval.approvalId)
          approvals.set(approval.approvalId, approval)
        }
        return { events, version: next.version, eventSeq }
      })
    )
  })

  const create = Effect.fn("RunStore.create")(function* (run: NewRun) {
    const now = yield* currentIsoTime
    const checked = checkNewRun(run, now)
    if (Either.isLeft(checked)) return yield* checked.left
    const created = { ...checked.right.record, state: JSON.parse(checked.right.stateText) }
    return yield* lock.withPermits(1)(
      Effect.suspend(() => {
        if (runs.has(created.runId)) return Effect.fail(new DuplicateRun({ runId: created.runId }))
        runs.set(created.runId, created)
        return Effect.succeed(created)
      })
    )
  })

  const journal: RunJournalShape = { record }
  const store: RunStoreShape = {
    create,
    get: (runId) => Effect.sync(() => Option.fromNullable(runs.get(runId))),
    list: (filter?: ListRunsFilter) =>
      Effect.sync(() => {
        const all = [...runs.values()].filter((run) => matchesListFilter(run, filter))
        return all.sort((a, b) =>
          a.createdAt === b.createdAt ? (a.runId < b.runId ? -1 : 1) : a.createdAt < b.createdAt ? -1 : 1
        )
      }),
    nodes: (runId) =>
      Effect.sync(() =>
        [...(nodesByRun.get(runId)?.values() ?? [])].sort((a, b) => (a.nodeId < b.nodeId ? -1 : 1))
      ),
    approvals: (runId) =>
      Effect.sync(() =>
        approvalOrder
          .map((id) => approvals.get(id) as ApprovalRecord)
          .filter((approval) => approval.runId === runId)
          .sort((a, b) => (a.requestedAt < b.requestedAt ? -1 : a.requestedAt > b.requestedAt ? 1 : 0))
      ),
    approval: (approvalId) => Effect.sync(() => Option.fromNullable(approvals.get(approvalId)))
  }
  return Context.make(RunJournal, journal).pipe(Context.add(RunStore, store))
})

/** The in-memory run store's Layer. */
export const RunStoreMemory = {
  /** `RunJournal` + `RunStore` in memory over the `EventLog` in context (use `EventLogMemory.layer` with it). */
  layer: Layer.effectContext(makeRunStoreMemory)
} as const
