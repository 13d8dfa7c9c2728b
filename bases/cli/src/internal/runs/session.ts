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
import { Effect, Layer, Option } from "effect"
import { InvalidOptionValue } from "../errors.js"
import { type LlmAgentSpec, makeSpecAgent, readLlmAgentSpec } from "../llm/agentSpec.js"
import { chokepointLayer, decideMode } from "../llm/chokepoint.js"
import { existingStorePath } from "../storePath.js"
import { BUILTIN_GATES } from "./gates.js"
import type { LlmLaunch } from "./launch.js"

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
const loadAgents = (scripts: ReadonlyArray<string>, consumedSoFar: Readonly<Record<string, number>> = {}) =>
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
 * The agents of a run: scripted scripts as `loadAgents` does, and LLM agent specs (`"kind": "llm"`) over one
 * chokepoint built from `llm` (mode, cassette, the run's remaining model budget `budgetUsd - spentUsd`), over the
 * event log in context. The engine commits each agent's reported cost to the run's checkpoint budget once; the
 * chokepoint's ledger only refuses a call whose worst case does not fit what remains (never a second charge).
 */
export const loadRunAgents = (
  files: ReadonlyArray<string>,
  consumedSoFar: Readonly<Record<string, number>>,
  llm: LlmLaunch | undefined,
  spentUsd = 0
) =>
  Effect.gen(function* () {
    const specs: Array<LlmAgentSpec> = []
    const scripted: Array<string> = []
    for (const file of files) {
      const spec = yield* readLlmAgentSpec(file)
      if (spec === undefined) scripted.push(file)
      else specs.push(spec)
    }
    const scriptedAgents = yield* loadAgents(scripted, consumedSoFar)
    if (specs.length === 0) return scriptedAgents
    if (llm === undefined)
      return yield* new InvalidOptionValue({
        option: "--agents",
        value: files.join(", "),
        reason: "LLM agents need model settings (--mode/--cassette/--budget-usd) and none were recorded"
      })
    const { configured } = yield* decideMode({
      mode: Option.some(llm.mode),
      cassette: Option.fromNullable(llm.cassette),
      budgetUsd: Option.none()
    })
    const resolved = {
      mode: llm.mode,
      ...(llm.cassette === undefined ? {} : { cassette: llm.cassette }),
      why: "launch"
    }
    const remaining = Math.max(llm.budgetUsd - spentUsd, 0.000001)
    const chokepoint = yield* chokepointLayer({ resolved, configured, budgetUsd: remaining })
    const llmAgents = yield* Effect.forEach(specs, makeSpecAgent).pipe(Effect.provide(chokepoint))
    return [...scriptedAgents, ...llmAgents]
  })

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
