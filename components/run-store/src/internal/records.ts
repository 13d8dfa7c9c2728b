import { IsoTime, RunId } from "@gauntlet/event-stream"
import { Schema } from "effect"

/** A run's lifecycle status as the engine's state machine sets it. */
export const RunStatus = Schema.Literal(
  "pending",
  "running",
  "awaiting-approval",
  "paused",
  "completed",
  "failed",
  "cancelled"
)
/** A run's lifecycle status. */
export type RunStatus = typeof RunStatus.Type

/** Statuses a run can be resumed from (N2-R74): work is left and nothing terminal happened. */
export const RESUMABLE_STATUSES: ReadonlyArray<RunStatus> = ["running", "paused", "awaiting-approval"]

/** True when a run in this status can be resumed. */
export const isResumable = (status: RunStatus): boolean => RESUMABLE_STATUSES.includes(status)

/** Statuses after which a run never changes again. */
export const TERMINAL_STATUSES: ReadonlyArray<RunStatus> = ["completed", "failed", "cancelled"]

/**
 * A run's durable checkpoint row. `state` is engine-owned JSON; `version` counts committed `record` calls (0 after
 * `create`); `eventSeq` is the seq of the last event appended through `record` (0 when none).
 */
export const RunRecord = Schema.Struct({
  runId: RunId,
  workflowId: Schema.String.pipe(Schema.minLength(1)),
  workflowVersion: Schema.String,
  specDigest: Schema.String,
  status: RunStatus,
  state: Schema.Unknown,
  version: Schema.Int.pipe(Schema.greaterThanOrEqualTo(0)),
  eventSeq: Schema.Int.pipe(Schema.greaterThanOrEqualTo(0)),
  createdAt: IsoTime,
  updatedAt: IsoTime
}).annotations({ identifier: "RunRecord", title: "Run checkpoint (N2)" })
/** A run's durable checkpoint row. */
export type RunRecord = typeof RunRecord.Type

/** What `RunStore.create` takes: a run's identity, initial status (default `pending`) and initial state. */
export const NewRun = Schema.Struct({
  runId: RunId,
  workflowId: Schema.String.pipe(Schema.minLength(1)),
  workflowVersion: Schema.String,
  specDigest: Schema.String,
  status: Schema.optional(RunStatus),
  state: Schema.Unknown
}).annotations({ identifier: "NewRun" })
/** What `RunStore.create` takes. */
export type NewRun = typeof NewRun.Type

/** A DAG node's (or phase's) status inside a run. */
export const NodeStatus = Schema.Literal("pending", "running", "succeeded", "failed", "skipped", "cancelled")
/** A node's status. */
export type NodeStatus = typeof NodeStatus.Type

/** One node's checkpoint row, upserted by `(runId, nodeId)` so a checkpoint costs O(changed nodes). */
export const NodeRecord = Schema.Struct({
  runId: RunId,
  nodeId: Schema.String.pipe(Schema.minLength(1)),
  status: NodeStatus,
  attempts: Schema.Int.pipe(Schema.greaterThanOrEqualTo(0)),
  output: Schema.optional(Schema.Unknown),
  failure: Schema.optional(Schema.Unknown)
}).annotations({ identifier: "NodeRecord" })
/** One node's checkpoint row. */
export type NodeRecord = typeof NodeRecord.Type

/** An approval's status: decided approvals never change again. */
export const ApprovalStatus = Schema.Literal("pending", "approved", "rejected")
/** An approval's status. */
export type ApprovalStatus = typeof ApprovalStatus.Type

/** Who or what decided an approval. */
export const ApprovalMethod = Schema.Literal("human", "rule", "policy")
/** Who or what decided an approval. */
export type ApprovalMethod = typeof ApprovalMethod.Type

/**
 * A request for approval and, once decided, the decision: who (`decidedBy`), how (`method`), why
 * (`justification`) and when (`decidedAt`).
 */
export const ApprovalRecord = Schema.Struct({
  approvalId: Schema.String.pipe(Schema.minLength(1)),
  runId: RunId,
  phase: Schema.String,
  reason: Schema.String,
  requestedAt: IsoTime,
  status: ApprovalStatus,
  decidedBy: Schema.optional(Schema.String),
  method: Schema.optional(ApprovalMethod),
  justification: Schema.optional(Schema.String),
  decidedAt: Schema.optional(IsoTime)
}).annotations({ identifier: "ApprovalRecord" })
/** An approval request and its decision. */
export type ApprovalRecord = typeof ApprovalRecord.Type
