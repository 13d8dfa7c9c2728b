import * as SqlClient from "@effect/sql/SqlClient"
import { StoreFailure } from "@gauntlet/event-stream"
import { Effect, Option, Schema } from "effect"

/**
 * What the CLI needs to rebuild a run's process-local parts on `resume` / `runs approve`: the absolute paths of the
 * definition file (re-read on resume, so an edited definition is detected as a changed spec), of the agent
 * files and, for LLM agents, the model mode, cassette and budget. Stored next to the run's checkpoint in the same SQLite file (table `cli_run_launch`).
 */
export const Launch = Schema.Struct({
  definitionFile: Schema.String,
  agentScripts: Schema.Array(Schema.String),
  /** The model settings of LLM agents (absent when every agent is scripted): resolved mode, cassette, limit. */
  llm: Schema.optional(
    Schema.Struct({
      mode: Schema.Literal("live", "record", "replay"),
      cassette: Schema.optional(Schema.String),
      budgetUsd: Schema.Number
    })
  )
})
/** The model settings a run's LLM agents were launched with. */
export type LlmLaunch = NonNullable<typeof Launch.Type.llm>
/** What the CLI needs to rebuild a run. */
export type Launch = typeof Launch.Type

const LaunchJson = Schema.parseJson(Launch)

const failure = (path: string, operation: string) => (error: unknown) =>
  new StoreFailure({
    reason: "io",
    store: path,
    detail: `${operation} (table cli_run_launch): ${error instanceof Error ? error.message : String(error)}`
  })

const ensureTable = (sql: SqlClient.SqlClient) =>
  sql`CREATE TABLE IF NOT EXISTS cli_run_launch (run_id TEXT PRIMARY KEY, launch TEXT NOT NULL)`

/** Stores (or replaces) the launch record of a run. */
export const saveLaunch = (path: string, runId: string, launch: Launch) =>
  Effect.gen(function* () {
    const sql = yield* SqlClient.SqlClient
    yield* ensureTable(sql)
    const text = yield* Schema.encode(LaunchJson)(launch)
    yield* sql`INSERT OR REPLACE INTO cli_run_launch (run_id, launch) VALUES (${runId}, ${text})`
  }).pipe(Effect.mapError(failure(path, "save launch")))

/** The launch record of a run, if the CLI started it. */
export const loadLaunch = (path: string, runId: string) =>
  Effect.gen(function* () {
    const sql = yield* SqlClient.SqlClient
    yield* ensureTable(sql)
    const rows = yield* sql<{ launch: string }>`SELECT launch FROM cli_run_launch WHERE run_id = ${runId}`
    if (rows.length === 0) return Option.none<Launch>()
    return Option.some(yield* Schema.decodeUnknown(LaunchJson)(rows[0]!.launch))
  }).pipe(Effect.mapError(failure(path, "load launch")))
