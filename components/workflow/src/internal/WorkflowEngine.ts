import { Agents } from "@gauntlet/agent"
import { Ids } from "@gauntlet/canonical"
import { Gates } from "@gauntlet/gate"
import { RunJournal, RunStore } from "@gauntlet/run-store"
import { type CircuitBreaker, type CircuitBreakerOptions, makeCircuitBreaker } from "@gauntlet/supervision"
import { Context, Effect, Layer, Option, Ref } from "effect"
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
        active: yield* Ref.make<ReadonlyMap<string, Control>>(new Map()),
        breaker: Option.getOrUndefined(yield* Effect.serviceOption(RunCircuitBreaker))
      }
      return makeEngine(deps)
    })
  )
}

/**
 * An optional circuit breaker over whole runs (N2 supervision). When an engine's context has one, `start` refuses
 * new runs with `CircuitOpen` (class `resource`) after `threshold` (default 3) consecutive failed runs, until it is
 * reset; every run the engine drives to a terminal state is recorded (completed = success, failed = failure;
 * cancelled runs are not counted). Without it, the engine admits every run.
 */
export class RunCircuitBreaker extends Context.Tag("@gauntlet/workflow/RunCircuitBreaker")<
  RunCircuitBreaker,
  CircuitBreaker
>() {
  /** A fresh breaker with these options (in memory: it counts the runs of this process). */
  static readonly layer = (options: CircuitBreakerOptions = {}) =>
    Layer.effect(RunCircuitBreaker, makeCircuitBreaker({ name: "workflow runs", ...options }))
}
