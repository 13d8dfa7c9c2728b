import type { SqlClient } from "@effect/sql/SqlClient"
import type { StoreFailure } from "@gauntlet/event-stream"
import { ApprovalRecord, NodeRecord, RunRecord } from "@gauntlet/run-store"
import { Effect, Either, Option, Schema } from "effect"
import { corruptRow, toStoreFailure } from "./storeFailure.js"

const RUN_COLUMNS =
  "run_id, workflow_id, workflow_version, spec_digest, status, state, version, event_seq, created_at, updated_at"
const APPROVAL_COLUMNS =
  "approval_id, run_id, phase, reason, requested_at, status, decided_by, method, justification, decided_at"

const decodeRun = Schema.decodeUnknownEither(RunRecord)
const decodeNode = Schema.decodeUnknownEither(NodeRecord)
const decodeApproval = Schema.decodeUnknownEither(ApprovalRecord)

type Row = Readonly<Record<string, unknown>>

const parseJson = (text: unknown): Either.Either<unknown, string> => {
  if (typeof text !== "string") return Either.left("JSON column is not text")
  try {
    return Either.right(JSON.parse(text))
  } catch (error) {
    return Either.left(`stored text is not JSON (${String(error)})`)
  }
}

const nullable = (value: unknown) => (value === null ? undefined : value)

/** A `run_checkpoints` row as a `RunRecord`, or `corrupt` naming the run. */
const runFromRow = (store: string, row: Row): Either.Either<RunRecord, StoreFailure> => {
  const where = `run_checkpoints ${String(row.run_id)}`
  const state = parseJson(row.state)
  if (Either.isLeft(state)) return Either.left(corruptRow(store, where, state.left))
  return Either.mapLeft(
    decodeRun({
      runId: row.run_id,
      workflowId: row.workflow_id,
      workflowVersion: row.workflow_version,
      specDigest: row.spec_digest,
      status: row.status,
      state: state.right,
      version: row.version,
      eventSeq: row.event_seq,
      createdAt: row.created_at,
      updatedAt: row.updated_at
    }),
    (error) => corruptRow(store, where, error.message)
  )
}

const nodeFromRow = (store: string, row: Row): Either.Either<NodeRecord, StoreFailure> => {
  const where = `run_nodes ${String(row.run_id)}/${String(row.node_id)}`
  const output = row.output === null ? Either.right(undefined) : parseJson(row.output)
  if (Either.isLeft(output)) return Either.left(corruptRow(store, where, output.left))
  const failure = row.failure === null ? Either.right(undefined) : parseJson(row.failure)
  if (Either.isLeft(failure)) return Either.left(corruptRow(store, where, failure.left))
  const node: Record<string, unknown> = {
    runId: row.run_id,
    nodeId: row.node_id,
    status: row.status,
    attempts: row.attempts
  }
  if (output.right !== undefined) node.output = output.right
  if (failure.right !== undefined) node.failure = failure.right
  return Either.mapLeft(decodeNode(node), (error) => corruptRow(store, where, error.message))
}

const approvalFromRow = (store: string, row: Row): Either.Either<ApprovalRecord, StoreFailure> => {
  const approval: Record<string, unknown> = {
    approvalId: row.approval_id,
    runId: row.run_id,
    phase: row.phase,
    reason: row.reason,
    requestedAt: row.requested_at,
    status: row.status
  }
  for (const [field, column] of [
    ["decidedBy", "decided_by"],
    ["method", "method"],
    ["justification", "justification"],
    ["decidedAt", "decided_at"]
  ] as const) {
    const value = nullable(row[column])
    if (value !== undefined) approval[field] = value
  }
  return Either.mapLeft(decodeApproval(approval), (error) =>
    corruptRow(store, `approvals ${String(row.approval_id)}`, error.message)
  )
}

const query = (sql: SqlClient, store: string, text: string, params: ReadonlyArray<unknown>) =>
  Effect.mapError(sql.unsafe<Row>(text, params), (error) => toStoreFailure(store, error))

const decodeAll = <A>(rows: ReadonlyArray<Row>, decode: (row: Row) => Either.Either<A, StoreFailure>) =>
  Effect.forEach(rows, (row) => decode(row))

/** One run's checkpoint row. */
export const readRun = (sql: SqlClient, store: string, runId: string) =>
  Effect.flatMap(
    query(sql, store, `SELECT ${RUN_COLUMNS} FROM run_checkpoints WHERE run_id = ?`, [runId]),
    (rows) => {
      const row = rows[0]
      return row === undefined
        ? Effect.succeed(Option.none())
        : Effect.map(runFromRow(store, row), Option.some)
    }
  )

/** Runs matching the filter, oldest created first (status filters use the `(status, created_at)` index). */
export const readRuns = (sql: SqlClient, store: string, statuses: ReadonlyArray<string> | undefined) => {
  const text =
    statuses === undefined
      ? `SELECT ${RUN_COLUMNS} FROM run_checkpoints ORDER BY created_at, run_id`
      : `SELECT ${RUN_COLUMNS} FROM run_checkpoints WHERE status IN (${statuses.map(() => "?").join(",")})
         ORDER BY created_at, run_id`
  return Effect.flatMap(query(sql, store, text, statuses ?? []), (rows) =>
    decodeAll(rows, (row) => runFromRow(store, row))
  )
}

/** A run's node rows by node id. */
export const readNodes = (sql: SqlClient, store: string, runId: string) =>
  Effect.flatMap(
    query(
      sql,
      store,
      "SELECT run_id, node_id, status, attempts, output, failure FROM run_nodes WHERE run_id = ? ORDER BY node_id",
      [runId]
    ),
    (rows) => decodeAll(rows, (row) => nodeFromRow(store, row))
  )

/** A run's approvals, oldest requested first. */
export const readApprovals = (sql: SqlClient, store: string, runId: string) =>
  Effect.flatMap(
    query(
      sql,
      store,
      `SELECT ${APPROVAL_COLUMNS} FROM approvals WHERE run_id = ? ORDER BY requested_at, rowid`,
      [runId]
    ),
    (rows) => decodeAll(rows, (row) => approvalFromRow(store, row))
  )

/** One approval by id (inside a transaction this reads the transaction's connection). */
export const readApproval = (sql: SqlClient, store: string, approvalId: string) =>
  Effect.flatMap(
    query(sql, store, `SELECT ${APPROVAL_COLUMNS} FROM approvals WHERE approval_id = ?`, [approvalId]),
    (rows) => {
      const row = rows[0]
      return row === undefined
        ? Effect.succeed(Option.none<ApprovalRecord>())
        : Effect.map(approvalFromRow(store, row), Option.some)
    }
  )
