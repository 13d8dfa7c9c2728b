import type { FileSystem } from "@effect/platform"
import * as SqlClient from "@effect/sql/SqlClient"
import { EventLog } from "@gauntlet/event-stream"
import { type ApprovalRecord, RunStore } from "@gauntlet/run-store"
import {
  decodeRunCheckpoint,
  foldRunEvents,
  projectionOfCheckpoint,
  WorkflowEngine
} from "@gauntlet/workflow"
import { Chunk, Effect, Option, Stream } from "effect"
import { NotLaunchedHere, ProjectionMismatch, RunNotFound } from "../errors.js"
import { type EvidenceNote, runEvidence } from "./evidence.js"
import { loadLaunch } from "./launch.js"
import { firstDifference, type RunReport } from "./render.js"
import { engineLayer, existingStores, loadRunAgents } from "./session.js"
import { consumedSteps } from "./steps.js"

/**
 * The report of one run: its checkpoint projection, cross-checked against the fold of its stored events (a
 * disagreement is `ProjectionMismatch`, data-integrity), every phase of its definition and its pending approval.
 */
export const runReport = (runId: string, path: string) =>
  inOneReadTransaction(
    Effect.gen(function* () {
      const store = yield* RunStore
      const record = yield* store.get(runId)
      if (Option.isNone(record)) return yield* new RunNotFound({ runId, path, lister: "gauntlet runs list" })
      const checkpoint = yield* decodeRunCheckpoint(runId, record.value.state)
      const projection = projectionOfCheckpoint(runId, checkpoint)
      const log = yield* EventLog
      const events = Chunk.toReadonlyArray(yield* Stream.runCollect(log.read(runId)))
      const folded = foldRunEvents(runId, events)
      const difference = firstDifference(projection, folded)
      if (difference !== undefined)
        return yield* new ProjectionMismatch({
          runId,
          path,
          field: difference.field,
          checkpoint: difference.left,
          events: difference.right
        })
      const approvals = yield* store.approvals(runId)
      const pending: ApprovalRecord | null = approvals.find((a) => a.status === "pending") ?? null
      const launched = Option.isSome(yield* loadLaunch(path, runId))
      const report: RunReport = {
        run: record.value,
        projection,
        phases: checkpoint.phases.map((p) => ({
          name: p.name,
          status: projection.phases[p.name]?.status ?? p.status,
          attempts: projection.phases[p.name]?.attempts ?? p.attempts
        })),
        pendingApproval: pending,
        launched
      }
      return { report, checkpoint, consumed: consumedSteps(events) }
    })
  )

/** Reads the checkpoint and the events in one SQLite transaction, so a concurrent writer cannot split them. */
const inOneReadTransaction = <A, E, R>(read: Effect.Effect<A, E, R>) =>
  Effect.flatMap(SqlClient.SqlClient, (sql) => sql.withTransaction(read))

/**
 * Runs `use` with an engine whose agents are rebuilt from the run's launch record (`withAgents`), or with no agents
 * (decisions and controls that never invoke one).
 */
export const withEngine = <A, E, R>(
  options: { readonly run: string; readonly db: string; readonly withAgents: boolean },
  use: (context: {
    readonly path: string
    readonly engine: typeof WorkflowEngine.Service
    readonly report: RunReport
    readonly definitionFile: string | undefined
    /** The evidence bundle written if the run reached a terminal state (see `runEvidence`). */
    readonly evidence: Effect.Effect<EvidenceNote | undefined, never, EventLog | FileSystem.FileSystem>
  }) => Effect.Effect<A, E, R>
) =>
  Effect.gen(function* () {
    const { path, layer } = yield* existingStores(options.db)
    return yield* Effect.gen(function* () {
      const { report, consumed } = yield* runReport(options.run, path)
      const launch = yield* loadLaunch(path, options.run)
      if (options.withAgents && Option.isNone(launch))
        return yield* new NotLaunchedHere({ runId: options.run, path })
      const agents =
        options.withAgents && Option.isSome(launch)
          ? yield* loadRunAgents(
              launch.value.agentScripts,
              consumed,
              launch.value.llm,
              report.projection.budgetSpent.costUsd
            )
          : []
      const evidence = yield* runEvidence(path)
      return yield* Effect.flatMap(WorkflowEngine, (engine) =>
        use({
          path,
          engine,
          report,
          definitionFile: Option.isSome(launch) ? launch.value.definitionFile : undefined,
          evidence: evidence.note
        })
      ).pipe(Effect.provide(engineLayer(agents, evidence.layer)))
    }).pipe(Effect.provide(layer))
  })
