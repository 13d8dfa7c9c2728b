import type { StoreFailure } from "@gauntlet/event-stream"
import type { Effect, Option } from "effect"
import { Context } from "effect"
import type { DuplicateRun, InvalidCheckpoint } from "./errors.js"
import type { ApprovalRecord, NewRun, NodeRecord, RunRecord, RunStatus } from "./records.js"

/** Which runs `list` returns; both filters combine with AND. */
export interface ListRunsFilter {
  /** Only runs in one of these statuses. */
  readonly status?: RunStatus | ReadonlyArray<RunStatus>
  /** Only runs that can be resumed (`running`, `paused`, `awaiting-approval`). */
  readonly resumable?: boolean
}

/** Reads of run checkpoints, and run creation. */
export interface RunStoreShape {
  /** Creates a run's checkpoint at version 0 (status `pending` unless given). */
  readonly create: (run: NewRun) => Effect.Effect<RunRecord, DuplicateRun | InvalidCheckpoint | StoreFailure>
  /** A run's checkpoint row. */
  readonly get: (runId: string) => Effect.Effect<Option.Option<RunRecord>, StoreFailure>
  /** Runs matching the filter, oldest created first. */
  readonly list: (filter?: ListRunsFilter) => Effect.Effect<ReadonlyArray<RunRecord>, StoreFailure>
  /** A run's node rows, by node id. */
  readonly nodes: (runId: string) => Effect.Effect<ReadonlyArray<NodeRecord>, StoreFailure>
  /** A run's approvals, oldest requested first. */
  readonly approvals: (runId: string) => Effect.Effect<ReadonlyArray<ApprovalRecord>, StoreFailure>
  /** One approval by id. */
  readonly approval: (approvalId: string) => Effect.Effect<Option.Option<ApprovalRecord>, StoreFailure>
}

/** Run checkpoint reads. Implementations: `@gauntlet/run-store-memory`, `@gauntlet/run-store-sqlite`. */
export class RunStore extends Context.Tag("@gauntlet/run-store/RunStore")<RunStore, RunStoreShape>() {}
