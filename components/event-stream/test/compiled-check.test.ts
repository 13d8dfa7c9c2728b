import { describe, expect, it } from "@effect/vitest"
import { coreEventTypes, defineEventType, makeEventTypeRegistry } from "@gauntlet/event-stream"
import { Arbitrary, Either, FastCheck as fc, Schema } from "effect"

import { amountSet, noteAdded } from "./fixtures.js"

interface Tree {
  readonly name: string
  readonly children: ReadonlyArray<Tree>
}
const Tree: Schema.Schema<Tree> = Schema.Struct({
  name: Schema.String.pipe(Schema.minLength(1)),
  children: Schema.Array(Schema.suspend(() => Tree))
})
const treeAdded = defineEventType({
  type: "test/tree-added",
  version: 1,
  description: "A recursive payload (Suspend) with a refinement.",
  payload: Schema.Struct({ tree: Tree, note: Schema.optional(Schema.String) })
})

const specs = [...coreEventTypes, noteAdded, amountSet, treeAdded]
const registry = Either.getOrThrow(makeEventTypeRegistry(specs))

/** Small edits that may make a valid payload invalid: an excess key, a dropped key, a replaced value. */
const mutate = (payload: Record<string, unknown>, edit: number, value: unknown): Record<string, unknown> => {
  const keys = Object.keys(payload)
  const copy: Record<string, unknown> = { ...payload }
  if (edit === 0) copy.extra = value
  else if (edit === 1 && keys.length > 0) delete copy[keys[value === null ? 0 : keys.length - 1] as string]
  else if (keys.length > 0) copy[keys[0] as string] = value
  return copy
}

describe("compiled payload checks (the append hot path)", () => {
  it("are compiled for the kernel catalogue's shape-only payloads", () => {
    expect(registry.get("task/succeeded")?.check).toBeTypeOf("function")
    expect(registry.get("task/started")?.check).toBeTypeOf("function")
    expect(registry.get("task/ready")?.check).toBeTypeOf("function")
    expect(registry.get("test/tree-added")?.check).toBeTypeOf("function")
    // A transforming schema takes the decoders, never a compiled check.
    expect(registry.get(amountSet.type)?.fast).toBe(false)
    expect(registry.get(amountSet.type)?.check).toBeUndefined()
  })

  it("accept nothing the exact decoder refuses, and keep the payload's shape", () => {
    for (const spec of specs) {
      const registered = registry.get(spec.type)
      const check = registered?.check
      if (registered === undefined || check === undefined) continue
      const valid = Arbitrary.make(spec.payload as unknown as Schema.Schema<Record<string, unknown>>)
      const candidates = fc.oneof(
        valid,
        fc
          .tuple(valid, fc.nat(2), fc.oneof(fc.string(), fc.integer(), fc.constant(null)))
          .map(([p, e, v]) => mutate(p, e, v)),
        fc.anything()
      )
      fc.assert(
        fc.property(candidates, (payload) => {
          if (!check(payload)) return
          const exact = registered.decodeExact(payload)
          expect(Either.isRight(exact), `${spec.type}: ${JSON.stringify(payload)}`).toBe(true)
          if (Either.isRight(exact)) expect(exact.right).toEqual(payload)
        }),
        { numRuns: 150 }
      )
    }
  })

  it("accept every valid payload of the task catalogue (the hot path is actually taken)", () => {
    for (const type of ["task/ready", "task/started", "task/succeeded", "task/failed", "task/skipped"]) {
      const registered = registry.get(type)
      const check = registered?.check as (u: unknown) => boolean
      const valid = Arbitrary.make(registered?.spec.payload as Schema.Schema<unknown>)
      fc.assert(
        fc.property(valid, (payload) => {
          expect(check(payload), `${type}: ${JSON.stringify(payload)}`).toBe(true)
        }),
        { numRuns: 100 }
      )
    }
  })

  it("accept valid payloads and refuse excess, missing and mistyped properties", () => {
    const check = registry.get("task/succeeded")?.check as (u: unknown) => boolean
    const payload = { taskId: "n1", attempt: 1, durationMs: 3 }
    expect(check(payload)).toBe(true)
    expect(check({ ...payload, extra: 1 })).toBe(false)
    expect(check({ taskId: "n1", durationMs: 3 })).toBe(false)
    expect(check({ ...payload, attempt: "1" })).toBe(false)
    expect(check([payload])).toBe(false)
    const tree = registry.get("test/tree-added")?.check as (u: unknown) => boolean
    expect(tree({ tree: { name: "a", children: [{ name: "b", children: [] }] } })).toBe(true)
    expect(tree({ tree: { name: "a", children: [{ name: "", children: [] }] } })).toBe(false)
    expect(tree({ tree: { name: "a", children: [{ name: "b" }] } })).toBe(false)
  })
})
