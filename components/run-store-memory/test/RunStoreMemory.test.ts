import { describe, expect, it } from "@effect/vitest"
import { Ids } from "@gauntlet/canonical"
import { EventLogMemory } from "@gauntlet/event-store-memory"
import { coreEventTypes, EventLog, EventTypes, StoreFailure } from "@gauntlet/event-stream"
import { RunJournal, RunStore } from "@gauntlet/run-store"
import { RunStoreMemory } from "@gauntlet/run-store-memory"
import { Effect, Layer, Option } from "effect"

const kernel = Layer.merge(EventTypes.layer(coreEventTypes), Ids.layer)

/** An EventLog whose batch appends fail like a broken disk, everything else delegating to a memory log. */
const failingLog = Layer.effect(
  EventLog,
  Effect.map(EventLog, (log) =>
    EventLog.of({
      ...log,
      appendBatch: () => Effect.fail(new StoreFailure({ reason: "io", store: "test", detail: "disk full" }))
    })
  )
).pipe(Layer.provide(EventLogMemory.layer))

const stores = (log: Layer.Layer<EventLog, never, EventTypes | Ids>) =>
  Layer.provideMerge(RunStoreMemory.layer, log).pipe(Layer.provide(kernel))

const succeeded = (runId: string, taskId: string) => ({
  runId,
  type: "task/succeeded",
  actor: "kernel",
  payload: { taskId, attempt: 1, durationMs: 1 }
})

describe("RunStoreMemory", () => {
  it.effect("when the event log refuses the append, no run, node or approval row changes", () =>
    Effect.gen(function* () {
      const journal = yield* RunJournal
      const store = yield* RunStore
      yield* store.create({
        runId: "r",
        workflowId: "w",
        workflowVersion: "1",
        specDigest: "",
        state: { a: 1 }
      })
      const error = yield* Effect.flip(
        journal.record({
          runId: "r",
          events: [succeeded("r", "t")],
          run: { status: "completed", state: { a: 2 } },
          nodes: [{ runId: "r", nodeId: "t", status: "succeeded", attempts: 1 }],
          approvals: [
            {
              approvalId: "ap",
              runId: "r",
              phase: "release",
              reason: "why",
              requestedAt: "2026-11-29T10:00:00.000Z",
              status: "pending"
            }
          ]
        })
      )
      expect(error).toMatchObject({ _tag: "StoreFailure", detail: "disk full" })
      expect(Option.getOrThrow(yield* store.get("r"))).toMatchObject({
        version: 0,
        status: "pending",
        state: { a: 1 }
      })
      expect(yield* store.nodes("r")).toEqual([])
      expect(yield* store.approvals("r")).toEqual([])
      expect(Option.isNone(yield* store.approval("ap"))).toBe(true)
    }).pipe(Effect.provide(stores(failingLog)))
  )

  it.effect("versions count committed records and eventSeq follows the appended events", () =>
    Effect.gen(function* () {
      const journal = yield* RunJournal
      const store = yield* RunStore
      yield* store.create({ runId: "r", workflowId: "w", workflowVersion: "1", specDigest: "", state: null })
      for (let i = 1; i <= 5; i++) {
        const result = yield* journal.record({
          runId: "r",
          events: [succeeded("r", `t${i}`)],
          expectedVersion: i - 1
        })
        expect(result).toMatchObject({ version: i, eventSeq: i })
      }
      expect(Option.getOrThrow(yield* store.get("r"))).toMatchObject({ version: 5, eventSeq: 5, state: null })
    }).pipe(Effect.provide(stores(EventLogMemory.layer)))
  )

  it.effect("stored rows are copies: mutating what was recorded later changes nothing", () =>
    Effect.gen(function* () {
      const journal = yield* RunJournal
      const store = yield* RunStore
      const state = { cursor: 1 }
      yield* store.create({ runId: "r", workflowId: "w", workflowVersion: "1", specDigest: "", state })
      const output = { rows: [1, 2] }
      yield* journal.record({
        runId: "r",
        events: [],
        run: { status: "running", state },
        nodes: [{ runId: "r", nodeId: "n", status: "succeeded", attempts: 1, output }]
      })
      state.cursor = 99
      output.rows.push(3)
      expect(Option.getOrThrow(yield* store.get("r")).state).toEqual({ cursor: 1 })
      expect((yield* store.nodes("r"))[0]?.output).toEqual({ rows: [1, 2] })
    }).pipe(Effect.provide(stores(EventLogMemory.layer)))
  )
})
