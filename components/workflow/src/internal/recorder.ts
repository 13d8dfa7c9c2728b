import type { ApprovalRecord, NodeRecord, RunJournalShape } from "@gauntlet/run-store"
import { Effect, Ref, Schema } from "effect"
import { type PhaseProgress, RunCheckpoint } from "./checkpoint.js"
import type { CompiledWorkflow } from "./compile.js"

/** An event to record, before the run id and actor are filled in. */
export interface StepEvent {
  readonly type: string
  readonly payload: Readonly<Record<string, unknown>>
  readonly actor?: string
}

/** A run this engine is executing or controlling: its compiled workflow, its checkpoint and its version. */
export interface RunHandle {
  readonly runId: string
  readonly compiled: CompiledWorkflow
  readonly checkpoint: Ref.Ref<RunCheckpoint>
  readonly version: Ref.Ref<number>
}

const encodeCheckpoint = Schema.encodeSync(RunCheckpoint)

/** Phase status → node row status (an escalated phase is still in progress: it waits for its approval). */
const nodeStatus = (progress: PhaseProgress): NodeRecord["status"] =>
  progress.status === "escalated" ? "running" : progress.status

/** The node row of a phase (`nodeId` = `phase:<name>`). */
const phaseNode = (runId: string, progress: PhaseProgress, cancelled = false): NodeRecord => ({
  runId,
  nodeId: `phase:${progress.name}`,
  status: cancelled && progress.status === "running" ? "cancelled" : nodeStatus(progress),
  attempts: progress.attempts,
  ...(progress.output === undefined ? {} : { output: progress.output })
})

/**
 * Writes one step atomically through `RunJournal.record`: the events, the new checkpoint (status + state) at the
 * version this handle last wrote, the touched phase rows and approvals. On success the handle holds the new
 * checkpoint and version; on failure nothing changed (the run resumes from the previous checkpoint).
 */
export const commitStep = Effect.fn("WorkflowEngine.commitStep")(function* (
  journal: RunJournalShape,
  handle: RunHandle,
  step: {
    readonly events: ReadonlyArray<StepEvent>
    readonly next: RunCheckpoint
    readonly phases?: ReadonlyArray<string>
    readonly approvals?: ReadonlyArray<ApprovalRecord>
  }
) {
  const version = yield* Ref.get(handle.version)
  const touched = new Set(step.phases ?? [])
  const cancelled = step.next.status === "cancelled"
  const nodes = step.next.phases
    .filter((p) => touched.has(p.name))
    .map((p) => phaseNode(handle.runId, p, cancelled))
  const result = yield* journal.record({
    runId: handle.runId,
    events: step.events.map((e) => ({
      runId: handle.runId,
      type: e.type,
      actor: e.actor ?? "kernel",
      payload: e.payload
    })),
    run: { status: step.next.status, state: encodeCheckpoint(step.next), expectedVersion: version },
    ...(nodes.length === 0 ? {} : { nodes }),
    ...(step.approvals === undefined || step.approvals.length === 0 ? {} : { approvals: step.approvals })
  })
  yield* Ref.set(handle.version, result.version)
  yield* Ref.set(handle.checkpoint, step.next)
  return result
})
