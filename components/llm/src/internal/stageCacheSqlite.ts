import { SqlClient } from "@effect/sql"
import { Effect, Layer, Option, Schema } from "effect"
import { StageCacheFailure } from "./errors.js"
import { LlmResponse } from "./messages.js"
import { type CachedCall, StageCache } from "./stageCache.js"

const Stored = Schema.parseJson(Schema.Struct({ model: Schema.String, response: LlmResponse }))
const decodeStored = Schema.decodeUnknown(Stored)

const failure = (operation: "get" | "put") => (error: unknown) =>
  new StageCacheFailure({ operation, reason: error instanceof Error ? error.message : String(error) })

/**
 * The stage cache in a SQL table `llm_stage_cache (key TEXT PRIMARY KEY, model TEXT, entry TEXT)`, created on
 * first use; works with any `SqlClient` (SQLite by default). A row that no longer decodes is a miss.
 */
export const StageCacheSql: Layer.Layer<StageCache, StageCacheFailure, SqlClient.SqlClient> = Layer.effect(
  StageCache,
  Effect.gen(function* () {
    const sql = yield* SqlClient.SqlClient
    yield* sql`CREATE TABLE IF NOT EXISTS llm_stage_cache (key TEXT PRIMARY KEY, model TEXT NOT NULL, entry TEXT NOT NULL)`.pipe(
      Effect.mapError(failure("put"))
    )
    return {
      get: (key: string) =>
        sql<{ entry: string }>`SELECT entry FROM llm_stage_cache WHERE key = ${key}`.pipe(
          Effect.mapError(failure("get")),
          Effect.flatMap((rows) =>
            rows[0] === undefined
              ? Effect.succeed(Option.none<CachedCall>())
              : decodeStored(rows[0].entry).pipe(Effect.option)
          )
        ),
      put: (key: string, value: CachedCall) =>
        sql`INSERT INTO llm_stage_cache (key, model, entry) VALUES (${key}, ${value.model}, ${JSON.stringify(value)})
            ON CONFLICT (key) DO UPDATE SET model = excluded.model, entry = excluded.entry`.pipe(
          Effect.mapError(failure("put")),
          Effect.asVoid
        )
    }
  })
)
