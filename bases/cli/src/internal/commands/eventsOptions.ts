import * as Options from "@effect/cli/Options"
import { DEFAULT_DB } from "../storePath.js"

/** `--run <id>`: the run whose events to read. */
export const runOption = Options.text("run").pipe(
  Options.withDescription("Run id (see: gauntlet events runs)")
)

/** `--db <path>`: the SQLite event store, default `.gauntlet/state.db` under the cwd. */
export const dbOption = Options.text("db").pipe(
  Options.withDefault(DEFAULT_DB),
  Options.withDescription(`SQLite event store file (default: ${DEFAULT_DB} under the current directory)`)
)

/** `--json`: machine output, one JSON document per line. */
export const jsonOption = Options.boolean("json").pipe(
  Options.withDescription("Print JSON lines (one event envelope or record per line) instead of a table")
)

/** `--from-seq <n>`: first seq to print (must be ≥ 1). */
export const fromSeqOption = Options.integer("from-seq").pipe(
  Options.optional,
  Options.withDescription("First seq to print (default: the last 10 events)")
)

/** `--follow` / `-f`: keep polling the store for new events until interrupted. */
export const followOption = Options.boolean("follow").pipe(
  Options.withAlias("f"),
  Options.withDescription("Keep printing new events as they are stored, until Ctrl-C")
)

/** `--poll-ms <n>`: how often `--follow` polls the store. */
export const pollOption = Options.integer("poll-ms").pipe(
  Options.withDefault(250),
  Options.withDescription("Polling interval of --follow in milliseconds (default 250)")
)

/** `--limit <n>`: most recent runs to list. */
export const limitOption = Options.integer("limit").pipe(
  Options.optional,
  Options.withDescription("List at most this many runs (most recently active first)")
)
