import { canonicalJson, InvalidEvent, locateNonJson } from "@gauntlet/event-stream"
import { Either, Option, ParseResult, Schema } from "effect"
import { CheckpointConflict, InvalidCheckpoint } from "./errors.js"
import type { RecordInput } from "./RunJournal.js"
import { ApprovalRecord, isResumable, NewRun, NodeRecord, type RunRecord, RunStatus } from "./records.js"

/** A node row checked and with its JSON columns already encoded (RFC 8785 text, `null` when absent). */
export interface CheckedNode {
  readonly node: NodeRecord
  readonly outputText: string | null
  readonly failureText: string | null
}

/** A `record` input that passed every check that needs no stored data. */
export interface CheckedRecord {
  readonly runId: string
  /** Canonical text of the new state, when the run row changes. */
  readonly stateText: string | undefined
  readonly nodes: ReadonlyArray<CheckedNode>
  readonly approvals: ReadonlyArray<ApprovalRecord>
  readonly expectedVersion: number | undefined
}

const isNodeRecord = Schema.is(NodeRecord)
const isRunStatus = Schema.is(RunStatus)
const decodeApproval = Schema.decodeUnknownEither(ApprovalRecord)
const decodeNewRun = Schema.decodeUnknownEither(NewRun)

const firstIssue = (error: ParseResult.ParseError): { pointer: string; reason: string } => {
  const [issue] = ParseResult.ArrayFormatter.formatErrorSync(error)
  if (issue === undefined) return { pointer: "", reason: error.message }
  return { pointer: issue.path.map((segment) => `/${String(segment)}`).join(""), reason: issue.message }
}

/** RFC 8785 text of a JSON value, or an `InvalidCheckpoint` at `pointer` saying where it stops being JSON. */
export const jsonText = (
  runId: string,
  pointer: string,
  value: unknown
): Either.Either<string, InvalidCheckpoint> => {
  const text = canonicalJson(value)
  if (text !== undefined) return Either.right(text)
  const where = locateNonJson(value)
  return Either.left(
    new InvalidCheckpoint({
      runId,
      pointer: `${pointer}${where?.pointer ?? ""}`,
      reason: where?.reason ?? "not a JSON value"
    })
  )
}

const optionalJson = (runId: string, pointer: string, value: unknown) =>
  value === undefined ? Either.right(null) : jsonText(runId, pointer, value)

/** Checks an approval's own consistency: a decision names who, how and when; a pending one carries none. */
const checkApprovalShape = (runId: string, pointer: string, approval: ApprovalRecord) => {
  if (approval.runId !== runId) {
    return Either.left(
      new InvalidCheckpoint({
        runId,
        pointer: `${pointer}/runId`,
        reason: `approval ${approval.approvalId} belongs to run ${approval.runId}`
      })
    )
  }
  const decided = approval.status !== "pending"
  for (const field of ["decidedBy", "method", "decidedAt"] as const) {
    const present = approval[field] !== undefined
    if (decided && !present) {
      return Either.left(
        new InvalidCheckpoint({
          runId,
          pointer: `${pointer}/${field}`,
          reason: `a ${approval.status} approval must say ${field}`
        })
      )
    }
    if (!decided && present) {
      return Either.left(
        new InvalidCheckpoint({
          runId,
          pointer: `${pointer}/${field}`,
          reason: "a pending approval carries no decision"
        })
      )
    }
  }
  return Either.right(approval)
}

/**
 * Everything `record` checks before touching storage: every event draft is for this run, the run update's status
 * and JSON state, every node row (schema, run, JSON output/failure) and approval (schema, run, decision fields).
 */
export const checkRecordInput = (
  input: RecordInput
): Either.Either<CheckedRecord, InvalidEvent | InvalidCheckpoint> => {
  const { runId } = input
  for (let index = 0; index < input.events.length; index++) {
    const draft: unknown = input.events[index]
    const draftRun =
      typeof draft === "object" && draft !== null ? (draft as { runId?: unknown }).runId : undefined
    if (draftRun !== runId) {
      const type =
        typeof draft === "object" && draft !== null ? String((draft as { type?: unknown }).type) : ""
      return Either.left(
        new InvalidEvent({
          type,
          runId,
          pointer: `/${index}/runId`,
          reason: `event ${index} is for run ${String(draftRun)}, but this record is for run ${runId}`
        })
      )
    }
  }
  let stateText: string | undefined
  if (input.run !== undefined) {
    if (!isRunStatus(input.run.status)) {
      return Either.left(
        new InvalidCheckpoint({
          runId,
          pointer: "/run/status",
          reason: `unknown run status ${String(input.run.status)}`
        })
      )
    }
    const text = jsonText(runId, "/run/state", input.run.state)
    if (Either.isLeft(text)) return Either.left(text.left)
    stateText = text.right
  }
  const nodes: Array<CheckedNode> = []
  const inputNodes = input.nodes ?? []
  for (let index = 0; index < inputNodes.length; index++) {
    const node = inputNodes[index] as NodeRecord
    const pointer = `/nodes/${index}`
    if (!isNodeRecord(node)) {
      const decoded = Schema.decodeUnknownEither(NodeRecord)(node)
      const issue = Either.isLeft(decoded)
        ? firstIssue(decoded.left)
        : { pointer: "", reason: "not a node record" }
      return Either.left(
        new InvalidCheckpoint({ runId, pointer: `${pointer}${issue.pointer}`, reason: issue.reason })
      )
    }
    if (node.runId !== runId) {
      return Either.left(
        new InvalidCheckpoint({
          runId,
          pointer: `${pointer}/runId`,
          reason: `node ${node.nodeId} belongs to run ${node.runId}`
        })
      )
    }
    const outputText = optionalJson(runId, `${pointer}/output`, node.output)
    if (Either.isLeft(outputText)) return Either.left(outputText.left)
    const failureText = optionalJson(runId, `${pointer}/failure`, node.failure)
    if (Either.isLeft(failureText)) return Either.left(failureText.left)
    nodes.push({ node, outputText: outputText.right, failureText: failureText.right })
  }
  const approvals: Array<ApprovalRecord> = []
  const inputApprovals = input.approvals ?? []
  for (let index = 0; index < inputApprovals.length; index++) {
    const pointer = `/approvals/${index}`
    const decoded = decodeApproval(inputApprovals[index])
    if (Either.isLeft(decoded)) {
      const issue = firstIssue(decoded.left)
      return Either.left(
        new InvalidCheckpoint({ runId, pointer: `${pointer}${issue.pointer}`, reason: issue.reason })
      )
    }
    const checked = checkApprovalShape(runId, pointer, decoded.right)
    if (Either.isLeft(checked)) return Either.left(checked.left)
    approvals.push(checked.right)
  }
  return Either.right({
    runId,
    stateText,
    nodes,
    approvals,
    expectedVersion: input.expectedVersion ?? input.run?.expectedVersion
  })
}

/**
 * An approval may be upserted when it is new, still pending, or re-written unchanged. Its request (`phase`,
 * `reason`, `requestedAt`) never changes, a decided approval never changes (N2-R76), and an approval id never moves
 * to another run.
 */
export const checkApprovalChange = (
  index: number,
  stored: Option.Option<ApprovalRecord>,
  next: ApprovalRecord
): Either.Either<ApprovalRecord, InvalidCheckpoint> => {
  if (Option.isNone(stored)) return Either.right(next)
  const previous = stored.value
  const pointer = `/approvals/${index}`
  if (previous.runId !== next.runId) {
    return Either.left(
      new InvalidCheckpoint({
        runId: next.runId,
        pointer: `${pointer}/approvalId`,
        reason: `approval ${next.approvalId} already belongs to run ${previous.runId}`
      })
    )
  }
  for (const field of ["phase", "reason", "requestedAt"] as const) {
    if (previous[field] !== next[field]) {
      return Either.left(
        new InvalidCheckpoint({
          runId: next.runId,
          pointer: `${pointer}/${field}`,
          reason: `approval ${next.approvalId} was requested with ${field} ${JSON.stringify(previous[field])}; a request never changes`
        })
      )
    }
  }
  if (previous.status === "pending" || canonicalJson(previous) === canonicalJson(next))
    return Either.right(next)
  return Either.left(
    new InvalidCheckpoint({
      runId: next.runId,
      pointer: `${pointer}/status`,
      reason: `approval ${next.approvalId} was already ${previous.status} by ${previous.decidedBy ?? "?"} at ${previous.decidedAt ?? "?"}`
    })
  )
}

/** `CheckpointConflict` when the writer expected another version than the stored one. */
export const versionConflict = (
  stored: { readonly runId: string; readonly version: number },
  expectedVersion: number | undefined
): Option.Option<CheckpointConflict> =>
  expectedVersion === undefined || expectedVersion === stored.version
    ? Option.none()
    : Option.some(
        new CheckpointConflict({ runId: stored.runId, expectedVersion, actualVersion: stored.version })
      )

/** The run row after a committed `record`: version + 1, `eventSeq` moved, status/state replaced when given. */
export const nextRunRecord = (
  stored: RunRecord,
  input: RecordInput,
  eventSeq: number,
  now: string
): RunRecord => ({
  ...stored,
  status: input.run === undefined ? stored.status : input.run.status,
  state: input.run === undefined ? stored.state : input.run.state,
  version: stored.version + 1,
  eventSeq,
  updatedAt: now
})

/** Checks a `create` input and builds the version-0 row with its canonical state text. */
export const checkNewRun = (
  input: NewRun,
  now: string
): Either.Either<{ readonly record: RunRecord; readonly stateText: string }, InvalidCheckpoint> => {
  const runId =
    typeof input === "object" && input !== null ? String((input as { runId?: unknown }).runId) : ""
  const decoded = decodeNewRun(input)
  if (Either.isLeft(decoded)) {
    const issue = firstIssue(decoded.left)
    return Either.left(new InvalidCheckpoint({ runId, pointer: issue.pointer, reason: issue.reason }))
  }
  const run = decoded.right
  const stateText = jsonText(run.runId, "/state", run.state)
  if (Either.isLeft(stateText)) return Either.left(stateText.left)
  return Either.right({
    record: {
      runId: run.runId,
      workflowId: run.workflowId,
      workflowVersion: run.workflowVersion,
      specDigest: run.specDigest,
      status: run.status ?? "pending",
      state: run.state,
      version: 0,
      eventSeq: 0,
      createdAt: now,
      updatedAt: now
    },
    stateText: stateText.right
  })
}

/** True when a run matches a `list` filter. */
export const matchesListFilter = (
  run: RunRecord,
  filter: { readonly status?: RunStatus | ReadonlyArray<RunStatus>; readonly resumable?: boolean } | undefined
): boolean => {
  if (filter === undefined) return true
  if (filter.status !== undefined) {
    const wanted: ReadonlyArray<RunStatus> =
      typeof filter.status === "string" ? [filter.status] : filter.status
    if (!wanted.includes(run.status)) return false
  }
  if (filter.resumable !== undefined) {
    if (isResumable(run.status) !== filter.resumable) return false
  }
  return true
}
