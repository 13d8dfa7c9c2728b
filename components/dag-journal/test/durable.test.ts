import { describe, expect, it } from "@effect/vitest"
import { digestOf } from "@gauntlet/canonical"
import { NodeFailure } from "@gauntlet/dag"
import { EventLog, type RunEvent, StoreFailure } from "@gauntlet/event-stream"
import { type NodeRecord, type RecordInput, RunJournal, RunStore } from "@gauntlet/run-store"
import { Cause, Chunk, Deferred, Effect, Layer, Schema, Stream } from "effect"
import { resumeDagDurably, runDagDurably } from "../src/index.js"
import { memoryStores, node, randomDag } from "./fixtures/stores.js"

const readAll = (runId: string) =>
  Effect.flatMap(EventLog, (log) => Stream.runCollect(log.read(runId))).pipe(
    Effect.map(Chunk.toReadonlyArray)
  )

const nodeRows = (runId: string) => Effect.flatMap(RunStore, (store) => store.nodes(runId))

const rowsById = (rows: ReadonlyArray<NodeRecord>) => new Map(rows.map((r) => [r.nodeId, r]))

/**
 * Wraps the RunJournal in context: every committed `record` is logged (its node rows and event types), and an
 * optional `failAt` makes the n-th call (1-based) fail with a store failure instead of writing.
 */
const observedJournal = (failAt?: number, failWith: "error" | "defect" = "error") => {
  const commits: Array<{ readonly nodes: ReadonlyArray<NodeRecord>; readonly types: ReadonlyArray<string> }> =
    []
  let calls = 0
  const layer = Layer.effect(
    RunJournal,
    Effect.map(RunJournal, (inner) => ({
      record: (input: RecordInput) =>
        Effect.suspend(() => {
          calls++
          if (calls === failAt) {
            return failWith === "defect"
              ? Effect.die(new Error("disk on fire"))
              : Effect.fail(new StoreFailure({ reason: "io", store: "test", detail: "disk on fire" }))
          }
          return Effect.tap(inner.record(input), () =>
            Effect.sync(() => {
              commits.push({ nodes: input.nodes ?? [], types: input.events.map((e) => e.type) })
            })
          )
        })
    }))
  )
  /** Node id → status → index of the first commit that made that status durable. */
  const durableAt = () => {
    const at = new Map<string, Map<string, number>>()
    commits.forEach((commit, index) => {
      for (const row of commit.nodes) {
        const byStatus = at.get(row.nodeId) ?? new Map<string, number>()
        if (!byStatus.has(row.status)) byStatus.set(row.status, index)
        at.set(row.nodeId, byStatus)
      }
    })
    return at
  }
  return { layer: Layer.provideMerge(layer, memoryStores), commits, durableAt, calls: () => calls }
}

describe("runDagDurably", () => {
  it.effect("journals catalogue events and node rows; the chain verifies", () =>
    Effect.gen(function* () {
      const dag = { nodes: [node("a"), node("b", ["a"]), node("c", ["a"]), node("d", ["b", "c"])] }
      const { result, journal, restored } = yield* runDagDurably({
        runId: "run-1",
        dag,
        concurrency: 2,
        execute: (n) => Effect.succeed({ built: n.id })
      })
      expect(result.status).toBe("succeeded")
      expect(restored).toBe(0)
      const events = yield* readAll("run-1")
      expect(events.map((e) => e.seq)).toEqual(events.map((_, i) => i + 1))
      // b and c run concurrently: either may finish first; a comes before both and d after both.
      const succeeded = events.filter((e) => e.type === "task/succeeded").map((e) => e.payload.taskId)
      expect([succeeded[0], [...succeeded.slice(1, 3)].sort(), succeeded[3]]).toEqual(["a", ["b", "c"], "d"])
      const ready = events.find((e) => e.type === "task/ready" && e.payload.taskId === "d") as RunEvent
      expect(ready.payload).toEqual({ taskId: "d", dependencies: ["b", "c"] })
      expect(journal.events).toBe(events.length)
      const verification = yield* Effect.flatMap(EventLog, (log) => log.verifyChain("run-1"))
      expect(verification).toMatchObject({ ok: true })
      const rows = rowsById(yield* nodeRows("run-1"))
      expect(rows.get("d")).toEqual({
        runId: "run-1",
        nodeId: "d",
        status: "succeeded",
        attempts: 1,
        output: { built: "d" }
      })
      const run = yield* Effect.flatMap(RunStore, (store) => store.get("run-1"))
      expect(run._tag === "Some" && run.value.status).toBe("running")
    }).pipe(Effect.provide(memoryStores))
  )

  it.effect(
    "group-commits: many completions share one record, and a node starts only after its deps are durable",
    () => {
      const observed = observedJournal()
      return Effect.gen(function* () {
        const dag = randomDag(300, 30, 3, 7)
        const ranAfter = new Map<string, number>()
        const deps = new Map(dag.nodes.map((n) => [n.id, n.dependsOn]))
        const { result, journal } = yield* runDagDurably({
          runId: "run-gc",
          dag,
          concurrency: 16,
          execute: (n) =>
            Effect.sync(() => {
              ranAfter.set(n.id, observed.commits.length)
              return n.id
            })
        })
        expect(result.status).toBe("succeeded")
        expect(journal.commits).toBe(observed.commits.length)
        // Group commit: far fewer transactions than node state changes (300 starts + 300 successes).
        expect(journal.commits).toBeLessThan(300)
        expect(journal.largestBatch).toBeGreaterThan(3)
        const at = observed.durableAt()
        for (const [id, commitsBefore] of ranAfter) {
          // Its own start was durable before it ran …
          const startedAt = at.get(id)?.get("running") ?? at.get(id)?.get("succeeded")
          expect(startedAt).toBeDefined()
          expect(startedAt as number).toBeLessThan(commitsBefore)
          // … and so was every dependency's success.
          for (const dep of deps.get(id) ?? []) {
            expect(at.get(dep)?.get("succeeded") as number).toBeLessThan(commitsBefore)
          }
        }
        const verification = yield* Effect.flatMap(EventLog, (log) => log.verifyChain("run-gc"))
        expect(verification).toMatchObject({ ok: true })
      }).pipe(Effect.provide(observed.layer))
    }
  )

  it.effect("maps a retried attempt to task/failed + task/retried (new attempt) and failures to rows", () =>
    Effect.gen(function* () {
      const dag = {
        nodes: [
          node("flaky", [], { retry: { maxAttempts: 2, baseDelayMs: 0, maxDelayMs: 0 } }),
          node("broken"),
          node("after", ["broken"]),
          node("later", ["after"])
        ]
      }
      const { result } = yield* runDagDurably({
        runId: "run-f",
        dag,
        concurrency: 1,
        execute: (n, attempt) =>
          n.id === "flaky" && attempt === 1
            ? Effect.fail(new NodeFailure({ failureClass: "external", reason: "HTTP 503" }))
            : n.id === "broken"
              ? Effect.fail(new NodeFailure({ failureClass: "task-code", reason: "" }))
              : Effect.succeed(1)
      })
      expect(result.status).toBe("failed")
      const events = yield* readAll("run-f")
      const flaky = events.filter((e) => e.payload.taskId === "flaky").map((e) => [e.type, e.payload])
      expect(flaky).toEqual([
        ["task/ready", { taskId: "flaky", dependencies: [] }],
        ["task/started", { taskId: "flaky", attempt: 1 }],
        ["task/failed", { taskId: "flaky", attempt: 1, failureClass: "external", reason: "HTTP 503" }],
        ["task/retried", { taskId: "flaky", attempt: 2, reason: "HTTP 503", delayMs: 0 }],
        ["task/started", { taskId: "flaky", attempt: 2 }],
        ["task/succeeded", { taskId: "flaky", attempt: 2, durationMs: expect.any(Number) }]
      ])
      const skipped = events.find(
        (e) => e.type === "task/skipped" && e.payload.taskId === "later"
      ) as RunEvent
      expect(skipped.payload).toEqual({
        taskId: "later",
        reason: 'dependency "after" was skipped because "broken" did not succeed',
        causeChain: ["broken", "after"]
      })
      const rows = rowsById(yield* nodeRows("run-f"))
      expect(rows.get("flaky")).toMatchObject({ status: "succeeded", attempts: 2 })
      expect(rows.get("broken")).toMatchObject({
        status: "failed",
        attempts: 1,
        failure: { failureClass: "task-code", reason: "" }
      })
      expect(rows.get("later")).toMatchObject({ status: "skipped", attempts: 0 })
      const failed = events.find((e) => e.type === "task/failed" && e.payload.taskId === "broken") as RunEvent
      expect(failed.payload.reason).toBe("(no reason given)")
    }).pipe(Effect.provide(memoryStores))
  )

  it.effect("an output that is not JSON fails its node with data-integrity, naming where", () =>
    Effect.gen(function* () {
      const { result } = yield* runDagDurably({
        runId: "run-j",
        dag: { nodes: [node("a"), node("b")] },
        concurrency: 1,
        execute: (n) => Effect.succeed(n.id === "a" ? { when: new Date(0) } : { ok: true })
      })
      const a = result.nodes.get("a")
      expect(a?.status).toBe("failed")
      expect(a?.failure?.failureClass).toBe("data-integrity")
      expect(a?.failure?.reason).toContain("/when")
      expect(result.nodes.get("b")?.status).toBe("succeeded")
    }).pipe(Effect.provide(memoryStores))
  )

  it.effect(
    "records the DAG spec's digest as digestOf(spec) (RFC 8785), optional fields and Unicode ids included",
    () =>
      Effect.gen(function* () {
        const dag = {
          nodes: [
            { id: "é-α", dependsOn: [], priority: 2, timeoutMs: 1000, retry: undefined },
            {
              id: "b\u2028",
              dependsOn: ["é-α"],
              locks: ["db"],
              retry: { maxAttempts: 2, baseDelayMs: 0, maxDelayMs: 0 }
            },
            { id: "A", dependsOn: ["é-α", "b\u2028"], priority: -0.5 }
          ]
        }
        yield* runDagDurably({
          runId: "run-digest",
          dag,
          concurrency: 2,
          execute: () => Effect.succeed(null)
        })
        const run = yield* Effect.flatMap(RunStore, (store) => store.get("run-digest"))
        expect(run._tag === "Some" ? run.value.specDigest : undefined).toBe(digestOf(dag))
      }).pipe(Effect.provide(memoryStores))
  )

  it.effect("an invalid DAG is refused before the run's checkpoint is created", () =>
    Effect.gen(function* () {
      const error = yield* Effect.flip(
        runDagDurably({
          runId: "run-bad",
          dag: { nodes: [node("a", ["b"]), node("b", ["a"])] },
          concurrency: 1,
          execute: () => Effect.succeed(1)
        })
      )
      expect(error).toMatchObject({ _tag: "CycleDetected", cycle: ["a", "b", "a"] })
      const run = yield* Effect.flatMap(RunStore, (store) => store.get("run-bad"))
      expect(run._tag).toBe("None")
    }).pipe(Effect.provide(memoryStores))
  )

  it.effect("refuses to start a run that already has node rows", () =>
    Effect.gen(function* () {
      const options = {
        runId: "run-twice",
        dag: { nodes: [node("a")] },
        concurrency: 1,
        execute: () => Effect.succeed(1)
      }
      yield* runDagDurably(options)
      const error = yield* Effect.flip(runDagDurably(options))
      expect(error._tag).toBe("RunAlreadyStarted")
      expect(error.message).toContain("run-twice already has 1 node checkpoint rows")
    }).pipe(Effect.provide(memoryStores))
  )

  for (const failWith of ["error", "defect"] as const) {
    it.effect(`a failed journal write (${failWith}) stops the run with it; nothing runs unrecorded`, () => {
      const observed = observedJournal(4, failWith)
      return Effect.gen(function* () {
        const ran: Array<string> = []
        const exit = yield* Effect.exit(
          runDagDurably({
            runId: "run-w",
            dag: { nodes: Array.from({ length: 20 }, (_, i) => node(`n${i}`, i === 0 ? [] : [`n${i - 1}`])) },
            concurrency: 1,
            execute: (n) => Effect.sync(() => ran.push(n.id))
          })
        )
        expect(exit._tag).toBe("Failure")
        const cause = exit._tag === "Failure" ? exit.cause : Cause.empty
        expect(Cause.pretty(cause)).toContain("disk on fire")
        if (failWith === "error")
          expect(Cause.failureOption(cause)).toMatchObject({ value: { _tag: "StoreFailure" } })
        // Every node that ran had its start durable in one of the 3 commits before the failing call.
        const at = observed.durableAt()
        for (const id of ran) expect(at.get(id)?.has("running")).toBe(true)
        expect(ran.length).toBeGreaterThan(0)
        expect(ran.length).toBeLessThan(20)
        expect(observed.calls()).toBe(4)
      }).pipe(Effect.provide(observed.layer))
    })
  }
})

describe("resumeDagDurably", () => {
  it.effect("never re-executes a node whose success is durable", () =>
    Effect.gen(function* () {
      const dag = randomDag(120, 12, 2, 3)
      const runs = new Map<string, number>()
      const count = (id: string) => runs.set(id, (runs.get(id) ?? 0) + 1)
      const stop = yield* Deferred.make<void>()
      let done = 0
      const first = yield* runDagDurably({
        runId: "run-r",
        dag,
        concurrency: 4,
        cancel: Deferred.await(stop),
        execute: (n) =>
          Effect.gen(function* () {
            count(n.id)
            if (++done === 50) yield* Deferred.succeed(stop, undefined)
            return { id: n.id }
          })
      })
      expect(first.result.status).toBe("cancelled")
      const before = (yield* nodeRows("run-r")).filter((r) => r.status === "succeeded").map((r) => r.nodeId)
      expect(before.length).toBeGreaterThan(0)
      const second = yield* resumeDagDurably({
        runId: "run-r",
        dag,
        concurrency: 4,
        outputSchema: Schema.Struct({ id: Schema.String }),
        execute: (n) =>
          Effect.sync(() => {
            count(n.id)
            return { id: n.id }
          })
      })
      expect(second.result.status).toBe("succeeded")
      expect(second.restored).toBe(before.length)
      for (const id of before) {
        expect(runs.get(id)).toBe(1)
        expect(second.result.nodes.get(id)).toMatchObject({ attempts: 0, output: { id } })
      }
      const rows = yield* nodeRows("run-r")
      expect(rows.filter((r) => r.status === "succeeded").length).toBe(120)
      const events = yield* readAll("run-r")
      expect(events.map((e) => e.seq)).toEqual(events.map((_, i) => i + 1))
      const verification = yield* Effect.flatMap(EventLog, (log) => log.verifyChain("run-r"))
      expect(verification).toMatchObject({ ok: true })
    }).pipe(Effect.provide(memoryStores))
  )

  it.effect("refuses an unknown run and an output that no longer decodes", () =>
    Effect.gen(function* () {
      const missing = yield* Effect.flip(
        resumeDagDurably({
          runId: "nope",
          dag: { nodes: [node("a")] },
          concurrency: 1,
          execute: () => Effect.void
        })
      )
      expect(missing._tag).toBe("RunNotFound")
      yield* runDagDurably({
        runId: "run-d",
        dag: { nodes: [node("a")] },
        concurrency: 1,
        execute: () => Effect.succeed({ n: "x" })
      })
      const error = yield* Effect.flip(
        resumeDagDurably({
          runId: "run-d",
          dag: { nodes: [node("a")] },
          concurrency: 1,
          outputSchema: Schema.Struct({ n: Schema.Number }),
          execute: () => Effect.succeed({ n: 1 })
        })
      )
      expect(error._tag).toBe("UndecodableNodeOutput")
      expect(error.message).toContain('node "a"')
    }).pipe(Effect.provide(memoryStores))
  )
})
