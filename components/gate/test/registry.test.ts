import { describe, expect, it } from "@effect/vitest"
import { declaredClassOf } from "@gauntlet/failure"
import { Effect, Either, Option } from "effect"
import { DuplicateGate, type Gate, Gates, makeGates, predicateGate, UnknownGate } from "../src/index.js"

const gate = (name: string): Gate => predicateGate(name, "L0", () => [])

describe("Gates registry", () => {
  it.effect("resolves names in the order given, once each", () =>
    Effect.gen(function* () {
      const gates = yield* Gates
      const resolved = Either.getOrThrow(gates.resolve(["b", "a", "b"]))
      expect(resolved.map((g) => g.name)).toEqual(["b", "a"])
      expect(gates.names).toEqual(["a", "b", "c"])
    }).pipe(Effect.provide(Gates.layer([gate("a"), gate("b"), gate("c")])))
  )

  it.effect("unknown names are an UnknownGate error listing them and the known names", () =>
    Effect.gen(function* () {
      const gates = yield* Gates
      const result = gates.resolve(["a", "lint", "tests"])
      expect(Either.isLeft(result)).toBe(true)
      if (Either.isLeft(result)) {
        expect(result.left).toBeInstanceOf(UnknownGate)
        expect(result.left.names).toEqual(["lint", "tests"])
        expect(result.left.known).toEqual(["a", "b"])
        expect(result.left.message).toBe('unknown gates "lint", "tests" (known: a, b)')
        expect(declaredClassOf(result.left)).toEqual(Option.some("data-integrity"))
      }
    }).pipe(Effect.provide(Gates.layer([gate("a"), gate("b")])))
  )

  it("an empty registry says so", () => {
    const registry = Either.getOrThrow(makeGates([]))
    const result = registry.resolve(["x"])
    expect(Either.isLeft(result) && result.left.message).toBe('unknown gate "x" (none registered)')
  })

  it("refuses two gates with the same name", () => {
    const result = makeGates([gate("a"), gate("a")])
    expect(Either.isLeft(result)).toBe(true)
    if (Either.isLeft(result)) {
      expect(result.left).toBeInstanceOf(DuplicateGate)
      expect(result.left.name).toBe("a")
    }
  })

  it.effect("the layer fails with DuplicateGate", () =>
    Effect.gen(function* () {
      const error = yield* Effect.flip(Gates.pipe(Effect.provide(Gates.layer([gate("a"), gate("a")]))))
      expect(error._tag).toBe("DuplicateGate")
    })
  )
})
