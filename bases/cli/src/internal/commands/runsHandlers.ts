import { readFileSync } from "node:fs"
import { resolve } from "node:path"
import { Ids } from "@gauntlet/canonical"
import { RunStore } from "@gauntlet/run-store"
import { loadWorkflowFile, WorkflowEngine } from "@gauntlet/workflow"
import { Effect, Option } from "effect"
import { InvalidInput, InvalidOptionValue, NoPendingApproval, RunAwaitsApproval } from "../errors.js"
import { readLlmAgentSpec } from "../llm/agentSpec.js"
import { budgetOf, decideMode } from "../llm/chokepoint.js"
import { writeLines } from "../output.js"
import { runReport, withEngine } from "../runs/context.js"
import { driveGracefully, finish, settle } from "../runs/drive.js"
import { runEvidence } from "../runs/evidence.js"
import { type LlmLaunch, saveLaunch } from "../runs/launch.js"
import {
  type RunReport,
  runRecordJson,
  runRecordsTable,
  runReportJson,
  runReportLines
} from "../runs/render.js"
import { creatableStores, engineLayer, existingStores, loadRunAgents } from "../runs/session.js"

/** Options of `gauntlet workflow run`. */
export interface WorkflowRunOptions {
  readonly definition: string
  readonly agents: ReadonlyArray<string>
  readonly input: Option.Option<string>
  readonly inputFile: Option.Option<string>
  readonly runId: Option.Option<string>
  readonly db: string
  readonly json: boolean
  readonly mode: Option.Option<string>
  readonly cassette: Option.Option<string>
  readonly budgetUsd: Option.Option<number>
}

const parseJson = (source: string, text: string) =>
  Effect.try({
    try: (): unknown => JSON.parse(text),
    catch: (error) =>
      new InvalidInput({ source, detail: error instanceof Error ? error.message : String(error) })
  })

const runInput = (options: WorkflowRunOptions) => {
  if (Option.isSome(options.input) && Option.isSome(options.inputFile))
    return Effect.fail(
      new InvalidOptionValue({
        option: "--input-file",
        value: options.inputFile.value,
        reason: "give --input or --input-file, not both"
      })
    )
  if (Option.isSome(options.input)) return parseJson("--input", options.input.value)
  if (Option.isSome(options.inputFile)) {
    const file = resolve(options.inputFile.value)
    return Effect.try({
      try: () => readFileSync(file, "utf8"),
      catch: (error) =>
        new InvalidInput({ source: file, detail: error instanceof Error ? error.message : String(error) })
    }).pipe(Effect.flatMap((text) => parseJson(file, text)))
  }
  return Effect.succeed(undefined)
}

/**
 * The model settings of a run with LLM agents (`undefined` when every agent is scripted): the mode decided from
 * `--mode`/`GAUNTLET_LLM_MODE`/`--cassette`, the absolute cassette path and the model budget (`--budget-usd`, else
 * the definition's `budget.costUsd`, else the default).
 */
const llmLaunchOf = (
  options: WorkflowRunOptions,
  agentFiles: ReadonlyArray<string>,
  definitionCostUsd: number | undefined
) =>
  Effect.gen(function* () {
    const specs = yield* Effect.forEach(agentFiles, readLlmAgentSpec)
    if (specs.every((spec) => spec === undefined)) return undefined
    const { resolved } = yield* decideMode(options)
    const budgetUsd =
      Option.isNone(options.budgetUsd) && definitionCostUsd !== undefined
        ? definitionCostUsd
        : yield* budgetOf(options)
    const launch: LlmLaunch = {
      mode: resolved.mode,
      ...(resolved.cassette === undefined ? {} : { cassette: resolve(resolved.cassette) }),
      budgetUsd
    }
    return launch
  })

/** `gauntlet workflow run`: starts a governed run with scripted agents and drives it until it stops. */
export const workflowRun = (options: WorkflowRunOptions) =>
  Effect.gen(function* () {
    if (options.agents.length === 0)
      return yield* new InvalidOptionValue({
        option: "--agents",
        value: "",
        reason: "at least one agent script is required"
      })
    const definitionFile = resolve(options.definition)
    const agentScripts = options.agents.map((file) => resolve(file))
    const compiled = yield* loadWorkflowFile(definitionFile)
    const input = yield* runInput(options)
    const llm = yield* llmLaunchOf(options, agentScripts, compiled.definition.budget?.costUsd)
    const { path, layer } = yield* creatableStores(options.db)
    const evidence = yield* runEvidence(path)
    return yield* Effect.gen(function* () {
      const runId = Option.isSome(options.runId) ? options.runId.value : yield* (yield* Ids).next
      const store = yield* RunStore
      // A taken run id is refused by the engine (DuplicateRun); its launch record is left as it was.
      if (Option.isNone(yield* store.get(runId)))
        yield* saveLaunch(path, runId, {
          definitionFile,
          agentScripts,
          ...(llm === undefined ? {} : { llm })
        })
      const agents = yield* loadRunAgents(agentScripts, {}, llm)
      return yield* Effect.gen(function* () {
        const engine = yield* WorkflowEngine
        const driven = yield* driveGracefully({
          runId,
          engine,
          operation: engine.start({
            definition: compiled.definition,
            runId,
            by: "cli",
            ...(input === undefined ? {} : { input })
          })
        })
        yield* finish(driven, runId, { path, json: options.json, evidence: evidence.note })
      }).pipe(Effect.provide(engineLayer(agents, evidence.layer)))
    }).pipe(Effect.provide(layer), Effect.provide(Ids.layer))
  })

/** Options of `gauntlet runs list`. */
export interface RunsListOptions {
  readonly db: string
  readonly json: boolean
  readonly resumable: boolean
}

/** `gauntlet runs list`: the runs in the store, oldest created first (`--resumable`: only those `resume` accepts). */
export const runsList = (options: RunsListOptions) =>
  Effect.gen(function* () {
    const { layer } = yield* existingStores(options.db)
    const runs = yield* Effect.flatMap(RunStore, (store) =>
      store.list(options.resumable ? { resumable: true } : {})
    ).pipe(Effect.provide(layer))
    yield* writeLines(options.json ? runs.map(runRecordJson) : runRecordsTable(runs))
  })

/** Options of the commands naming one run. */
export interface RunOptions {
  readonly run: string
  readonly db: string
  readonly json: boolean
}

/** `gauntlet runs show <run>`. */
export const runsShow = (options: RunOptions) =>
  Effect.gen(function* () {
    const { path, layer } = yield* existingStores(options.db)
    const { report } = yield* runReport(options.run, path).pipe(Effect.provide(layer))
    yield* writeLines(options.json ? [runReportJson(report)] : runReportLines(report, path))
  })

/** Options of `gauntlet resume`. */
export interface ResumeRunOptions extends RunOptions {
  readonly force: boolean
}

/**
 * `gauntlet resume <run>`: re-reads the definition file the run was started with (a changed spec is refused unless
 * `--force`), rebuilds the agents and continues the run from its checkpoint.
 */
export const resumeRun = (options: ResumeRunOptions) =>
  withEngine({ ...options, withAgents: true }, ({ path, engine, definitionFile, report, evidence }) =>
    Effect.gen(function* () {
      const pending = report.pendingApproval
      if (pending !== null)
        return yield* new RunAwaitsApproval({
          runId: options.run,
          approvalId: pending.approvalId,
          phase: pending.phase
        })
      const compiled = definitionFile === undefined ? undefined : yield* loadWorkflowFile(definitionFile)
      const driven = yield* driveGracefully({
        runId: options.run,
        engine,
        operation: engine.resume(options.run, {
          force: options.force,
          by: "cli",
          ...(compiled === undefined ? {} : { definition: compiled.definition })
        })
      })
      yield* finish(driven, options.run, { path, json: options.json, evidence })
    })
  )

/** Options of `runs approve|reject|pause|cancel`. */
export interface DecideOptions {
  readonly run: string
  readonly db: string
  readonly json: boolean
  readonly by: string
  readonly reason: Option.Option<string>
}

const pendingApprovalOf = (report: RunReport) =>
  report.pendingApproval === null
    ? Effect.fail(new NoPendingApproval({ runId: report.run.runId, status: report.projection.status }))
    : Effect.succeed(report.pendingApproval)

const reasonOf = (options: DecideOptions) => Option.getOrElse(options.reason, () => "")

/** `gauntlet runs approve <run>`: approves the run's pending approval (method `human`) and continues the run. */
export const runsApprove = (options: DecideOptions) =>
  withEngine({ ...options, withAgents: true }, ({ path, engine, report, evidence }) =>
    Effect.gen(function* () {
      const approval = yield* pendingApprovalOf(report)
      const driven = yield* driveGracefully({
        runId: options.run,
        engine,
        operation: engine.approve(approval.approvalId, {
          by: options.by,
          reason: reasonOf(options),
          method: "human"
        })
      })
      yield* finish(driven, options.run, { path, json: options.json, evidence })
    })
  )

/** `gauntlet runs reject <run>`: rejects the run's pending approval; the run fails with class `policy`. */
export const runsReject = (options: DecideOptions) =>
  withEngine({ ...options, withAgents: false }, ({ path, engine, report, evidence }) =>
    Effect.gen(function* () {
      const approval = yield* pendingApprovalOf(report)
      const outcome = yield* engine.reject(approval.approvalId, {
        by: options.by,
        reason: reasonOf(options),
        method: "human"
      })
      yield* settle(outcome, { path, json: options.json, evidence })
    })
  )

/** `gauntlet runs pause|cancel <run>`: applies the control to the run's checkpoint. */
export const runsControl = (kind: "pause" | "cancel") => (options: DecideOptions) =>
  withEngine({ ...options, withAgents: false }, ({ path, engine, evidence }) =>
    Effect.gen(function* () {
      const reason = Option.getOrUndefined(options.reason)
      const outcome = yield* engine[kind](options.run, options.by, reason)
      yield* settle(outcome, {
        path,
        json: options.json,
        evidence,
        expected: [kind === "pause" ? "paused" : "cancelled"]
      })
    })
  )
