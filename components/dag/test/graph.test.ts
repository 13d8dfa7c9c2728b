import { describe, expect, it } from "@effect/vitest"
import { Effect, Either, FastCheck as fc } from "effect"

import { compileDag, type DagNode, decodeDagSpec, validateDag } from "../src/index.js"

const node = (id: string, ...dependsOn: Array<string>): DagNode => ({ id, dependsOn })

/** Random DAGs: node i may depend only on nodes declared before it, so the graph is acyclic by construction. */
const acyclicDag = fc
  .integer({ min: 1, max: 40 })
  .chain((n) =>
    fc.tuple(
      ...Array.from({ length: n }, (_, i) =>
        i === 0 ? fc.constant<Array<number>>([]) : fc.uniqueArray(fc.nat({ max: i - 1 }), { maxLength: 4 })
      )
    )
  )

describe("validateDag", () => {
  it.effect("rejects an empty graph", () =>
    Effect.gen(function* () {
      const error = yield* Effect.flip(validateDag({ nodes: [] }))
      expect(error._tag).toBe("EmptyGraph")
      expect(error.message).toContain("/nodes")
    })
  )

  it.effect("names a duplicate id with pointers to both declarations", () =>
    Effect.gen(function* () {
      const error = yield* Effect.flip(validateDag({ nodes: [node("a"), node("b"), node("c"), node("b")] }))
      expect(error).toMatchObject({
        _tag: "DuplicateNodeId",
        id: "b",
        pointer: "/nodes/3/id",
        firstPointer: "/nodes/1/id"
      })
    })
  )

  it.effect("names an unknown dependency with the pointer of the dependsOn entry", () =>
    Effect.gen(function* () {
      const error = yield* Effect.flip(
        validateDag({ nodes: [node("a"), node("b", "a"), node("c"), node("d", "a", "nope", "b")] })
      )
      expect(error).toMatchObject({
        _tag: "UnknownDependency",
        node: "d",
        dependency: "nope",
        pointer: "/nodes/3/dependsOn/1"
      })
      expect(error.message).toBe('node "d" depends on unknown node "nope" at /nodes/3/dependsOn/1')
    })
  )

  it.effect("rejects out-of-range fields from typed callers with a pointer", () =>
    Effect.gen(function* () {
      const cases: ReadonlyArray<readonly [Partial<DagNode>, string]> = [
        [{ priority: Number.NaN }, "/nodes/1/priority"],
        [{ timeoutMs: 0 }, "/nodes/1/timeoutMs"],
        [{ timeoutMs: Number.POSITIVE_INFINITY }, "/nodes/1/timeoutMs"],
        [{ retry: { maxAttempts: 0, baseDelayMs: 1, maxDelayMs: 1 } }, "/nodes/1/retry"],
        [{ retry: { maxAttempts: 2, baseDelayMs: 10, maxDelayMs: 1 } }, "/nodes/1/retry"],
        [{ locks: ["ok", ""] }, "/nodes/1/locks/1"],
        [{ files: [""] }, "/nodes/1/files/0"],
        [{ id: "" }, "/nodes/1/id"],
        [{ dependsOn: ["a", 7 as unknown as string] }, "/nodes/1/dependsOn/1"]
      ]
      for (const [fields, pointer] of cases) {
        const error = yield* Effect.flip(
          validateDag({ nodes: [node("a"), { ...node("b", "a"), ...fields }] })
        )
        expect([error._tag, error._tag === "InvalidDagSpec" ? error.pointer : ""]).toEqual([
          "InvalidDagSpec",
          pointer
        ])
      }
    })
  )

  it.effect("escapes ~ and / in pointers (RFC 6901)", () =>
    Effect.gen(function* () {
      const error = yield* Effect.flip(validateDag({ nodes: [node("a/b~c"), node("a/b~c")] }))
      expect(error).toMatchObject({ _tag: "DuplicateNodeId", pointer: "/nodes/1/id" })
    })
  )

  it.effect("reports a self-dependency as a one-node cycle", () =>
    Effect.gen(function* () {
      const error = yield* Effect.flip(validateDag({ nodes: [node("x"), node("a", "a")] }))
      expect(error).toMatchObject({ _tag: "CycleDetected", cycle: ["a", "a"] })
    })
  )

  it.effect(
    "names the cycle in dependency order, from its earliest-declared node, first repeated at the end",
    () =>
      Effect.gen(function* () {
        // entry -> c -> a -> b -> c: the walk enters at c; the cycle is reported from a (declared first).
        const error = yield* Effect.flip(
          validateDag({
            nodes: [node("a", "b"), node("b", "c"), node("c", "a"), node("entry", "c"), node("free")]
          })
        )
        expect(error).toMatchObject({ _tag: "CycleDetected", cycle: ["a", "b", "c", "a"] })
        expect(error.message).toBe("dependency cycle: a -> b -> c -> a")
      })
  )

  it.effect("finds a cycle that sits behind an acyclic prefix", () =>
    Effect.gen(function* () {
      const error = yield* Effect.flip(
        validateDag({ nodes: [node("root"), node("p", "root", "q"), node("q", "p"), node("tail", "q")] })
      )
      expect(error).toMatchObject({ _tag: "CycleDetected", cycle: ["p", "q", "p"] })
    })
  )

  it.effect("checks duplicates before unknown dependencies before cycles", () =>
    Effect.gen(function* () {
      const both = yield* Effect.flip(validateDag({ nodes: [node("a", "a", "ghost"), node("a")] }))
      expect(both._tag).toBe("DuplicateNodeId")
      const unknownAndCycle = yield* Effect.flip(validateDag({ nodes: [node("a", "a"), node("b", "ghost")] }))
      expect(unknownAndCycle._tag).toBe("UnknownDependency")
    })
  )

  it("handles 100,000-node chains and cycles without recursion", () => {
    const n = 100_000
    const chain = Array.from({ length: n }, (_, i) => node(`n${i}`, ...(i > 0 ? [`n${i - 1}`] : [])))
    const ok = compileDag({ nodes: chain })
    expect(ok instanceof Error).toBe(false)
    if (!(ok instanceof Error)) {
      expect(ok.topologicalOrder[0]).toBe("n0")
      expect(ok.topologicalOrder[n - 1]).toBe(`n${n - 1}`)
    }
    const ring = chain.map((nd, i) => (i === 0 ? node("n0", `n${n - 1}`) : nd))
    const cycle = compileDag({ nodes: ring })
    expect(cycle instanceof Error && cycle._tag === "CycleDetected").toBe(true)
    if (cycle instanceof Error && cycle._tag === "CycleDetected") {
      expect(cycle.cycle.length).toBe(n + 1)
      expect(cycle.cycle[0]).toBe("n0")
      expect(cycle.cycle[1]).toBe(`n${n - 1}`)
      expect(cycle.cycle[n]).toBe("n0")
    }
  })

  it("de-duplicates repeated dependencies", () => {
    const dag = compileDag({ nodes: [node("a"), node("b", "a", "a")] })
    expect(dag instanceof Error).toBe(false)
    if (!(dag instanceof Error)) {
      expect(Array.from(dag.dependencyCount)).toEqual([0, 1])
      expect(Array.from(dag.dependents)).toEqual([1])
    }
  })

  it.prop("topological order puts every dependency first", [acyclicDag], ([deps]) => {
    // Declare nodes in reverse so the topological order differs from the declaration order.
    const nodes = deps.map((ds, i) => node(`n${i}`, ...ds.map((d) => `n${d}`))).reverse()
    const dag = compileDag({ nodes })
    if (dag instanceof Error) throw dag
    const position = new Map(dag.topologicalOrder.map((id, k) => [id, k]))
    expect(position.size).toBe(nodes.length)
    for (const nd of nodes)
      for (const d of nd.dependsOn) expect(position.get(d)!).toBeLessThan(position.get(nd.id)!)
  })

  it.prop(
    "any back edge added to a random DAG is reported as a real cycle",
    [acyclicDag, fc.nat()],
    ([deps, pick]) => {
      fc.pre(deps.some((ds) => ds.length > 0))
      const withEdge = deps.map((ds) => [...ds])
      const from = withEdge.findIndex((ds, i) => ds.length > 0 && i >= pick % withEdge.length)
      const target = from >= 0 ? from : withEdge.findIndex((ds) => ds.length > 0)
      // target depends on withEdge[target][0]; make that dependency depend back on target.
      withEdge[withEdge[target]![0]!]!.push(target)
      const nodes = withEdge.map((ds, i) => node(`n${i}`, ...ds.map((d) => `n${d}`)))
      const result = compileDag({ nodes })
      expect(result instanceof Error && result._tag === "CycleDetected").toBe(true)
      if (result instanceof Error && result._tag === "CycleDetected") {
        const cycle = result.cycle
        expect(cycle[0]).toBe(cycle[cycle.length - 1])
        expect(new Set(cycle.slice(0, -1)).size).toBe(cycle.length - 1)
        const byId = new Map(nodes.map((nd) => [nd.id, nd]))
        for (let k = 0; k + 1 < cycle.length; k++)
          expect(byId.get(cycle[k]!)!.dependsOn).toContain(cycle[k + 1])
      }
    }
  )
})

describe("decodeDagSpec", () => {
  it.effect("decodes a valid spec", () =>
    Effect.gen(function* () {
      const spec = yield* decodeDagSpec({
        nodes: [
          { id: "a", dependsOn: [], locks: ["repo-write"], files: ["src/**"], priority: 2 },
          {
            id: "b",
            dependsOn: ["a"],
            retry: { maxAttempts: 3, baseDelayMs: 10, maxDelayMs: 100 },
            timeoutMs: 5
          }
        ]
      })
      expect(spec.nodes[1]!.retry!.maxAttempts).toBe(3)
    })
  )

  it.effect("names the pointer of the first bad value", () =>
    Effect.gen(function* () {
      const bad = yield* Effect.flip(
        decodeDagSpec({
          nodes: [
            { id: "a", dependsOn: [] },
            { id: "b", dependsOn: ["a"], retry: { maxAttempts: 0, baseDelayMs: 10, maxDelayMs: 100 } }
          ]
        })
      )
      expect(bad).toMatchObject({ _tag: "InvalidDagSpec", pointer: "/nodes/1/retry/maxAttempts" })
      const missing = yield* Effect.flip(decodeDagSpec({ nodes: [{ id: "a" }] }))
      expect(missing).toMatchObject({ _tag: "InvalidDagSpec", pointer: "/nodes/0/dependsOn" })
      const extra = yield* Effect.flip(decodeDagSpec({ nodes: [{ id: "a", dependsOn: [], color: "red" }] }))
      expect(extra).toMatchObject({ _tag: "InvalidDagSpec", pointer: "/nodes/0/color" })
      const backwards = yield* Effect.either(
        decodeDagSpec({
          nodes: [{ id: "a", dependsOn: [], retry: { maxAttempts: 2, baseDelayMs: 50, maxDelayMs: 10 } }]
        })
      )
      expect(Either.isLeft(backwards) && backwards.left.reason).toContain(
        "maxDelayMs must be at least baseDelayMs"
      )
    })
  )
})
