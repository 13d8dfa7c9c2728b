import { mkdirSync } from "node:fs"
import { dirname, resolve } from "node:path"
import { Path } from "@effect/platform"
import {
  type Agent,
  Agents,
  fileInvocationCounter,
  loadAgentScript,
  makeScriptedAgent
} from "@gauntlet/agent"
import { Ids } from "@gauntlet/canonical"
import { EventLogSqlite } from "@gauntlet/event-store-sqlite"
import { coreEventTypes, EventTypes, StoreFailure } from "@gauntlet/event-stream"
import { RedactingEventLog } from "@gauntlet/evidence"
import { Gates } from "@gauntlet/gate"
import { RunStoreSqlite } from "@gauntlet/run-store-sqlite"
import { TerminalHook, WorkflowEngine } from "@gauntlet/workflow"
import { Effect, Layer } from "effect"
import { existingStorePath } from "../storePath.js"
import { BUILTIN_GATES } from "./gates.js"

/**
 * EventLog + RunJournal + RunStore + SqlClient over one SQLite file and one connection. Every event payload is
 * redacted (`RedactingEventLog`: secrets and personal data become `[REDACTED:<type>]`) before it is validated,
 * hashed and stored, including the events the run journal appends (N6-R20).
 */
const runStoresLayer = (path: string) =>
  Layer.provideMerge(
    RunStoreSqlite.layer,
    RedactingEventLog.layer.pipe(Layer.provide(EventLogSqlite.layer))
  ).pipe(
    Layer.provideMerge(EventLogSqlite.layerClient(path)),
    Layer.provide(Layer.merge(EventTypes.layer(coreEventTypes), Ids.layer))
  )

/** The stores of an existing SQLite file (`--db`); a missing file is `StoreNotFound`, never created. */
export const existingStores = (db: string) =>
  Effect.map(existingStorePath(db), (path) => ({ path, layer: runStoresLayer(path) }))

/** The stores of a SQLite file that `workflow run` may create (with its directory). */
export const creatableStores = (db: string) =>
  Effect.try({
    try: () => {
      const path = resolve(db)
      mkdirSync(dirname(path), { recursive: true })
      return { path, layer: runStoresLayer(path) }
    },
    catch: (error) =>
      new StoreFailure({
        reason: "io",
        store: resolve(db),
        detail: `cannot create the store's directory: ${error instanceof Error ? error.message : String(error)}`
      })
  })

/**
 * Builds the scripted agents of a run from their script files. `consumedSoFar` (phase → steps answered in earlier
 * processes, see `consumedSteps`) skips those steps, so a run continued in a new process (resume, approve) gets
 * the same answers, in the same order, as one that never stopped.
 */
export const loadAgents = (
  scripts: ReadonlyArray<string>,
  consumedSoFar: Readonly<Record<string, number>> = {}
) =>
  Effect.forEach(scripts, (file) =>
    Effect.gen(function* () {
      const path = yield* Path.Path
      const script = yield* loadAgentScript(file)
      const steps = Object.fromEntries(
        Object.entries(script.steps).map(([phase, list]) => [phase, list.slice(consumedSoFar[phase] ?? 0)])
      )
      const counterFile =
        script.counterFile === undefined ? undefined : path.resolve(path.dirname(file), script.counterFile)
      const counter = counterFile === undefined ? undefined : yield* fileInvocationCounter(counterFile)
      return makeScriptedAgent({ ...script, steps }, counter === undefined ? {} : { counter }) as Agent
    })
  )

/**
 * The engine over the stores in context, with these agents, the CLI's built-in gates and a terminal hook (the
 * evidence hook of `runs/evidence.ts`; `TerminalHook.none` when a caller needs none).
 */
export const engineLayer = <E, R>(
  agents: ReadonlyArray<Agent>,
  hook: Layer.Layer<TerminalHook, E, R> = TerminalHook.none as Layer.Layer<TerminalHook, E, R>
) =>
  WorkflowEngine.layer.pipe(
    Layer.provide(Layer.mergeAll(Agents.layer(agents), Gates.layer(BUILTIN_GATES), hook, Ids.layer))
  )
