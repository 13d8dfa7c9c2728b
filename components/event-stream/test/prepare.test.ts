import { canonicalize } from "@gauntlet/canonical"
import {
  type AnyEventTypeSpec,
  coreEventTypes,
  EventDraft,
  type EventDraft as EventDraftType,
  locateNonJson,
  prepareBatch,
  type RunHead,
  sealEvent,
  verifyRows
} from "@gauntlet/event-stream"
import { Arbitrary, Either, FastCheck, Schema } from "effect"
import fc from "fast-check"
import { describe, expect, it } from "vitest"
import { counterIds, NOW, OTHER_RUN, RUN, testRegistry } from "./fixtures.js"

const empty: RunHead = { runId: RUN, seq: 0, hash: null }

const note = (payload: Record<string, unknown>, extra: Partial<EventDraftType> = {}): EventDraftType => ({
  runId: RUN,
  type: "test/note-added",
  actor: "tester",
  payload,
  ...extra
})

const prepare = (
  drafts: ReadonlyArray<unknown>,
  options: { head?: RunHead; expectedSeq?: number; single?: boolean } = {}
) =>
  prepareBatch({
    registry: testRegistry,
    head: options.head ?? empty,
    drafts: drafts as ReadonlyArray<EventDraftType>,
    now: NOW,
    nextId: counterIds(),
    ...(options.expectedSeq === undefined ? {} : { expectedSeq: options.expectedSeq }),
    ...(options.single === undefined ? {} : { single: options.single })
  })

const leftOf = <E>(result: Either.Either<unknown, E>): E => {
  if (Either.isRight(result)) throw new Error("expected a Left")
  return result.left
}

describe("prepareBatch: sealing", () => {
  it("assigns seq, prevHash, ids, time and the correlation/causation defaults", () => {
    const result = prepare([
      note({ text: "a", count: 1 }),
      note({ text: "b", count: 2 }, { causationId: "evt-1", time: "2026-01-01T00:00:00Z" })
    ])
    const sealed = Either.getOrThrow(result)
    expect(sealed.map((s) => s.event.seq)).toEqual([1, 2])
    expect(sealed[0]!.event).toMatchObject({
      id: "evt-1",
      time: NOW,
      correlationId: RUN,
      causationId: null,
      prevHash: null
    })
    expect(sealed[1]!.event).toMatchObject({
      id: "evt-2",
      time: "2026-01-01T00:00:00Z",
      causationId: "evt-1"
    })
    expect(sealed[1]!.event.prevHash).toBe(sealed[0]!.event.hash)
  })

  it("continues the chain from the head and keeps caller-supplied ids", () => {
    const first = Either.getOrThrow(prepare([note({ text: "a", count: 1 })]))[0]!
    const head: RunHead = { runId: RUN, seq: 1, hash: first.event.hash }
    const second = Either.getOrThrow(prepare([note({ text: "b", count: 2 }, { id: "mine" })], { head }))[0]!
    expect(second.event).toMatchObject({ seq: 2, id: "mine", prevHash: first.event.hash })
    expect(
      verifyRows(
        RUN,
        [first, second].map(({ event, canonical }) => ({ seq: event.seq, hash: event.hash, canonical }))
      )
    ).toMatchObject({
      ok: true,
      count: 2,
      firstHash: first.event.hash,
      lastHash: second.event.hash
    })
  })

  it("hashes exactly the RFC 8785 text of the envelope without hash (same as sealEvent and json-canonicalize)", () => {
    const sealed = Either.getOrThrow(
      prepare([note({ text: "h\u00e9llo \ud83d\ude00", count: 3, tags: ["z", "a"] })])
    )[0]!
    const { hash, ...unsealed } = sealed.event
    expect(sealed.canonical).toBe(canonicalize(unsealed))
    expect(sealEvent(unsealed)).toEqual(sealed)
    expect(hash).toMatch(/^sha256:[0-9a-f]{64}$/)
  })

  it("stores undefined members as absent and -0 as 0, so the event equals its canonical text", () => {
    const sealed = Either.getOrThrow(prepare([note({ text: "a", count: -0, tags: undefined })]))[0]!
    expect(sealed.event.payload).toEqual({ text: "a", count: 0 })
    expect(Object.keys(sealed.event.payload)).toEqual(["count", "text"])
    expect(JSON.parse(sealed.canonical).payload).toEqual(sealed.event.payload)
  })

  it("accepts an empty batch as nothing to do", () => {
    expect(prepare([])).toEqual(Either.right([]))
  })
})

describe("prepareBatch: refusals", () => {
  it("refuses an unknown type", () => {
    const error = leftOf(prepare([note({ text: "a", count: 1 }), { ...note({}), type: "test/unknown" }]))
    expect(error._tag).toBe("UnknownEventType")
    expect(error).toMatchObject({ type: "test/unknown", runId: RUN })
    expect(error.message).toBe(`unknown event type "test/unknown" for run ${RUN}`)
  })

  it("points into the payload: /payload/… for one append, /<index>/payload/… in a batch", () => {
    const bad = note({ text: "a", count: 1.5 })
    expect(leftOf(prepare([bad], { single: true }))).toMatchObject({
      _tag: "InvalidEvent",
      type: "test/note-added",
      runId: RUN,
      pointer: "/payload/count",
      reason: "Expected an integer, actual 1.5"
    })
    expect(leftOf(prepare([note({ text: "a", count: 1 }), bad]))).toMatchObject({
      pointer: "/1/payload/count"
    })
  })

  it("points at nested payload fields, missing fields and excess fields", () => {
    expect(leftOf(prepare([note({ text: "a", count: 1, meta: { level: "mid", score: 1 } })]))).toMatchObject({
      pointer: "/0/payload/meta/level"
    })
    expect(leftOf(prepare([note({ count: 1 })]))).toMatchObject({
      pointer: "/0/payload/text",
      reason: "is missing"
    })
    const excess = leftOf(
      prepare([note({ text: "a", count: 1, meta: { level: "low", score: 1, extra: true } })])
    )
    expect(excess).toMatchObject({ pointer: "/0/payload/meta/extra" })
    expect((excess as { reason: string }).reason).toContain("is unexpected")
  })

  it("refuses non-JSON payload values (NaN, Infinity, functions, bigint) with a pointer", () => {
    for (const [value, reason] of [
      [Number.NaN, "NaN is not a JSON number"],
      [Number.NEGATIVE_INFINITY, "-Infinity is not a JSON number"]
    ] as const) {
      expect(
        leftOf(prepare([note({ text: "a", count: 1, meta: { level: "low", score: value } })]))
      ).toMatchObject({
        _tag: "InvalidEvent",
        pointer: "/0/payload/meta/score",
        reason
      })
    }
    const withFunction = coreEventTypes.find((spec) => spec.type === "tool/invoked")!
    expect(withFunction).toBeDefined()
    const draft = {
      runId: RUN,
      type: "tool/invoked",
      actor: "agent",
      payload: { invocationId: "i", tool: "sh", args: { run: () => 1, big: 1n } }
    }
    expect(leftOf(prepare([draft], { single: true }))).toMatchObject({
      pointer: "/payload/args/big",
      reason: "bigint 1 is not a JSON number"
    })
    const onlyFunction = { ...draft, payload: { invocationId: "i", tool: "sh", args: { run: () => 1 } } }
    expect(leftOf(prepare([onlyFunction]))).toMatchObject({
      _tag: "InvalidEvent",
      pointer: "/0/payload/args/run",
      reason: "a function is not a JSON value"
    })
  })

  it("refuses a stale expectedSeq before looking at the drafts", () => {
    const error = leftOf(
      prepare([note({ text: "a", count: 1 })], {
        head: { runId: RUN, seq: 4, hash: `sha256:${"0".repeat(64)}` },
        expectedSeq: 3
      })
    )
    expect(error).toMatchObject({ _tag: "SeqConflict", runId: RUN, expectedSeq: 3, actualSeq: 4 })
    expect(error.message).toBe(`run ${RUN}: expected head seq 3, found 4`)
    expect(Either.isRight(prepare([note({ text: "a", count: 1 })], { expectedSeq: 0 }))).toBe(true)
  })

  it("refuses a batch that mixes runs, and a draft for another run than the head", () => {
    const error = leftOf(
      prepare([note({ text: "a", count: 1 }), note({ text: "b", count: 1 }, { runId: OTHER_RUN })])
    )
    expect(error).toMatchObject({ _tag: "InvalidEvent", runId: OTHER_RUN, pointer: "/1/runId" })
    expect((error as { reason: string }).reason).toContain("a batch appends to one run")
    expect(leftOf(prepare([note({ text: "a", count: 1 }, { runId: OTHER_RUN })]))).toMatchObject({
      pointer: "/0/runId"
    })
  })

  it("refuses malformed envelopes with a pointer into the envelope", () => {
    expect(leftOf(prepare([{ ...note({ text: "a", count: 1 }), seq: 7 }]))).toMatchObject({
      pointer: "/0/seq"
    })
    expect(leftOf(prepare([{ ...note({ text: "a", count: 1 }), type: "NoSlash" }]))).toMatchObject({
      pointer: "/0/type",
      type: "NoSlash"
    })
    expect(leftOf(prepare([{ ...note({ text: "a", count: 1 }), actor: "" }]))).toMatchObject({
      pointer: "/0/actor"
    })
    expect(leftOf(prepare([{ ...note({ text: "a", count: 1 }), time: "yesterday" }]))).toMatchObject({
      pointer: "/0/time"
    })
    expect(leftOf(prepare([{ ...note({}), payload: [1] }]))).toMatchObject({ pointer: "/0/payload" })
    expect(leftOf(prepare([null], { single: true }))).toMatchObject({
      _tag: "InvalidEvent",
      pointer: "",
      runId: RUN
    })
  })

  it("validates transforming payload schemas on their encoded (stored) side", () => {
    const ok = Either.getOrThrow(
      prepare([{ runId: RUN, type: "test/amount-set", actor: "t", payload: { amount: "12.5" } }])
    )
    expect(ok[0]!.event.payload).toEqual({ amount: "12.5" })
    expect(
      leftOf(
        prepare([{ runId: RUN, type: "test/amount-set", actor: "t", payload: { amount: "x", more: 1 } }])
      )
    ).toMatchObject({
      _tag: "InvalidEvent",
      pointer: "/0/payload/more"
    })
  })
})

describe("prepareBatch: its fast checks agree with the schemas", () => {
  const decodeDraft = Schema.decodeUnknownEither(EventDraft, { onExcessProperty: "error" })
  const draftLike = fc.record(
    {
      runId: fc.oneof(fc.constant(RUN), fc.string({ maxLength: 3 }), fc.constant(1)),
      type: fc.oneof(fc.constant("test/note-added"), fc.constant("Bad"), fc.constant("test/")),
      actor: fc.oneof(fc.constant("a"), fc.constant("")),
      payload: fc.oneof(fc.constant({ text: "a", count: 1 }), fc.constant(null), fc.constant([1])),
      causationId: fc.oneof(fc.constant(null), fc.constant("c"), fc.constant(3)),
      correlationId: fc.oneof(fc.constant("k"), fc.constant(undefined), fc.constant(false)),
      id: fc.oneof(fc.constant("i"), fc.constant(undefined)),
      time: fc.oneof(fc.constant(NOW), fc.constant("2026-11-29"), fc.constant(undefined)),
      seq: fc.constant(1)
    },
    { requiredKeys: [] }
  )

  it("accepts an envelope exactly when EventDraft decodes it (array payloads aside)", () => {
    fc.assert(
      fc.property(draftLike, (draft) => {
        const runId = typeof draft.runId === "string" ? draft.runId : RUN
        const result = prepare([draft], { head: { runId, seq: 0, hash: null } })
        const envelopeRejected =
          Either.isLeft(result) &&
          result.left._tag === "InvalidEvent" &&
          !result.left.pointer.startsWith("/0/payload/")
        const schemaAccepts = Either.isRight(decodeDraft(draft)) && !Array.isArray(draft.payload)
        expect(envelopeRejected).toBe(!schemaAccepts)
      }),
      { numRuns: 1000 }
    )
  })

  for (const spec of coreEventTypes as ReadonlyArray<AnyEventTypeSpec>) {
    const decodeExact = Schema.decodeUnknownEither(spec.payload, { onExcessProperty: "error" })
    const valid = Arbitrary.make(Schema.encodedSchema(spec.payload)) as FastCheck.Arbitrary<unknown>
    const mutated = FastCheck.tuple(valid, FastCheck.constantFrom("extra", "drop", "null", "none")).map(
      ([payload, how]) => {
        if (typeof payload !== "object" || payload === null) return payload
        const copy: Record<string, unknown> = { ...(payload as Record<string, unknown>) }
        const keys = Object.keys(copy)
        if (how === "extra") copy.unexpectedField = 1
        if (how === "drop" && keys[0]) delete copy[keys[0]]
        if (how === "null" && keys[0]) copy[keys[0]] = null
        return copy
      }
    )

    it(`${spec.type}: accepts a payload exactly when the exact decoder does and it is JSON`, () => {
      FastCheck.assert(
        FastCheck.property(mutated, (payload) => {
          const result = prepare([{ runId: RUN, type: spec.type, actor: "a", payload }])
          const valid = Either.isRight(decodeExact(payload)) && locateNonJson(payload) === undefined
          expect(Either.isRight(result)).toBe(valid)
        }),
        { numRuns: 150 }
      )
    })
  }
})
