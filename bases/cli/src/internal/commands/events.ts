import * as Command from "@effect/cli/Command"
import { Effect } from "effect"
import {
  dbOption,
  followOption,
  fromSeqOption,
  jsonOption,
  limitOption,
  pollOption,
  runOption
} from "./eventsOptions.js"

/** The handlers (and the SQLite store behind them) load only when an `events` command actually runs. */
const handlers = Effect.promise(() => import("./eventsHandlers.js"))

const list = Command.make("list", { run: runOption, db: dbOption, json: jsonOption }, (options) =>
  Effect.flatMap(handlers, (h) => h.listEvents(options))
).pipe(
  Command.withDescription("Print every event of a run in seq order (seq, time, type, actor, short hash).")
)

const tail = Command.make(
  "tail",
  {
    run: runOption,
    db: dbOption,
    json: jsonOption,
    fromSeq: fromSeqOption,
    follow: followOption,
    pollMs: pollOption
  },
  (options) => Effect.flatMap(handlers, (h) => h.tailEvents(options))
).pipe(
  Command.withDescription(
    "Print the last events of a run (or from --from-seq); with --follow keep printing new ones until Ctrl-C."
  )
)

const verify = Command.make("verify", { run: runOption, db: dbOption, json: jsonOption }, (options) =>
  Effect.flatMap(handlers, (h) => h.verifyEvents(options))
).pipe(
  Command.withDescription(
    "Re-hash a run's stored events and check every link of its chain; prints the head/tail hashes or the first broken seq."
  )
)

const runs = Command.make("runs", { db: dbOption, json: jsonOption, limit: limitOption }, (options) =>
  Effect.flatMap(handlers, (h) => h.listRuns(options))
).pipe(Command.withDescription("List the runs in the event store, most recently active first."))

/** `gauntlet events …`: read, follow and verify the N3 event log. */
export const eventsCommand = Command.make("events").pipe(
  Command.withDescription("Read, follow and verify the tamper-evident event log (N3)."),
  Command.withSubcommands([list, tail, verify, runs])
)
