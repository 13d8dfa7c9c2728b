import { currentIsoTime, Ids } from "@gauntlet/canonical"
import {
  type AppendOptions,
  type EventDraft,
  EventLog,
  type EventLogShape,
  EventTypes,
  InvalidEvent,
  makeLiveHub,
  prepareBatch,
  RunEvent,
  type RunSummary,
  StoreFailure,
  verifyRows
} from "@gauntlet/event-stream"
import { Context, Effect, Either, Layer, Option, Schema, Stream } from "effect"
import { MemoryEventStore, type MemoryEventStoreShape, type MemoryRow } from "./store.js"

const STORE = "memory"

interface RunState {
  readonly rows: Array<MemoryRow>
  /** Monotonic counter of the last append, for "most recently active first". */
  lastAppend: number
}

const decodeEvent = Schema.decodeUnknownEither(RunEvent)

/** Parses a stored row back into its event (the canonical text plus the hash column). */
const readRow = (runId: string, row: MemoryRow): Either.Either<RunEvent, StoreFailure> => {
  const corrupt = (detail: string) =>
    new StoreFailure({ reason: "corrupt", store: STORE, detail: `run ${runId} seq ${row.seq}: ${detail}` })
  let parsed: unknown
  try {
    parsed = JSON.parse(row.canonical)
  } catch (error) {
    return Either.left(corrupt(`stored text is not JSON (${String(error)})`))
  }
  if (typeof parsed !== "object" || parsed === null)
    return Either.left(corrupt("stored text is not an object"))
  return Either.mapLeft(decodeEvent({ ...parsed, hash: row.hash }), (error) => corrupt(error.message))
}

const countMissingIds = (drafts: ReadonlyArray<EventDraft>): number => {
  let missing = 0
  for (const draft of drafts as ReadonlyArray<unknown>) {
    if (typeof draft === "object" && draft !== null && (draft as { id?: unknown }).id === undefined)
      missing += 1
  }
  return missing
}

/** Builds an in-memory EventLog and the handle on its rows. */
export const makeEventLogMemory = Effect.gen(function* () {
  const registry = yield* EventTypes
  const ids = yield* Ids
  const hub = yield* makeLiveHub()
  const lock = yield* Effect.makeSemaphore(1)
  const runs = new Map<string, RunState>()
  const storedIds = new Set<string>()
  let appends = 0

  /** Event ids are unique across the store (as the SQLite store's unique index enforces). */
  const duplicateId = (events: ReadonlyArray<RunEvent>, single: boolean): InvalidEvent | undefined => {
    const batchIds = new Set<string>()
    for (let index = 0; index < events.length; index++) {
      const { id, type, runId } = events[index]!
      if (storedIds.has(id) || batchIds.has(id)) {
        return new InvalidEvent({
          type,
          runId,
          pointer: single ? "/id" : `/${index}/id`,
          reason: `event id ${id} is already ${batchIds.has(id) ? "used earlier in this batch" : "stored"} (event ids are unique across the store)`
        })
      }
      batchIds.add(id)
    }
    return undefined
  }

  const headOf = (runId: string) => {
    const rows = runs.get(runId)?.rows
    const last = rows?.[rows.length - 1]
    return last ? { runId, seq: last.seq, hash: last.hash } : { runId, seq: 0, hash: null }
  }

  const write = (drafts: ReadonlyArray<EventDraft>, options: AppendOptions | undefined, single: boolean) =>
    lock.withPermits(1)(
      Effect.gen(function* () {
        if (drafts.length === 0) return []
        const first: unknown = drafts[0]
        const runId =
          typeof first === "object" &&
          first !== null &&
          typeof (first as { runId?: unknown }).runId === "string"
            ? (first as { runId: string }).runId
            : ""
        const fresh: Array<string> = []
        for (let i = countMissingIds(drafts); i > 0; i--) fresh.push(yield* ids.next)
        const now = yield* currentIsoTime
        let used = 0
        const prepared = prepareBatch({
          registry,
          head: headOf(runId),
          drafts,
          now,
          nextId: () => fresh[used++] ?? "",
          single,
          ...(options?.expectedSeq === undefined ? {} : { expectedSeq: options.expectedSeq })
        })
        if (Either.isLeft(prepared)) return yield* Effect.fail(prepared.left)
        const events = prepared.right.map((sealed) => sealed.event)
        const duplicate = duplicateId(events, single)
        if (duplicate) return yield* Effect.fail(duplicate)
        let run = runs.get(runId)
        if (!run) {
          run = { rows: [], lastAppend: 0 }
          runs.set(runId, run)
        }
        for (const { event, canonical } of prepared.right) {
          run.rows.push({ seq: event.seq, type: event.type, time: event.time, hash: event.hash, canonical })
        }
        for (const event of events) storedIds.add(event.id)
        appends += 1
        run.lastAppend = appends
        yield* hub.publish(events)
        return events
      })
    )

  const log: EventLogShape = {
    append: Effect.fn("EventLog.append")(function* (draft: EventDraft, options?: AppendOptions) {
      const [event] = yield* write([draft], options, true)
      return event!
    }),
    appendBatch: Effect.fn("EventLog.appendBatch")(function* (
      drafts: ReadonlyArray<EventDraft>,
      options?: AppendOptions
    ) {
      return yield* write(drafts, options, false)
    }),
    read: (runId, fromSeq = 1) =>
      Stream.suspend(() => {
        const rows = (runs.get(runId)?.rows ?? []).filter((row) => row.seq >= fromSeq)
        return Stream.fromIterable(rows).pipe(Stream.mapEffect((row) => readRow(runId, row)))
      }),
    subscribe: (filter) => hub.subscribe(filter),
    latestOfType: Effect.fn("EventLog.latestOfType")(function* (runId: string, type: string) {
      const rows = runs.get(runId)?.rows ?? []
      for (let i = rows.length - 1; i >= 0; i--) {
        const row = rows[i]!
        if (row.type === type) return Option.some(yield* readRow(runId, row))
      }
      return Option.none()
    }),
    head: (runId) => Effect.sync(() => headOf(runId)),
    listRuns: (options) =>
      Effect.sync(() => {
        const summaries: Array<RunSummary & { readonly order: number }> = []
        for (const [runId, run] of runs) {
          const first = run.rows[0]
          const last = run.rows[run.rows.length - 1]
          if (!first || !last) continue
          summaries.push({
            runId,
            events: run.rows.length,
            firstTime: first.time,
            lastTime: last.time,
            lastType: last.type,
            order: run.lastAppend
          })
        }
        summaries.sort((a, b) => b.order - a.order)
        const limited =
          options?.limit === undefined ? summaries : summaries.slice(0, Math.max(0, options.limit))
        return limited.map(({ order: _order, ...summary }) => summary)
      }),
    verifyChain: (runId) => Effect.sync(() => verifyRows(runId, runs.get(runId)?.rows ?? []))
  }

  const store: MemoryEventStoreShape = {
    rows: (runId) => runs.get(runId)?.rows ?? [],
    runIds: () => [...runs.keys()].filter((runId) => (runs.get(runId)?.rows.length ?? 0) > 0)
  }

  return { log, store }
})

/** The in-memory event store: same semantics as the SQLite store, nothing durable. */
export const EventLogMemory = {
  /** An `EventLog` kept in memory; needs the event types to validate against and an id source. */
  layer: Layer.effect(
    EventLog,
    Effect.map(makeEventLogMemory, ({ log }) => log)
  ) satisfies Layer.Layer<EventLog, never, EventTypes | Ids>,
  /** The same log plus `MemoryEventStore`, the handle on its rows, so tests can tamper with stored events. */
  layerWithStore: Layer.effectContext(
    Effect.map(makeEventLogMemory, ({ log, store }) =>
      Context.make(EventLog, log).pipe(Context.add(MemoryEventStore, store))
    )
  ) satisfies Layer.Layer<EventLog | MemoryEventStore, never, EventTypes | Ids>
} as const
