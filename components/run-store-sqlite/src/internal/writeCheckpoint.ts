import type { Connection } from "@effect/sql/SqlConnection"
import type { ApprovalRecord, CheckedNode, RunRecord } from "@gauntlet/run-store"
import { Effect } from "effect"

const NODE_COLUMNS = 6

/** Multi-row upsert sizes; a node list is cut greedily into these so only a handful of statements is prepared. */
const CHUNK_SIZES = [128, 64, 32, 16, 8, 4, 2, 1] as const

const upsertNodesText = (rows: number): string =>
  `INSERT INTO run_nodes (run_id, node_id, status, attempts, output, failure) VALUES ${"(?,?,?,?,?,?),".repeat(rows).slice(0, -1)}
  ON CONFLICT (run_id, node_id) DO UPDATE SET status = excluded.status, attempts = excluded.attempts,
    output = excluded.output, failure = excluded.failure`

const UPSERT_NODES_BY_SIZE = new Map<number, string>(CHUNK_SIZES.map((size) => [size, upsertNodesText(size)]))

const chunkSizeFor = (remaining: number): number => {
  for (const size of CHUNK_SIZES) if (size <= remaining) return size
  return 1
}

/** Inserts a new run's version-0 row; returns false (nothing written) when the run id already exists. */
export const insertRun = (conn: Connection, run: RunRecord, stateText: string) =>
  Effect.map(
    conn.executeRaw(
      `INSERT INTO run_checkpoints (run_id, workflow_id, workflow_version, spec_digest, status, state, version,
        event_seq, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (run_id) DO NOTHING`,
      [
        run.runId,
        run.workflowId,
        run.workflowVersion,
        run.specDigest,
        run.status,
        stateText,
        run.version,
        run.eventSeq,
        run.createdAt,
        run.updatedAt
      ]
    ),
    (result) => (result as unknown as { readonly changes: number }).changes === 1
  )

/** The version and last recorded seq of a run, read under the write lock (`undefined`: no such run). */
export const readVersion = (conn: Connection, runId: string) =>
  Effect.map(
    conn.execute("SELECT version, event_seq FROM run_checkpoints WHERE run_id = ?", [runId], undefined),
    (rows) => rows[0] as { readonly version: number; readonly event_seq: number } | undefined
  )

/** Moves the run row to `version` (and status/state when `statusAndState` is given). */
export const updateRun = (
  conn: Connection,
  runId: string,
  version: number,
  eventSeq: number,
  now: string,
  statusAndState: { readonly status: string; readonly stateText: string } | undefined
) =>
  statusAndState === undefined
    ? conn.execute(
        "UPDATE run_checkpoints SET version = ?, event_seq = ?, updated_at = ? WHERE run_id = ?",
        [version, eventSeq, now, runId],
        undefined
      )
    : conn.execute(
        "UPDATE run_checkpoints SET status = ?, state = ?, version = ?, event_seq = ?, updated_at = ? WHERE run_id = ?",
        [statusAndState.status, statusAndState.stateText, version, eventSeq, now, runId],
        undefined
      )

/** Upserts node rows in multi-row statements (no reads). */
export const upsertNodes = (conn: Connection, nodes: ReadonlyArray<CheckedNode>) =>
  Effect.gen(function* () {
    let offset = 0
    while (offset < nodes.length) {
      const size = chunkSizeFor(nodes.length - offset)
      const params = new Array<unknown>(size * NODE_COLUMNS)
      for (let i = 0; i < size; i++) {
        const { node, outputText, failureText } = nodes[offset + i] as CheckedNode
        const base = i * NODE_COLUMNS
        params[base] = node.runId
        params[base + 1] = node.nodeId
        params[base + 2] = node.status
        params[base + 3] = node.attempts
        params[base + 4] = outputText
        params[base + 5] = failureText
      }
      yield* conn.execute(UPSERT_NODES_BY_SIZE.get(size) as string, params, undefined)
      offset += size
    }
  })

/** Upserts one approval row by id. */
export const upsertApproval = (conn: Connection, approval: ApprovalRecord) =>
  conn.execute(
    `INSERT INTO approvals (approval_id, run_id, phase, reason, requested_at, status, decided_by, method,
      justification, decided_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
    ON CONFLICT (approval_id) DO UPDATE SET status = excluded.status, decided_by = excluded.decided_by,
      method = excluded.method, justification = excluded.justification, decided_at = excluded.decided_at`,
    [
      approval.approvalId,
      approval.runId,
      approval.phase,
      approval.reason,
      approval.requestedAt,
      approval.status,
      approval.decidedBy ?? null,
      approval.method ?? null,
      approval.justification ?? null,
      approval.decidedAt ?? null
    ],
    undefined
  )
