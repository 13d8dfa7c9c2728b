import { describe, expect, it } from "@effect/vitest"
import { type DagNode, NodeFailure } from "@gauntlet/dag"
import { EventLog } from "@gauntlet/event-stream"
import { FAILURE_CLASSES, type FailureClass } from "@gauntlet/failure"
import { RunStore } from "@gauntlet/run-store"
import { Chunk, Effect, FastCheck as fc, Stream } from "effect"
import { runDagDurably } from "../src/index.js"
import { memoryStores } from "./fixtures/stores.js"

/** A random DAG (edges only to earlier nodes) with, per node, an optional failure script and a retry policy. */
const scenario = fc.integer({ min: 1, max: 25 }).chain((size) =>
  fc.record({
    nodes: fc.tuple(
      ...Array.from({ length: size }, (_, i) =>
        fc.record({
          deps: fc.uniqueArray(fc.integer({ min: 0, max: Math.max(0, i - 1) }), {
            maxLength: i === 0 ? 0 : 3
          }),
          failClass: fc.option(fc.constantFrom(...FAILURE_CLASSES), { nil: undefined, freq: 3 }),
          failTimes: fc.integer({ min: 1, max: 3 }),
          maxAttempts: fc.integer({ min: 1, max: 3 }),
          yields: fc.integer({ min: 0, max: 2 })
        })
      )
    ),
    concurrency: fc.integer({ min: 1, max: 6 })
  })
)

describe("journal ≡ result", () => {
  it.effect("for random DAGs and failures, node rows and journaled events agree with the DAG result", () =>
    Effect.promise(() =>
      fc.assert(
        fc.asyncProperty(scenario, async ({ nodes, concurrency }) => {
          const dag = {
            nodes: nodes.map(
              (n, i): DagNode => ({
                id: `n${i}`,
                dependsOn: n.deps.map((d) => `n${d}`),
                retry: { maxAttempts: n.maxAttempts, baseDelayMs: 0, maxDelayMs: 0 }
              })
            )
          }
          const program = Effect.gen(function* () {
            const { result } = yield* runDagDurably({
              runId: "prop",
              dag,
              concurrency,
              execute: (node, attempt) =>
                Effect.gen(function* () {
                  const script = nodes[Number(node.id.slice(1))]!
                  for (let k = 0; k < script.yields; k++) yield* Effect.yieldNow()
                  if (script.failClass !== undefined && attempt <= script.failTimes) {
                    return yield* new NodeFailure({
                      failureClass: script.failClass as FailureClass,
                      reason: `scripted ${script.failClass}`
                    })
                  }
                  return { node: node.id, attempt }
                })
            })
            const rows = yield* Effect.flatMap(RunStore, (store) => store.nodes("prop"))
            const log = yield* EventLog
            const events = Chunk.toReadonlyArray(yield* Stream.runCollect(log.read("prop")))
            const chain = yield* log.verifyChain("prop")
            return { result, rows, events, chain }
          }).pipe(Effect.provide(memoryStores))
          const { result, rows, events, chain } = await Effect.runPromise(program)
          expect(chain.ok).toBe(true)
          const byId = new Map(rows.map((r) => [r.nodeId, r]))
          for (const [id, node] of result.nodes) {
            const row = byId.get(id)
            const of = (type: string) => events.filter((e) => e.type === type && e.payload.taskId === id)
            // The row says what the result says.
            expect(row?.status).toBe(node.status)
            expect(row?.attempts).toBe(node.attempts)
            if (node.status === "succeeded") {
              expect(row?.output).toEqual({ node: id, attempt: node.attempts })
              expect(of("task/succeeded").length).toBe(1)
            }
            if (node.status === "skipped") {
              expect(of("task/skipped").map((e) => e.payload.causeChain)).toEqual([node.causeChain])
            }
            // One task/started per attempt, numbered 1..attempts; every non-final attempt retried.
            expect(of("task/started").map((e) => e.payload.attempt)).toEqual(
              Array.from({ length: node.attempts }, (_, k) => k + 1)
            )
            expect(of("task/retried").map((e) => e.payload.attempt)).toEqual(
              Array.from({ length: Math.max(0, node.attempts - 1) }, (_, k) => k + 2)
            )
            const failures = of("task/failed").length
            expect(failures).toBe(
              node.status === "failed" ? node.attempts : node.attempts - (node.attempts > 0 ? 1 : 0)
            )
          }
          expect(rows.length).toBe(dag.nodes.length)
        }),
        { numRuns: 60 }
      )
    )
  )
})
