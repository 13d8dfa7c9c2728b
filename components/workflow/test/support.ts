import {
  type Agent,
  type AgentScript,
  Agents,
  makeScriptedAgent,
  type PhaseContext,
  type ScriptedAgent
} from "@gauntlet/agent"
import { Ids } from "@gauntlet/canonical"
import { EventLogMemory } from "@gauntlet/event-store-memory"
import { coreEventTypes, EventLog, EventTypes, type RunEvent, StoreFailure } from "@gauntlet/event-stream"
import { type Gate, Gates } from "@gauntlet/gate"
import { RunJournal, RunStore } from "@gauntlet/run-store"
import { RunStoreMemory } from "@gauntlet/run-store-memory"
import type { CircuitBreaker } from "@gauntlet/supervision"
import { Chunk, Effect, Layer, Option, Ref, Stream } from "effect"
import { expect } from "vitest"
import {
  decodeRunCheckpoint,
  foldRunEvents,
  projectionOfCheckpoint,
  RunCircuitBreaker,
  type RunOutcome,
  TerminalHook,
  WorkflowEngine
} from "../src/index.js"
import { okGate } from "./fixtures/definitions.js"

/** The test world: a scripted agent, the memory stores, and the terminal outcomes the hook saw. */
export interface World {
  readonly agent: ScriptedAgent
  /** Every context the agent was invoked with, in order. */
  readonly contexts: Array<PhaseContext>
  readonly terminal: Ref.Ref<ReadonlyArray<RunOutcome>>
  readonly layer: Layer.Layer<WorkflowEngine | EventLog | RunStore, unknown>
}

/** Builds the engine over memory stores with one scripted agent `bot` and the given gates. */
export const makeWorld = (
  steps: AgentScript["steps"],
  options: {
    readonly gates?: ReadonlyArray<Gate>
    readonly agents?: ReadonlyArray<Agent>
    /** The first this many `RunJournal.record` calls fail with `StoreFailure` (a store outage). */
    readonly failingRecords?: number
    /** Gives the engine this run circuit breaker. */
    readonly circuitBreaker?: CircuitBreaker
  } = {}
): Effect.Effect<World> =>
  Effect.gen(function* () {
    const agent = makeScriptedAgent({ id: "bot", steps })
    const contexts: Array<PhaseContext> = []
    const recording: Agent = {
      id: agent.id,
      invoke: (ctx) =>
        Effect.suspend(() => {
          contexts.push(ctx)
          return agent.invoke(ctx)
        })
    }
    const terminal = yield* Ref.make<ReadonlyArray<RunOutcome>>([])
    const hook = TerminalHook.layer((outcome) => Ref.update(terminal, (seen) => [...seen, outcome]))
    const breaker =
      options.circuitBreaker === undefined
        ? Layer.empty
        : Layer.succeed(RunCircuitBreaker, options.circuitBreaker)
    const base = Layer.mergeAll(
      breaker,
      Agents.layer([recording, ...(options.agents ?? [])]),
      Gates.layer(options.gates ?? [okGate]),
      hook,
      EventTypes.layer(coreEventTypes),
      Ids.layerDeterministic()
    )
    const stores = RunStoreMemory.layer.pipe(Layer.provideMerge(EventLogMemory.layer))
    let failures = options.failingRecords ?? 0
    const flakyJournal = Layer.effect(
      RunJournal,
      Effect.map(RunJournal, (journal) => ({
        record: (input: Parameters<typeof journal.record>[0]) =>
          failures-- > 0
            ? Effect.fail(
                new StoreFailure({ reason: "io", store: "memory", detail: "disk full (simulated)" })
              )
            : journal.record(input)
      }))
    )
    const layer = WorkflowEngine.layer.pipe(
      Layer.provide(flakyJournal),
      Layer.provideMerge(stores),
      Layer.provide(base)
    )
    return { agent, contexts, terminal, layer }
  })

/** Every stored event of a run, in seq order. */
export const eventsOf = (runId: string) =>
  Effect.flatMap(EventLog, (log) => Stream.runCollect(log.read(runId))).pipe(
    Effect.map((chunk): ReadonlyArray<RunEvent> => Chunk.toReadonlyArray(chunk))
  )

/** The event types of a run, in order. */
export const typesOf = (runId: string) => Effect.map(eventsOf(runId), (events) => events.map((e) => e.type))

/** Asserts the fold of the stored events equals the projection of the stored checkpoint, and returns it. */
export const expectConsistent = (runId: string) =>
  Effect.gen(function* () {
    const store = yield* RunStore
    const record = Option.getOrThrow(yield* store.get(runId))
    const checkpoint = yield* decodeRunCheckpoint(runId, record.state)
    const fromCheckpoint = projectionOfCheckpoint(runId, checkpoint)
    const folded = foldRunEvents(runId, yield* eventsOf(runId))
    expect(folded).toEqual(fromCheckpoint)
    expect(record.status).toBe(checkpoint.status)
    const log = yield* EventLog
    const chain = yield* log.verifyChain(runId)
    expect(chain.ok).toBe(true)
    return folded
  })

/** Lets forked fibers run until they block (on the TestClock or a Deferred). */
export const settle = Effect.gen(function* () {
  for (let i = 0; i < 50; i++) yield* Effect.yieldNow()
})

export { bad, ok, okGate, threePhases } from "./fixtures/definitions.js"
