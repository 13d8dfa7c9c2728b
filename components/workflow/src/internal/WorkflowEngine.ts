import { Agents } from "@gauntlet/agent"
import { Ids } from "@gauntlet/canonical"
import { Gates } from "@gauntlet/gate"
import { RunJournal, RunStore } from "@gauntlet/run-store"
import { Context, Effect, Layer, Ref } from "effect"
import type { WorkflowEngineShape } from "./contract.js"
import type { Control, EngineDeps } from "./deps.js"
import { makeEngine } from "./engine.js"
import { TerminalHook } from "./TerminalHook.js"

/** The workflow engine service. */
export class WorkflowEngine extends Context.Tag("@gauntlet/workflow/WorkflowEngine")<
  WorkflowEngine,
  WorkflowEngineShape
>() {
  /** The engine over the run store, agents, gates, ids and terminal hook in context. */
  static readonly layer: Layer.Layer<
    WorkflowEngine,
    never,
    RunJournal | RunStore | Agents | Gates | Ids | TerminalHook
  > = Layer.effect(
    WorkflowEngine,
    Effect.gen(function* () {
      const deps: EngineDeps = {
        journal: yield* RunJournal,
        store: yield* RunStore,
        agents: yield* Agents,
        gates: yield* Gates,
        ids: yield* Ids,
        hook: yield* TerminalHook,
        active: yield* Ref.make<ReadonlyMap<string, Control>>(new Map())
      }
      return makeEngine(deps)
    })
  )
}
