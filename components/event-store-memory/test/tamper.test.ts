import { it } from "@effect/vitest"
import { MemoryEventStore, type MemoryRow } from "@gauntlet/event-store-memory"
import { EventLog, eventDigest, type RunEvent } from "@gauntlet/event-stream"
import { Chunk, Effect, Stream } from "effect"
import fc from "fast-check"
import { describe, expect } from "vitest"
import { move, TestLog } from "./support.js"

/** Appends `deltas` (in batches) to a fresh memory log, then runs `check` with the log and the run's rows. */
const withRun = <A>(
  batches: ReadonlyArray<ReadonlyArray<number>>,
  check: (rows: Array<MemoryRow>, appended: ReadonlyArray<RunEvent>) => Effect.Effect<A, unknown, EventLog>
) =>
  Effect.gen(function* () {
    const log = yield* EventLog
    const store = yield* MemoryEventStore
    const appended: Array<RunEvent> = []
    for (const batch of batches)
      appended.push(...(yield* log.appendBatch(batch.map((delta) => move(delta, "c", "run-p")))))
    return yield* check(store.rows("run-p"), appended)
  }).pipe(Effect.provide(TestLog), Effect.runPromise)

const batchesArb = fc.array(fc.array(fc.integer({ min: -1000, max: 1000 }), { minLength: 1, maxLength: 4 }), {
  minLength: 1,
  maxLength: 6
})
const verify = Effect.flatMap(EventLog, (log) => log.verifyChain("run-p"))

describe("EventLogMemory chain properties (N3-R7, N3-R8)", () => {
  it("any appended sequence verifies, anchored at its first and last hash", async () => {
    await fc.assert(
      fc.asyncProperty(batchesArb, (batches) =>
        withRun(batches, (_rows, appended) =>
          Effect.map(verify, (result) => {
            expect(result).toEqual({
              ok: true,
              runId: "run-p",
              count: appended.length,
              firstHash: appended[0]!.hash,
              lastHash: appended[appended.length - 1]!.hash,
              lastSeq: appended.length
            })
          })
        )
      ),
      { numRuns: 60 }
    )
  })

  it("changing any byte of any stored event's canonical text is a hash-mismatch at that seq", async () => {
    await fc.assert(
      fc.asyncProperty(
        batchesArb,
        fc.nat(),
        fc.nat(),
        fc.integer({ min: 1, max: 94 }),
        (batches, pick, at, bump) =>
          withRun(batches, (rows) => {
            const row = rows[pick % rows.length]!
            const index = at % row.canonical.length
            const code = row.canonical.charCodeAt(index)
            const replacement = String.fromCharCode(((code - 32 + bump) % 95) + 32)
            row.canonical = row.canonical.slice(0, index) + replacement + row.canonical.slice(index + 1)
            return Effect.map(verify, (result) => {
              expect(result).toMatchObject({
                ok: false,
                brokenSeq: row.seq,
                reason: "hash-mismatch",
                count: row.seq - 1
              })
            })
          })
      ),
      { numRuns: 100 }
    )
  })

  it("deleting an event is a seq-gap at the deleted seq", async () => {
    await fc.assert(
      fc.asyncProperty(batchesArb, fc.nat(), (batches, pick) =>
        withRun(batches, (rows) => {
          const index = pick % rows.length
          const deletedSeq = rows[index]!.seq
          rows.splice(index, 1)
          return Effect.map(verify, (result) => {
            if (index === rows.length) {
              // The last event deleted: the chain that remains is whole; only an anchor (N6) can tell.
              expect(result).toMatchObject({ ok: true, count: rows.length })
            } else {
              expect(result).toMatchObject({ ok: false, brokenSeq: deletedSeq, reason: "seq-gap" })
            }
          })
        })
      ),
      { numRuns: 100 }
    )
  })

  it("swapping two events is a seq-gap at the first swapped seq", async () => {
    await fc.assert(
      fc.asyncProperty(
        batchesArb.filter((b) => b.flat().length >= 2),
        fc.nat(),
        fc.nat(),
        (batches, p, q) =>
          withRun(batches, (rows) => {
            const i = p % rows.length
            let j = q % rows.length
            if (i === j) j = (j + 1) % rows.length
            const [a, b] = [Math.min(i, j), Math.max(i, j)]
            const first = rows[a]!
            rows[a] = rows[b]!
            rows[b] = first
            return Effect.map(verify, (result) => {
              expect(result).toMatchObject({ ok: false, brokenSeq: a + 1, reason: "seq-gap" })
            })
          })
      ),
      { numRuns: 100 }
    )
  })

  it("re-hashing an edited row is a prev-mismatch at the next seq (the last row needs an anchor)", async () => {
    await fc.assert(
      fc.asyncProperty(batchesArb, fc.nat(), fc.integer({ min: 1001, max: 5000 }), (batches, pick, forged) =>
        withRun(batches, (rows, appended) => {
          const index = pick % rows.length
          const row = rows[index]!
          row.canonical = row.canonical.replace(/"delta":-?\d+/, `"delta":${forged}`)
          row.hash = eventDigest(row.canonical)
          return Effect.map(verify, (result) => {
            if (index === rows.length - 1) {
              expect(result).toMatchObject({ ok: true, count: rows.length })
              expect(result.ok && result.lastHash).not.toBe(appended[index]!.hash)
            } else {
              expect(result).toMatchObject({ ok: false, brokenSeq: row.seq + 1, reason: "prev-mismatch" })
            }
          })
        })
      ),
      { numRuns: 100 }
    )
  })

  it("a row whose bytes are not an envelope of the run is malformed", async () => {
    await withRun([[1, 2, 3]], (rows) => {
      rows[1]!.canonical = '{"not":"an event"}'
      rows[1]!.hash = eventDigest(rows[1]!.canonical)
      return Effect.map(verify, (result) => {
        expect(result).toMatchObject({ ok: false, brokenSeq: 2, reason: "malformed", count: 1 })
      })
    })
  })

  it("a corrupted row fails replay with StoreFailure corrupt naming the run and seq", async () => {
    await withRun([[1, 2]], (rows) => {
      rows[1]!.canonical = "{broken"
      return Effect.flatMap(EventLog, (log) => Effect.flip(Stream.runCollect(log.read("run-p")))).pipe(
        Effect.tap((error) => {
          expect(error).toMatchObject({ _tag: "StoreFailure", reason: "corrupt", store: "memory" })
          expect(error.detail).toContain("run run-p seq 2")
        })
      )
    })
  })
})

describe("EventLogMemory replay (N3-R4)", () => {
  it("read returns exactly what was appended, and folding it rebuilds the projection", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.tuple(fc.constantFrom("a", "b", "c"), fc.integer({ min: -50, max: 50 })), {
          minLength: 1,
          maxLength: 30
        }),
        (moves) =>
          withRun([], () =>
            Effect.gen(function* () {
              const log = yield* EventLog
              const live: Record<string, number> = {}
              const appended: Array<RunEvent> = []
              for (const [counter, delta] of moves) {
                appended.push(yield* log.append(move(delta, counter, "run-p")))
                live[counter] = (live[counter] ?? 0) + delta
              }
              const replayed = Chunk.toArray(yield* Stream.runCollect(log.read("run-p")))
              expect(replayed).toEqual(appended)
              // The projection is a pure fold over the replayed events: counter -> running total.
              const rebuilt = new Map<string, number>()
              for (const event of replayed) {
                const { counter, delta } = event.payload as { counter: string; delta: number }
                rebuilt.set(counter, (rebuilt.get(counter) ?? 0) + delta)
              }
              expect(Object.fromEntries(rebuilt)).toEqual(live)
            })
          )
      ),
      { numRuns: 40 }
    )
  })
})
