import { mkdtempSync, readFileSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { NodeFileSystem } from "@effect/platform-node"
import { describe, expect, it } from "@effect/vitest"
import { declaredClassOf } from "@gauntlet/failure"
import { Effect, Either, Layer, Option } from "effect"
import { Cassette, Llm, parseCassette } from "../src/index.js"
import { ask, chokepoint, ctx, events, fakeProvider } from "./support.js"

const tempFile = () => join(mkdtempSync(join(tmpdir(), "gauntlet-cassette-")), "calls.jsonl")

const record = (file: string) => Cassette.record(file).pipe(Layer.provide(NodeFileSystem.layer))
const replay = (file: string) => Cassette.replay(file).pipe(Layer.provide(NodeFileSystem.layer))

describe("cassettes", () => {
  it.effect("record writes one JSON line per call; replay answers offline, charging the same budget", () =>
    Effect.gen(function* () {
      const file = tempFile()
      const alpha = yield* fakeProvider("alpha", [{ text: "first" }, { text: "second" }])
      const recorded = yield* Effect.flatMap(Llm, (llm) =>
        Effect.all([llm.complete(ask("alpha/big", "one"), ctx), llm.complete(ask("alpha/big", "two"), ctx)])
      ).pipe(Effect.provide(chokepoint({ providers: [alpha.provider], cassette: record(file) })))
      const lines = readFileSync(file, "utf8").trim().split("\n")
      expect(lines).toHaveLength(2)
      expect(JSON.parse(lines[0] as string).digest).toBe(recorded[0].requestDigest)

      // No provider registered or configured: replay must answer from the file alone.
      const { replayed, log } = yield* Effect.flatMap(Llm, (llm) =>
        Effect.all({
          replayed: Effect.all([
            llm.complete(ask("alpha/big", "two"), ctx),
            llm.complete(ask("alpha/big", "one"), ctx)
          ]),
          log: events
        })
      ).pipe(Effect.provide(chokepoint({ providers: [], configured: [], cassette: replay(file) })))
      expect(replayed.map((c) => c.response.text)).toEqual(["second", "first"])
      expect(replayed.map((c) => c.source)).toEqual(["cassette", "cassette"])
      expect(replayed[1]?.costUsd).toBe(recorded[0].costUsd)
      expect(log.filter((e) => e.type === "llm/response").map((e) => e.payload.source)).toEqual([
        "cassette",
        "cassette"
      ])
    })
  )

  it.effect("a replay miss names the request digest and the closest recorded entry, and calls nothing", () =>
    Effect.gen(function* () {
      const file = tempFile()
      const alpha = yield* fakeProvider("alpha", [{ text: "a" }, { text: "b" }])
      yield* Effect.flatMap(Llm, (llm) =>
        Effect.all([
          llm.complete(ask("alpha/big", "Write a haiku about budgets."), ctx),
          llm.complete(ask("alpha/big", "Something else entirely", { temperature: 1 }), ctx)
        ])
      ).pipe(Effect.provide(chokepoint({ providers: [alpha.provider], cassette: record(file) })))
      const beta = yield* fakeProvider("alpha", [{ text: "must not be called" }])
      const miss = yield* Effect.flatMap(Llm, (llm) =>
        Effect.flip(llm.complete(ask("alpha/big", "Write a haiku about budgets!"), ctx))
      ).pipe(Effect.provide(chokepoint({ providers: [beta.provider], cassette: replay(file) })))
      expect(miss._tag).toBe("CassetteMiss")
      if (miss._tag !== "CassetteMiss") return
      const firstDigest = JSON.parse(readFileSync(file, "utf8").split("\n")[0] as string).digest
      expect(miss.closest).toEqual({ digest: firstDigest, line: 1, differences: ["/messages/0"] })
      expect(miss.message).toContain(`request ${miss.digest}`)
      expect(miss.message).toContain(`closest recorded entry ${firstDigest} (line 1) differs at /messages/0`)
      expect(declaredClassOf(miss)).toEqual(Option.some("data-integrity"))
      expect(yield* beta.calls).toEqual([])
    })
  )

  it.effect("a corrupted cassette line fails with the file and the line", () =>
    Effect.gen(function* () {
      const file = tempFile()
      const alpha = yield* fakeProvider("alpha", [{ text: "a" }])
      yield* Effect.flatMap(Llm, (llm) => llm.complete(ask("alpha/big"), ctx)).pipe(
        Effect.provide(chokepoint({ providers: [alpha.provider], cassette: record(file) }))
      )
      const good = readFileSync(file, "utf8")
      writeFileSync(file, `${good}\n{"digest": "sha256:00", "request": {}, "resp`)
      const error = yield* Effect.flatMap(Llm, (llm) =>
        Effect.flip(llm.complete(ask("alpha/big"), ctx))
      ).pipe(Effect.provide(chokepoint({ providers: [], configured: [], cassette: replay(file) })))
      expect(error).toMatchObject({ _tag: "CassetteCorrupt", file, line: 3 })
      expect(error.message).toContain(`corrupted cassette ${file} line 3`)
    })
  )

  it("refuses a line whose digest does not match its request (an edited recording)", () => {
    const entry = {
      digest: "sha256:0000000000000000000000000000000000000000000000000000000000000000",
      request: { provider: "alpha", model: "big" },
      response: {
        model: "big",
        content: [],
        text: "",
        finishReason: "stop",
        usage: { inputTokens: 0, outputTokens: 0 }
      }
    }
    const parsed = parseCassette("edited.jsonl", `\n${JSON.stringify(entry)}\n`)
    expect(Either.isLeft(parsed) && parsed.left.line).toBe(2)
    expect(Either.isLeft(parsed) && parsed.left.reason).toContain("does not match its request")
  })

  it.effect("replays identical requests in recorded order (the n-th call gets the n-th recording)", () =>
    Effect.gen(function* () {
      const file = tempFile()
      const alpha = yield* fakeProvider("alpha", [{ text: "v1" }, { text: "v2" }])
      yield* Effect.flatMap(Llm, (llm) =>
        Effect.all([llm.complete(ask("alpha/big"), ctx), llm.complete(ask("alpha/big"), ctx)])
      ).pipe(Effect.provide(chokepoint({ providers: [alpha.provider], cassette: record(file) })))
      const texts = yield* Effect.flatMap(Llm, (llm) =>
        Effect.all([
          llm.complete(ask("alpha/big"), ctx),
          llm.complete(ask("alpha/big"), ctx),
          llm.complete(ask("alpha/big"), ctx)
        ])
      ).pipe(
        Effect.map((all) => all.map((c) => c.response.text)),
        Effect.provide(chokepoint({ providers: [], configured: [], cassette: replay(file) }))
      )
      expect(texts).toEqual(["v1", "v2", "v2"])
    })
  )
})
