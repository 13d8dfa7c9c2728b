import { SqlClient } from "@effect/sql"
import { describe, expect, it } from "@effect/vitest"
import { Ids } from "@gauntlet/canonical"
import { EventLogSqlite, withImmediateTransaction } from "@gauntlet/event-store-sqlite"
import { EventLog, EventTypes, type LiveItem } from "@gauntlet/event-stream"
import { Effect, Fiber, Layer, Stream } from "effect"
import { testEventTypes } from "./fixtures/eventTypes.js"
import { countRows, tempStoreFile } from "./fixtures/tempStore.js"

/** EventLog and SqlClient over one connection, as stores sharing a file compose them. */
const sharedLayer = (file: string) =>
  EventLogSqlite.layer.pipe(
    Layer.provideMerge(EventLogSqlite.layerClient(file)),
    Layer.provide(Layer.merge(EventTypes.layer(testEventTypes), Ids.layer))
  )

const note = (text: string) => ({
  runId: "run-outer",
  type: "test/noted",
  actor: "tester",
  payload: { text }
})

describe("appends inside a transaction another store owns (withImmediateTransaction)", () => {
  it.live(
    "live subscribers get the events only after COMMIT, and never the events of a rolled-back one",
    () =>
      Effect.scoped(
        Effect.gen(function* () {
          const { file } = yield* tempStoreFile
          yield* Effect.provide(
            Effect.scoped(
              Effect.gen(function* () {
                const sql = yield* SqlClient.SqlClient
                const log = yield* EventLog
                const live = yield* log.subscribe({ runId: "run-outer" })
                const seen: Array<LiveItem> = []
                const collector = yield* Effect.fork(
                  Stream.runForEach(live, (item) => Effect.sync(() => void seen.push(item)))
                )
                // Rolled back after the append: nothing stored, nothing published.
                const failed = yield* Effect.flip(
                  withImmediateTransaction(sql, () =>
                    Effect.zipRight(
                      log.append(note("rolled back")),
                      Effect.fail("the outer store failed" as const)
                    )
                  )
                )
                expect(failed).toBe("the outer store failed")
                yield* Effect.sleep("20 millis")
                expect(seen).toEqual([])
                expect(countRows(file)).toBe(0)
                // Committed: published once the transaction committed, not before.
                const appended = yield* withImmediateTransaction(sql, () =>
                  Effect.tap(log.append(note("committed")), () => Effect.sync(() => expect(seen).toEqual([])))
                )
                yield* Effect.sleep("20 millis")
                expect(seen).toEqual([appended])
                yield* Fiber.interrupt(collector)
              })
            ),
            sharedLayer(file)
          )
        })
      )
  )
})
