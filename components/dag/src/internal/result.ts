import type { FailureClass } from "@gauntlet/failure"

/** How a node ended. */
export type NodeStatus = "succeeded" | "failed" | "skipped" | "cancelled"

/** How a whole run ended: every node succeeded, at least one did not, or the run was cancelled. */
export type DagStatus = "succeeded" | "failed" | "cancelled"

/** One node's outcome. Times are epoch milliseconds from the Effect `Clock` (so `TestClock` drives them). */
export interface NodeResult<O> {
  readonly id: string
  readonly status: NodeStatus
  /** Attempts started (0 for a node that never started). */
  readonly attempts: number
  /** The executor's output, for a succeeded node. */
  readonly output?: O
  /** The last attempt's failure, for a failed node. */
  readonly failure?: { readonly failureClass: FailureClass; readonly reason: string }
  /** For a skipped node: `[failedNode, …intermediate skipped nodes]`, the path by which the failure reached it. */
  readonly causeChain?: ReadonlyArray<string>
  /** When the first attempt started. */
  readonly startedAt?: number
  /** When the node reached its final status (absent for a node that never started). */
  readonly finishedAt?: number
  /** `finishedAt - startedAt`, retries and backoff included. */
  readonly durationMs?: number
}

/** The outcome of `runDag`. */
export interface DagResult<O> {
  readonly status: DagStatus
  /** Every node's result, keyed by id, in declaration order. */
  readonly nodes: ReadonlyMap<string, NodeResult<O>>
  /** How many nodes ended in each status. */
  readonly counts: Readonly<Record<NodeStatus, number>>
  readonly startedAt: number
  readonly finishedAt: number
  readonly durationMs: number
}
