import { SqlClient } from "@effect/sql"
import type { SqlError } from "@effect/sql/SqlError"
import { SqliteClient } from "@effect/sql-sqlite-node"
import { currentIsoTime, Ids } from "@gauntlet/canonical"
import {
  type AppendOptions,
  type EventDraft,
  EventLog,
  type EventLogShape,
  EventTypes,
  type InvalidEvent,
  makeLiveHub,
  prepareBatch,
  type RunEvent,
  type SealedEvent,
  SeqConflict,
  type StoreFailure,
  type UnknownEventType
} from "@gauntlet/event-stream"
import { Effect, Either, Layer, Option } from "effect"
import { alreadyStoredId, duplicateInBatch } from "./eventIds.js"
import { migrate } from "./migrations.js"
import {
  readLastStoredSeq,
  readLatestOfType,
  readRunHead,
  readRuns,
  streamEvents,
  verifyStoredChain
} from "./readEvents.js"
import { layerSqliteFile, type SqliteFileOptions } from "./sqliteFile.js"
import { isDuplicateEventId, isSeqCollision, toStoreFailure } from "./storeFailure.js"
import { insertSealed, readHead } from "./writeEvents.js"
import { AfterCommit, withWriteTransaction } from "./writeTransaction.js"

/** How many times a plain append (no `expectedSeq`) re-reads the head after another writer took its seq. */
const MAX_APPEND_ATTEMPTS = 8

/** A write that lost the (run_id, seq) race to another process; plain appends retry it. */
interface SeqCollision {
  readonly _tag: "SeqCollision"
  /** The head seq the losing attempt had read. */
  readonly headSeq: number
}

type WriteError = UnknownEventType | InvalidEvent | SeqConflict | StoreFailure | SeqCollision

/** Opens the event log over the `SqlClient` in context: migrates the schema, then serves `EventLogShape`. */
export const makeEventLogSqlite = Effect.gen(function* () {
  const sql = yield* SqlClient.SqlClient
  const registry = yield* EventTypes
  const ids = yield* Ids
  const sqlite = yield* Effect.serviceOption(SqliteClient.SqliteClient)
  const store = Option.match(sqlite, { onNone: () => "sqlite", onSome: (client) => client.config.filename })
  const toFailure = (error: SqlError | StoreFailure): StoreFailure =>
    error._tag === "StoreFailure" ? error : toStoreFailure(store, error)

  const openedAt = yield* currentIsoTime
  yield* Effect.mapError(
    withWriteTransaction(sql, (conn) => migrate(conn, store, openedAt)),
    toFailure
  )
  const hub = yield* makeLiveHub()

  /** One attempt: lock, read the head, check `expectedSeq`, validate and seal, insert, move the head. */
  const writeOnce = (
    runId: string,
    drafts: ReadonlyArray<EventDraft>,
    options: AppendOptions | undefined,
    now: string,
    freshIds: ReadonlyArray<string>,
    single: boolean
  ): Effect.Effect<ReadonlyArray<SealedEvent>, WriteError> => {
    let seenHead = 0
    let sealed: ReadonlyArray<SealedEvent> = []
    return Effect.catchTag(
      withWriteTransaction(sql, (conn) =>
        Effect.gen(function* () {
          const head = yield* readHead(conn, runId)
          seenHead = head.seq
          let nextFresh = 0
          const nextId = () => freshIds[nextFresh++] as string
          const prepared = prepareBatch({
            registry,
            head,
            drafts,
            now,
            nextId,
            expectedSeq: options?.expectedSeq,
            single
          })
          if (Either.isLeft(prepared)) return yield* prepared.left
          sealed = prepared.right
          const duplicate = duplicateInBatch(sealed, single)
          if (duplicate !== undefined) return yield* duplicate
          yield* insertSealed(conn, runId, sealed)
          return prepared.right
        })
      ),
      "SqlError",
      (error): Effect.Effect<never, WriteError> => {
        if (isSeqCollision(error)) return Effect.fail({ _tag: "SeqCollision", headSeq: seenHead })
        if (isDuplicateEventId(error)) {
          return Effect.flatMap(alreadyStoredId(sql, store, sealed, single), Effect.fail)
        }
        return Effect.fail(toStoreFailure(store, error))
      }
    )
  }

  /** Validates, seals and stores one run's drafts in one write transaction, then publishes them live. */
  const write = (drafts: ReadonlyArray<EventDraft>, options: AppendOptions | undefined, single: boolean) =>
    Effect.gen(function* () {
      if (drafts.length === 0) return [] as ReadonlyArray<RunEvent>
      const first: unknown = drafts[0]
      const runId =
        typeof first === "object" &&
        first !== null &&
        typeof (first as { runId?: unknown }).runId === "string"
          ? (first as { runId: string }).runId
          : ""
      let missingIds = 0
      for (const draft of drafts as ReadonlyArray<unknown>) {
        if (typeof draft === "object" && draft !== null && (draft as { id?: unknown }).id === undefined)
          missingIds += 1
      }
      // A plain loop over `ids.next` (not `replicateEffect`, which builds and collects one effect per id).
      const freshIds = new Array<string>(missingIds)
      for (let i = 0; i < missingIds; i++) freshIds[i] = yield* ids.next
      const now = yield* currentIsoTime
      for (let attempt = 1; ; attempt++) {
        const outcome = yield* Effect.either(writeOnce(runId, drafts, options, now, freshIds, single))
        if (Either.isRight(outcome)) {
          const events = outcome.right.map((sealed) => sealed.event)
          // Inside a transaction another store owns, publish only once it commits (never events it rolled back).
          const afterCommit = yield* Effect.serviceOption(AfterCommit)
          if (Option.isSome(afterCommit)) yield* afterCommit.value.defer(hub.publish(events))
          else yield* hub.publish(events)
          return events as ReadonlyArray<RunEvent>
        }
        const error = outcome.left
        if (error._tag !== "SeqCollision") return yield* error
        if (options?.expectedSeq !== undefined || attempt >= MAX_APPEND_ATTEMPTS) {
          const actualSeq = yield* readLastStoredSeq(sql, store, runId)
          return yield* new SeqConflict({
            runId,
            expectedSeq: options?.expectedSeq ?? error.headSeq,
            actualSeq
          })
        }
      }
    })

  const appendBatch = Effect.fn("EventLog.appendBatch")(function* (
    drafts: ReadonlyArray<EventDraft>,
    options?: AppendOptions
  ) {
    return yield* write(drafts, options, false)
  })

  const append = Effect.fn("EventLog.append")(function* (draft: EventDraft, options?: AppendOptions) {
    const [event] = yield* write([draft], options, true)
    return event as RunEvent
  })

  return EventLog.of({
    append,
    appendBatch,
    read: (runId, fromSeq = 1) => streamEvents(sql, store, runId, fromSeq),
    subscribe: (filter) => hub.subscribe(filter ?? {}),
    latestOfType: Effect.fn("EventLog.latestOfType")(function* (runId: string, type: string) {
      return yield* readLatestOfType(sql, store, runId, type)
    }),
    head: Effect.fn("EventLog.head")(function* (runId: string) {
      return yield* readRunHead(sql, store, runId)
    }),
    listRuns: Effect.fn("EventLog.listRuns")(function* (options?: { readonly limit?: number }) {
      return yield* readRuns(sql, store, options?.limit)
    }),
    verifyChain: Effect.fn("EventLog.verifyChain")(function* (runId: string) {
      return yield* verifyStoredChain(sql, store, runId)
    })
  } satisfies EventLogShape)
})

/** The SQLite event log's Layers. */
export const EventLogSqlite = {
  /** `EventLog` over the `SqlClient` in context (the caller opens and configures the database); migrates on open. */
  layer: Layer.scoped(EventLog, makeEventLogSqlite),
  /** A `SqlClient` for one file with Gauntlet's PRAGMAs, to share one connection between several stores. */
  layerClient: layerSqliteFile,
  /** `EventLog` over one SQLite file (WAL, `synchronous=NORMAL`, busy timeout, foreign keys), opened and migrated. */
  layerFile: (filename: string, options?: SqliteFileOptions) =>
    Layer.provide(Layer.scoped(EventLog, makeEventLogSqlite), layerSqliteFile(filename, options))
} as const
