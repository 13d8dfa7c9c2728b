import type { TaskEvent } from "@gauntlet/dag"
import type { EventDraft } from "@gauntlet/event-stream"
import type { NodeRecord } from "@gauntlet/run-store"

/** What one DAG task event becomes in the journal: EventLog drafts (N3 catalogue) and at most one node row. */
export interface JournalEntry {
  readonly drafts: ReadonlyArray<EventDraft>
  readonly node: NodeRecord | undefined
}

/** What the mapping needs besides the event: the run, the actor, a node's dependencies and its encoded output. */
export interface TaskDraftContext {
  readonly runId: string
  readonly actor: string
  /** A node's `dependsOn` (for `task/ready`'s `dependencies`). */
  readonly dependenciesOf: (nodeId: string) => ReadonlyArray<string>
  /** The JSON output a node's successful attempt returned (set before its `task/succeeded` event is handled). */
  readonly outputOf: (nodeId: string) => unknown
}

/** The catalogue's `reason` is non-empty text; an executor may have failed with an empty one. */
const nonEmpty = (reason: string): string => (reason.length > 0 ? reason : "(no reason given)")

const draft = (ctx: TaskDraftContext, type: string, payload: Record<string, unknown>): EventDraft => ({
  runId: ctx.runId,
  type,
  actor: ctx.actor,
  payload
})

/** The reason a `task/skipped` event carries: the direct dependency that did not succeed and the root failure. */
export const skipReason = (causeChain: ReadonlyArray<string>): string => {
  const root = causeChain[0] ?? "?"
  const direct = causeChain[causeChain.length - 1] ?? root
  return direct === root
    ? `dependency "${root}" did not succeed`
    : `dependency "${direct}" was skipped because "${root}" did not succeed`
}

/**
 * Maps one `@gauntlet/dag` task event onto the N3 catalogue and the node's checkpoint row:
 * - `task/ready` → `task/ready { taskId, dependencies }` (no row: a node without a row is pending);
 * - `task/started` → `task/started { taskId, attempt }` and a `running` row;
 * - `task/retried` (the DAG's one event for "attempt n failed, attempt n+1 after delayMs") → `task/failed
 *   { taskId, attempt: n, failureClass, reason }` then `task/retried { taskId, attempt: n+1, reason, delayMs }`
 *   (the catalogue's `task/retried.attempt` is the NEW attempt), and a `running` row with `attempts: n`;
 * - `task/succeeded` → `task/succeeded { taskId, attempt, durationMs }` and a `succeeded` row with the output;
 * - `task/failed` → `task/failed { … }` and a `failed` row with `failure: { failureClass, reason }`;
 * - `task/skipped` → `task/skipped { taskId, reason, causeChain }` and a `skipped` row with
 *   `failure: { reason, causeChain }`;
 * - `task/cancelled` → no event (the N3 catalogue has no `task/cancelled`; the run's own cancellation event is the
 *   workflow engine's) and, for a node that had started, a `cancelled` row.
 * Durations and delays are rounded to whole milliseconds (the catalogue's `DurationMs`).
 */
export const toJournalEntry = (ctx: TaskDraftContext, event: TaskEvent): JournalEntry => {
  const taskId = event.nodeId
  switch (event.type) {
    case "task/ready":
      return {
        drafts: [draft(ctx, "task/ready", { taskId, dependencies: [...ctx.dependenciesOf(taskId)] })],
        node: undefined
      }
    case "task/started":
      return {
        drafts: [draft(ctx, "task/started", { taskId, attempt: event.attempt })],
        node: { runId: ctx.runId, nodeId: taskId, status: "running", attempts: event.attempt }
      }
    case "task/retried":
      return {
        drafts: [
          draft(ctx, "task/failed", {
            taskId,
            attempt: event.attempt,
            failureClass: event.failureClass,
            reason: nonEmpty(event.reason)
          }),
          draft(ctx, "task/retried", {
            taskId,
            attempt: event.attempt + 1,
            reason: nonEmpty(event.reason),
            delayMs: Math.max(0, Math.round(event.delayMs))
          })
        ],
        node: { runId: ctx.runId, nodeId: taskId, status: "running", attempts: event.attempt }
      }
    case "task/succeeded":
      return {
        drafts: [
          draft(ctx, "task/succeeded", {
            taskId,
            attempt: event.attempt,
            durationMs: Math.max(0, Math.round(event.durationMs))
          })
        ],
        node: {
          runId: ctx.runId,
          nodeId: taskId,
          status: "succeeded",
          attempts: event.attempt,
          output: ctx.outputOf(taskId)
        }
      }
    case "task/failed":
      return {
        drafts: [
          draft(ctx, "task/failed", {
            taskId,
            attempt: event.attempt,
            failureClass: event.failureClass,
            reason: nonEmpty(event.reason),
            durationMs: Math.max(0, Math.round(event.durationMs))
          })
        ],
        node: {
          runId: ctx.runId,
          nodeId: taskId,
          status: "failed",
          attempts: event.attempt,
          failure: { failureClass: event.failureClass, reason: event.reason }
        }
      }
    case "task/skipped": {
      const reason = skipReason(event.causeChain)
      return {
        drafts: [draft(ctx, "task/skipped", { taskId, reason, causeChain: [...event.causeChain] })],
        node: {
          runId: ctx.runId,
          nodeId: taskId,
          status: "skipped",
          attempts: 0,
          failure: { reason, causeChain: [...event.causeChain] }
        }
      }
    }
    case "task/cancelled":
      return {
        drafts: [],
        node:
          event.attempt === 0
            ? undefined
            : { runId: ctx.runId, nodeId: taskId, status: "cancelled", attempts: event.attempt }
      }
  }
}
