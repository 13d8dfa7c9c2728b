import { SqliteClient } from "@effect/sql-sqlite-node"
import { describe, expect, it } from "@effect/vitest"
import { Effect, Layer, Option } from "effect"
import { StageCache, StageCacheSql } from "../src/index.js"

const sqlite = SqliteClient.layer({ filename: ":memory:" })

describe("StageCacheSql", () => {
  it.effect("stores and returns answers by key, replacing on the same key", () =>
    Effect.gen(function* () {
      const cache = yield* StageCache
      const response = {
        model: "big",
        content: [{ type: "text" as const, text: "v1" }],
        text: "v1",
        finishReason: "stop" as const,
        usage: { inputTokens: 1, outputTokens: 2 }
      }
      expect(yield* cache.get("t:sha256:a")).toEqual(Option.none())
      yield* cache.put("t:sha256:a", { model: "alpha/big", response })
      expect(yield* cache.get("t:sha256:a")).toEqual(Option.some({ model: "alpha/big", response }))
      yield* cache.put("t:sha256:a", { model: "alpha/big", response: { ...response, text: "v2" } })
      expect(Option.map(yield* cache.get("t:sha256:a"), (hit) => hit.response.text)).toEqual(
        Option.some("v2")
      )
    }).pipe(Effect.provide(StageCacheSql.pipe(Layer.provide(sqlite))), Effect.orDie)
  )
})
