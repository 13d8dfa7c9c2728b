import { join } from "node:path"
import { describe, expect, it } from "@effect/vitest"
import { EventLog } from "@gauntlet/event-stream"
import { RunJournal, RunStore } from "@gauntlet/run-store"
import { MIGRATION_COMPONENT, SCHEMA_VERSION } from "@gauntlet/run-store-sqlite"
import Database from "better-sqlite3"
import { Chunk, Effect, Option, Stream } from "effect"
import { doneNode, newRun, started, succeeded } from "./fixtures/drafts.js"
import { fileStores, tempDir } from "./fixtures/stores.js"

const withRawDb = <A>(file: string, f: (db: Database.Database) => A): A => {
  const db = new Database(file)
  try {
    return f(db)
  } finally {
    db.close()
  }
}

const services = Effect.all({ journal: RunJournal, store: RunStore, log: EventLog })

describe("RunStoreSqlite file", () => {
  it.effect(
    "shares the event store's file: its own tables and its own schema_migrations rows; survives reopening",
    () =>
      Effect.scoped(
        Effect.gen(function* () {
          const file = join(yield* tempDir, "state.db")
          yield* Effect.provide(
            Effect.gen(function* () {
              const { store, journal } = yield* services
              yield* store.create(newRun("r-1"))
              yield* journal.record({
                runId: "r-1",
                events: [succeeded("r-1", "a")],
                run: { status: "paused", state: { cursor: "a" } },
                nodes: [doneNode("r-1", "a", { text: "é ☃ \u{1F600}" })]
              })
            }),
            fileStores(file)
          )
          const layout = withRawDb(file, (db) => ({
            tables: (
              db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name").all() as Array<{
                name: string
              }>
            ).map((row) => row.name),
            migrations: db
              .prepare("SELECT component, version FROM schema_migrations ORDER BY component")
              .all()
          }))
          expect(layout.tables).toEqual([
            "approvals",
            "events",
            "run_checkpoints",
            "run_nodes",
            "run_types",
            "runs",
            "schema_migrations"
          ])
          expect(layout.migrations).toEqual([
            { component: "event-store", version: 1 },
            { component: MIGRATION_COMPONENT, version: SCHEMA_VERSION }
          ])
          yield* Effect.provide(
            Effect.gen(function* () {
              const { store, log } = yield* services
              expect(Option.getOrThrow(yield* store.get("r-1"))).toMatchObject({
                status: "paused",
                state: { cursor: "a" },
                version: 1,
                eventSeq: 1
              })
              expect(yield* store.nodes("r-1")).toEqual([doneNode("r-1", "a", { text: "é ☃ \u{1F600}" })])
              expect(yield* store.list({ resumable: true })).toHaveLength(1)
              expect((yield* log.verifyChain("r-1")).ok).toBe(true)
            }),
            fileStores(file)
          )
        })
      )
  )

  it.effect("a SQL failure on either side of the append rolls back events and checkpoint rows together", () =>
    Effect.scoped(
      Effect.gen(function* () {
        const file = join(yield* tempDir, "state.db")
        yield* Effect.provide(
          Effect.flatMap(RunStore, (store) => store.create(newRun("r-1"))),
          fileStores(file)
        )
        // Triggers behind the store's back: one refuses a node row (before the append), one refuses an event row
        // (inside the event log's savepoint, after the run and node rows were written).
        withRawDb(file, (db) =>
          db.exec(`CREATE TRIGGER refuse_node BEFORE INSERT ON run_nodes WHEN NEW.node_id = 'boom'
              BEGIN SELECT RAISE(ABORT, 'node boom refused'); END;
            CREATE TRIGGER refuse_event BEFORE INSERT ON events WHEN NEW.type = 'task/succeeded'
              BEGIN SELECT RAISE(ABORT, 'event refused'); END;`)
        )
        yield* Effect.provide(
          Effect.gen(function* () {
            const { store, journal, log } = yield* services
            const live = yield* log.subscribe({ runId: "r-1" })
            const nodeFailure = yield* Effect.flip(
              journal.record({
                runId: "r-1",
                events: [started("r-1", "boom")],
                run: { status: "running", state: { n: 1 } },
                nodes: [doneNode("r-1", "ok"), doneNode("r-1", "boom")]
              })
            )
            expect(nodeFailure).toMatchObject({ _tag: "StoreFailure", reason: "io", store: file })
            expect(nodeFailure.message).toContain("node boom refused")
            const eventFailure = yield* Effect.flip(
              journal.record({
                runId: "r-1",
                events: [started("r-1", "a"), succeeded("r-1", "a")],
                run: { status: "running", state: { n: 2 } },
                nodes: [doneNode("r-1", "a")]
              })
            )
            expect(eventFailure).toMatchObject({ _tag: "StoreFailure", reason: "io" })
            expect(eventFailure.message).toContain("event refused")
            expect((yield* log.head("r-1")).seq).toBe(0)
            expect(Option.getOrThrow(yield* store.get("r-1"))).toMatchObject({
              version: 0,
              status: "pending"
            })
            expect(yield* store.nodes("r-1")).toEqual([])
            // The connection is usable afterwards, seqs continue from 1, and live subscribers saw only this event.
            const next = yield* journal.record({ runId: "r-1", events: [started("r-1", "ok")] })
            expect(next.events[0]?.seq).toBe(1)
            const [first] = Chunk.toArray(yield* Stream.runCollect(Stream.take(live, 1)))
            expect(first).toMatchObject({ seq: 1, type: "task/started", payload: { taskId: "ok" } })
          }),
          fileStores(file)
        )
        expect(withRawDb(file, (db) => db.prepare("SELECT COUNT(*) AS n FROM events").get())).toEqual({
          n: 1
        })
      })
    )
  )

  it.effect("a file whose run-store schema is newer than this code is refused, naming the versions", () =>
    Effect.scoped(
      Effect.gen(function* () {
        const file = join(yield* tempDir, "state.db")
        yield* Effect.provide(
          Effect.flatMap(RunStore, (store) => store.list()),
          fileStores(file)
        )
        withRawDb(file, (db) =>
          db
            .prepare(
              "INSERT INTO schema_migrations (component, version, name, applied_at) VALUES (?, ?, ?, ?)"
            )
            .run(MIGRATION_COMPONENT, SCHEMA_VERSION + 1, "future", "2030-01-01T00:00:00.000Z")
        )
        const error = yield* Effect.flip(
          Effect.provide(
            Effect.flatMap(RunStore, (store) => store.list()),
            fileStores(file)
          )
        )
        expect(error).toMatchObject({ _tag: "StoreFailure", reason: "unavailable", store: file })
        expect(error.message).toContain(`run-store schema version ${SCHEMA_VERSION + 1} is newer`)
      })
    )
  )

  it.effect("a foreign run_checkpoints table in the file is refused as corrupt", () =>
    Effect.scoped(
      Effect.gen(function* () {
        const file = join(yield* tempDir, "state.db")
        withRawDb(file, (db) => db.exec("CREATE TABLE run_checkpoints (id INTEGER)"))
        const error = yield* Effect.flip(
          Effect.provide(
            Effect.flatMap(RunStore, (store) => store.list()),
            fileStores(file)
          )
        )
        expect(error).toMatchObject({ _tag: "StoreFailure", reason: "corrupt" })
        expect(error.message).toContain("not a Gauntlet run store")
      })
    )
  )

  it.effect(
    "a 3,000-node DAG checkpointed in group commits keeps O(changes) rows and one version per record",
    () =>
      Effect.scoped(
        Effect.gen(function* () {
          const file = join(yield* tempDir, "state.db")
          yield* Effect.provide(
            Effect.gen(function* () {
              const { store, journal, log } = yield* services
              yield* store.create(newRun("dag"))
              const groups = 60
              const perGroup = 50
              for (let g = 0; g < groups; g++) {
                const ids = Array.from({ length: perGroup }, (_, i) => `t${g * perGroup + i}`)
                yield* journal.record({
                  runId: "dag",
                  events: ids.flatMap((id) => [started("dag", id), succeeded("dag", id)]),
                  nodes: ids.map((id) => doneNode("dag", id)),
                  expectedVersion: g
                })
              }
              // Re-checkpointing one node rewrites one row.
              yield* journal.record({
                runId: "dag",
                events: [],
                nodes: [
                  { runId: "dag", nodeId: "t7", status: "failed", attempts: 2, failure: { reason: "flaky" } }
                ]
              })
              const nodes = yield* store.nodes("dag")
              expect(nodes).toHaveLength(groups * perGroup)
              expect(nodes.find((n) => n.nodeId === "t7")).toEqual({
                runId: "dag",
                nodeId: "t7",
                status: "failed",
                attempts: 2,
                failure: { reason: "flaky" }
              })
              expect(Option.getOrThrow(yield* store.get("dag"))).toMatchObject({
                version: groups + 1,
                eventSeq: groups * perGroup * 2
              })
              expect((yield* log.verifyChain("dag")).ok).toBe(true)
            }),
            fileStores(file)
          )
        })
      )
  )
})
