import { mkdtempSync, rmSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { afterAll, expect, layer } from "@effect/vitest"
import { type EventDraft, EventLog, type RunEvent } from "@gauntlet/event-stream"
import { Chunk, Effect, FastCheck as fc, Option, Stream } from "effect"

import { fileLogLayer } from "./fixtures/eventTypes.js"

const dir = mkdtempSync(join(tmpdir(), "gauntlet-sqlite-prop-"))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

type DraftBody = Pick<EventDraft, "type" | "payload"> & { readonly causationId?: string }

const draftBody: fc.Arbitrary<DraftBody> = fc.oneof(
  fc.record({
    type: fc.constant("test/noted"),
    // Any UTF-16, lone surrogates included: the stored text must round-trip and hash the same.
    payload: fc.record({ text: fc.string({ unit: "binary", maxLength: 40 }) })
  }),
  fc.record(
    {
      type: fc.constant("test/counted"),
      payload: fc.record({ n: fc.integer(), by: fc.string({ maxLength: 8 }) }, { requiredKeys: ["n"] }),
      causationId: fc.uuid()
    },
    { requiredKeys: ["type", "payload"] }
  )
)

const batches = fc.array(fc.array(draftBody, { minLength: 1, maxLength: 12 }), { minLength: 1, maxLength: 5 })

let runCounter = 0

layer(fileLogLayer(join(dir, "events.db")))("EventLogSqlite properties", (it) => {
  it.effect.prop(
    "any appended sequence replays exactly, verifies, and keeps the latest of each type",
    [batches],
    ([generated]) =>
      Effect.gen(function* () {
        const log = yield* EventLog
        runCounter += 1
        const runId = `prop-${runCounter}`
        const appended: Array<RunEvent> = []
        for (const batch of generated) {
          const drafts = batch.map((body) => ({ ...body, runId, actor: "property" }))
          appended.push(...(yield* log.appendBatch(drafts)))
        }
        expect(appended.map((event) => event.seq)).toEqual(appended.map((_, i) => i + 1))
        const replayed = Chunk.toReadonlyArray(yield* Stream.runCollect(log.read(runId)))
        expect(replayed).toEqual(appended)
        const last = appended[appended.length - 1] as RunEvent
        expect(yield* log.verifyChain(runId)).toEqual({
          ok: true,
          runId,
          count: appended.length,
          firstHash: appended[0]?.hash,
          lastHash: last.hash,
          lastSeq: appended.length
        })
        expect(yield* log.head(runId)).toEqual({ runId, seq: last.seq, hash: last.hash })
        for (const type of ["test/noted", "test/counted"]) {
          const expected = [...appended].reverse().find((event) => event.type === type)
          expect(Option.getOrUndefined(yield* log.latestOfType(runId, type))).toEqual(expected)
        }
      }),
    { fastCheck: { numRuns: 40 } }
  )
})
