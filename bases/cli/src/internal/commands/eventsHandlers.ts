import type { EventLogShape, RunEvent, StoreFailure } from "@gauntlet/event-stream"
import { Chunk, Effect, Option, Stream } from "effect"
import { ChainBroken, InvalidOptionValue, type OutputFailure, RunNotFound } from "../errors.js"
import { writeLines } from "../output.js"
import {
  type EventColumns,
  eventColumns,
  eventHeader,
  eventJsonLine,
  eventRow,
  runsTable,
  verificationReport
} from "../render.js"
import { withStore } from "../store.js"

/** Options of `gauntlet events list`. */
export interface ListEventsOptions {
  readonly run: string
  readonly db: string
  readonly json: boolean
}

/** Options of `gauntlet events tail`. */
export interface TailEventsOptions extends ListEventsOptions {
  readonly fromSeq: Option.Option<number>
  readonly follow: boolean
  readonly pollMs: number
}

/** Options of `gauntlet events runs`. */
export interface ListRunsOptions {
  readonly db: string
  readonly json: boolean
  readonly limit: Option.Option<number>
}

/** How many trailing events `tail` shows without `--from-seq` (as tail(1) does). */
const TAIL_DEFAULT = 10

const atLeastOne = (option: string, value: number): Effect.Effect<number, InvalidOptionValue> =>
  Number.isSafeInteger(value) && value >= 1
    ? Effect.succeed(value)
    : Effect.fail(new InvalidOptionValue({ option, value: String(value), reason: "must be an integer ≥ 1" }))

/** Prints a stream of events chunk by chunk (one write per chunk); returns the last seq printed, or 0. */
const printEvents = (
  events: Stream.Stream<RunEvent, StoreFailure>,
  json: boolean,
  columns: EventColumns
): Effect.Effect<number, StoreFailure | OutputFailure> => {
  let last = 0
  return Stream.runForEachChunk(events, (chunk) => {
    const batch = Chunk.toReadonlyArray(chunk)
    if (batch.length > 0) last = batch[batch.length - 1]!.seq
    return writeLines(batch.map((event) => (json ? eventJsonLine(event) : eventRow(event, columns))))
  }).pipe(Effect.map(() => last))
}

const requireRun = (log: EventLogShape, runId: string, path: string) =>
  Effect.flatMap(log.head(runId), (head) =>
    head.seq === 0 ? Effect.fail(new RunNotFound({ runId, path })) : Effect.succeed(head)
  )

/** `events list`: every event of a run in seq order. */
export const listEvents = (options: ListEventsOptions) =>
  withStore(options.db, (log, path) =>
    Effect.gen(function* () {
      const head = yield* requireRun(log, options.run, path)
      const columns = eventColumns(head.seq)
      if (!options.json) yield* writeLines([eventHeader(columns)])
      yield* printEvents(log.read(options.run, 1), options.json, columns)
    })
  )

/**
 * `events tail`: the last 10 events (or from `--from-seq`); with `--follow`, polls the store for new events until
 * interrupted. A followed run that does not exist yet is waited for; without `--follow` it is an error.
 */
export const tailEvents = (options: TailEventsOptions) =>
  withStore(options.db, (log, path) =>
    Effect.gen(function* () {
      const pollMs = yield* atLeastOne("--poll-ms", options.pollMs)
      const fromSeq = Option.isSome(options.fromSeq)
        ? Option.some(yield* atLeastOne("--from-seq", options.fromSeq.value))
        : Option.none<number>()
      const head = options.follow ? yield* log.head(options.run) : yield* requireRun(log, options.run, path)
      const columns = eventColumns(options.follow ? Math.max(head.seq, 99_999) : head.seq)
      let next = Option.getOrElse(fromSeq, () => Math.max(1, head.seq - TAIL_DEFAULT + 1))
      if (!options.json) yield* writeLines([eventHeader(columns)])
      const printFrom = Effect.suspend(() =>
        printEvents(log.read(options.run, next), options.json, columns)
      ).pipe(
        Effect.tap((last) => {
          if (last > 0) next = last + 1
        })
      )
      yield* printFrom
      if (!options.follow) return
      yield* Effect.forever(Effect.zipRight(Effect.sleep(pollMs), printFrom))
    })
  )

/** `events verify`: re-hashes the run's stored bytes; reports ok with anchors, or the first broken seq. */
export const verifyEvents = (options: ListEventsOptions) =>
  withStore(options.db, (log, path) =>
    Effect.gen(function* () {
      yield* requireRun(log, options.run, path)
      const verdict = yield* log.verifyChain(options.run)
      yield* writeLines(
        options.json ? [JSON.stringify({ ...verdict, store: path })] : verificationReport(verdict, path)
      )
      if (!verdict.ok) {
        return yield* new ChainBroken({
          runId: verdict.runId,
          path,
          brokenSeq: verdict.brokenSeq,
          reason: verdict.reason,
          detail: verdict.detail
        })
      }
    })
  )

/** `events runs`: the runs in the store, most recently active first. */
export const listRuns = (options: ListRunsOptions) =>
  withStore(options.db, (log, path) =>
    Effect.gen(function* () {
      const limit = Option.isSome(options.limit)
        ? Option.some(yield* atLeastOne("--limit", options.limit.value))
        : Option.none<number>()
      const runs = yield* log.listRuns(Option.isSome(limit) ? { limit: limit.value } : undefined)
      if (options.json) return yield* writeLines(runs.map((run) => JSON.stringify(run)))
      yield* writeLines(runs.length === 0 ? [`no runs in ${path}`] : runsTable(runs))
    })
  )
