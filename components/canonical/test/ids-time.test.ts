import { describe, expect, it } from "@effect/vitest"
import { Effect, TestClock } from "effect"
import { currentIsoTime, Ids, isIsoUtc, isUuidV7, newUuidV7 } from "../src/index.js"

const take = (n: number) =>
  Effect.flatMap(Ids, (ids) => Effect.all(Array.from({ length: n }, () => ids.next)))

describe("UUIDv7 ids", () => {
  it("newUuidV7 makes valid, unique, time-ordered ids", () => {
    const ids = Array.from({ length: 1000 }, newUuidV7)
    expect(ids.filter((id) => !isUuidV7(id))).toEqual([])
    expect(new Set(ids).size).toBe(1000)
    expect([...ids].sort()).toEqual(ids)
  })

  it("newUuidV7 stays strictly increasing and unique across pool refills within one millisecond", () => {
    const ids = Array.from({ length: 5000 }, () => newUuidV7())
    expect(ids.every(isUuidV7)).toBe(true)
    expect(new Set(ids).size).toBe(ids.length)
    for (let i = 1; i < ids.length; i++) expect(ids[i]! > ids[i - 1]!).toBe(true)
  })

  it("isUuidV7 rejects other versions, variants and uppercase", () => {
    const rejected = [
      "0190b1a4-7c1e-4a2b-8c3d-1234567890ab",
      "0190b1a4-7c1e-7a2b-cc3d-1234567890ab",
      "0190B1A4-7C1E-7A2B-8C3D-1234567890AB",
      "0190b1a47c1e7a2b8c3d1234567890ab",
      ""
    ]
    expect(rejected.filter(isUuidV7)).toEqual([])
    expect(isUuidV7("0190b1a4-7c1e-7a2b-8c3d-1234567890ab")).toBe(true)
  })

  it.effect("Ids.layer makes UUIDv7s", () =>
    Effect.gen(function* () {
      const ids = yield* take(3)
      expect(ids.every(isUuidV7)).toBe(true)
      expect(new Set(ids).size).toBe(3)
    }).pipe(Effect.provide(Ids.layer))
  )

  it.effect("Ids.layerDeterministic makes the same strictly increasing UUIDv7s in every fresh layer", () =>
    Effect.gen(function* () {
      const first = yield* take(50).pipe(Effect.provide(Ids.layerDeterministic()))
      const second = yield* take(50).pipe(Effect.provide(Ids.layerDeterministic()))
      expect(second).toEqual(first)
      expect(first.every(isUuidV7)).toBe(true)
      expect(first.every((id, i) => i === 0 || first[i - 1]! < id)).toBe(true)
      expect(first[0]).toBe("018bcfe5-6801-7000-8000-000000000001")
      const shifted = yield* take(1).pipe(Effect.provide(Ids.layerDeterministic(0)))
      expect(shifted).toEqual(["00000000-0001-7000-8000-000000000001"])
    })
  )
})

describe("ISO time", () => {
  it.effect("currentIsoTime reads the TestClock", () =>
    Effect.gen(function* () {
      expect(yield* currentIsoTime).toBe("1970-01-01T00:00:00.000Z")
      yield* TestClock.adjust("1500 millis")
      expect(yield* currentIsoTime).toBe("1970-01-01T00:00:01.500Z")
      yield* TestClock.setTime(Date.UTC(2026, 10, 29, 11, 24, 47, 123))
      expect(yield* currentIsoTime).toBe("2026-11-29T11:24:47.123Z")
    })
  )

  it("isIsoUtc accepts only UTC ISO-8601 timestamps that are real dates", () => {
    expect(
      ["2026-11-29T11:24:47Z", "2026-11-29T11:24:47.123Z", "2026-11-29T11:24:47.123456789Z"].every(isIsoUtc)
    ).toBe(true)
    const rejected = [
      "2026-11-29T11:24:47+01:00",
      "2026-11-29 11:24:47Z",
      "2026-13-01T00:00:00Z",
      "2026-11-29",
      ""
    ]
    expect(rejected.filter(isIsoUtc)).toEqual([])
  })
})
