import { describe, expect, it } from "@effect/vitest"
import { Effect, Fiber, Schema, TestClock } from "effect"
import {
  type CompiledGlob,
  compileGlob,
  type DagNode,
  globListsMayOverlap,
  type NodeResult,
  runDag,
  TaskEvent
} from "../src/index.js"
import { eventRecorder, expectedStatuses, fail, node, scenario } from "./fixtures.js"

const isTaskEvent = Schema.is(TaskEvent)

describe("runDag scheduling (properties on random DAGs)", () => {
  it.effect.prop(
    "respects dependencies, concurrency, locks and file globs; skips exactly the transitive dependents of failures",
    [scenario],
    ([s]) =>
      Effect.gen(function* () {
        const n = s.deps.length
        const ids = s.deps.map((_, i) => `n${i}`)
        const nodes: Array<DagNode> = s.deps.map((ds, i) =>
          node(
            ids[i]!,
            ds.map((d) => ids[d]!),
            { locks: [...s.locks[i]!], files: [...s.files[i]!], priority: s.priorities[i]! }
          )
        )
        const succeeded = new Set<string>()
        const holders = new Map<string, string>()
        const fileHolders = new Map<string, ReadonlyArray<CompiledGlob>>()
        const violations: Array<string> = []
        let running = 0
        let maxRunning = 0
        const recorder = eventRecorder()
        const result = yield* runDag({
          dag: { nodes },
          concurrency: s.concurrency,
          onEvent: recorder.onEvent,
          execute: (nd, attempt) =>
            Effect.gen(function* () {
              const i = Number(nd.id.slice(1))
              if (attempt !== 1) violations.push(`${nd.id} attempt ${attempt}`)
              for (const d of nd.dependsOn)
                if (!succeeded.has(d)) violations.push(`${nd.id} started before ${d}`)
              for (const lock of nd.locks ?? []) {
                const holder = holders.get(lock)
                if (holder !== undefined) violations.push(`${nd.id} and ${holder} both hold ${lock}`)
                holders.set(lock, nd.id)
              }
              const globs = (nd.files ?? []).map(compileGlob)
              for (const [other, theirs] of fileHolders) {
                if (globListsMayOverlap(globs, theirs))
                  violations.push(`${nd.id} and ${other} overlap on files`)
              }
              if (globs.length > 0) fileHolders.set(nd.id, globs)
              running++
              maxRunning = Math.max(maxRunning, running)
              for (let k = 0; k < s.yields[i]!; k++) yield* Effect.yieldNow()
              running--
              for (const lock of nd.locks ?? []) holders.delete(lock)
              fileHolders.delete(nd.id)
              if (s.fails[i]) return yield* fail("policy", `${nd.id} refused`)
              succeeded.add(nd.id)
              return i * 10
            })
        })

        expect(violations).toEqual([])
        expect(maxRunning).toBeLessThanOrEqual(s.concurrency)
        expect(recorder.maxInFlight()).toBe(1)
        expect(recorder.events.filter((e) => !isTaskEvent(e))).toEqual([])

        const expected = expectedStatuses(s)
        expect(ids.map((id) => result.nodes.get(id)!.status)).toEqual(expected)
        expect(result.status).toBe(expected.every((x) => x === "succeeded") ? "succeeded" : "failed")
        expect(result.counts.succeeded + result.counts.failed + result.counts.skipped).toBe(n)

        const byId = new Map(nodes.map((nd) => [nd.id, nd]))
        for (const [id, r] of result.nodes) {
          if (r.status === "succeeded") expect(r.output).toBe(Number(id.slice(1)) * 10)
          if (r.status === "failed")
            expect(r.failure).toEqual({ failureClass: "policy", reason: `${id} refused` })
          if (r.status === "skipped") expectValidCauseChain(r, byId, result.nodes)
          expect(r.attempts).toBe(r.status === "skipped" ? 0 : 1)
        }

        // Event order: ready < started < outcome per node; a node is ready only after all its deps succeeded.
        const position = (type: string, id: string) =>
          recorder.events.findIndex((e) => e.type === type && e.nodeId === id)
        for (const nd of nodes) {
          const status = result.nodes.get(nd.id)!.status
          if (status === "skipped") {
            expect(position("task/ready", nd.id)).toBe(-1)
            const chain = result.nodes.get(nd.id)!.causeChain!
            expect(position("task/skipped", nd.id)).toBeGreaterThan(position("task/failed", chain[0]!))
            continue
          }
          const ready = position("task/ready", nd.id)
          const started = position("task/started", nd.id)
          const outcome = position(status === "succeeded" ? "task/succeeded" : "task/failed", nd.id)
          expect(ready).toBeGreaterThanOrEqual(0)
          expect(started).toBeGreaterThan(ready)
          expect(outcome).toBeGreaterThan(started)
          for (const d of nd.dependsOn) expect(position("task/succeeded", d)).toBeLessThan(ready)
        }
        // With one slot nothing is ever blocked by a resource, so each start must pick the best ready node.
        if (s.concurrency === 1) {
          const waiting = new Set<number>()
          for (const e of recorder.events) {
            if (e.type === "task/ready") waiting.add(Number(e.nodeId.slice(1)))
            if (e.type !== "task/started") continue
            const chosen = Number(e.nodeId.slice(1))
            const best = [...waiting].sort((a, b) => s.priorities[b]! - s.priorities[a]! || a - b)[0]
            expect(chosen).toBe(best)
            waiting.delete(chosen)
          }
        }
        expect(recorder.events.length).toBe(
          3 * (result.counts.succeeded + result.counts.failed) + result.counts.skipped
        )
      }),
    { fastCheck: { numRuns: 150 } }
  )
})

const expectValidCauseChain = (
  r: NodeResult<unknown>,
  byId: ReadonlyMap<string, DagNode>,
  results: ReadonlyMap<string, NodeResult<unknown>>
) => {
  const chain = r.causeChain!
  expect(chain.length).toBeGreaterThan(0)
  expect(results.get(chain[0]!)!.status).toBe("failed")
  for (const mid of chain.slice(1)) expect(results.get(mid)!.status).toBe("skipped")
  for (let k = 0; k + 1 < chain.length; k++) expect(byId.get(chain[k + 1]!)!.dependsOn).toContain(chain[k])
  expect(byId.get(r.id)!.dependsOn).toContain(chain[chain.length - 1])
}

/** Runs `nodes` where each node sleeps `ms[id]` (TestClock) and returns each node's start time. */
const timedRun = (nodes: ReadonlyArray<DagNode>, ms: Record<string, number>, concurrency: number) =>
  Effect.gen(function* () {
    const startedAt = new Map<string, number>()
    const fiber = yield* Effect.fork(
      runDag({
        dag: { nodes },
        concurrency,
        execute: (nd) =>
          Effect.gen(function* () {
            startedAt.set(nd.id, yield* TestClock.currentTimeMillis)
            yield* Effect.sleep(ms[nd.id] ?? 10)
            return nd.id
          })
      })
    )
    yield* TestClock.adjust("10 seconds")
    const result = yield* Fiber.join(fiber)
    return { result, startedAt: Object.fromEntries(startedAt) }
  })

describe("runDag scheduling (examples)", () => {
  it.effect("starts a node the moment its last dependency succeeds, without waiting for siblings", () =>
    Effect.gen(function* () {
      const { result, startedAt } = yield* timedRun(
        [node("slow"), node("fast"), node("afterFast", ["fast"]), node("afterBoth", ["slow", "afterFast"])],
        { slow: 100, fast: 10, afterFast: 20 },
        4
      )
      expect(result.status).toBe("succeeded")
      expect(startedAt).toEqual({ slow: 0, fast: 0, afterFast: 10, afterBoth: 100 })
      expect(result.nodes.get("afterFast")).toMatchObject({ startedAt: 10, finishedAt: 30, durationMs: 20 })
      expect(result.durationMs).toBe(110)
    })
  )

  it.effect("uses every slot: never more than `concurrency`, and no idle slot while work is ready", () =>
    Effect.gen(function* () {
      const nodes = ["a", "b", "c", "d", "e", "f", "g"].map((id) => node(id))
      const { startedAt } = yield* timedRun(nodes, {}, 3)
      expect(startedAt).toEqual({ a: 0, b: 0, c: 0, d: 10, e: 10, f: 10, g: 20 })
    })
  )

  it.effect("runs everything at once with unbounded concurrency", () =>
    Effect.gen(function* () {
      const nodes = ["a", "b", "c", "d", "e"].map((id) => node(id))
      const { startedAt } = yield* timedRun(nodes, {}, Number.POSITIVE_INFINITY)
      expect(startedAt).toEqual({ a: 0, b: 0, c: 0, d: 0, e: 0 })
    })
  )

  it.effect("starts ready nodes by priority, ties in declaration order", () =>
    Effect.gen(function* () {
      const nodes = [
        node("low", [], { priority: -1 }),
        node("mid1"),
        node("high", [], { priority: 5 }),
        node("mid2", [], { priority: 0 }),
        node("higher", [], { priority: 9 })
      ]
      const { startedAt } = yield* timedRun(nodes, {}, 1)
      expect(startedAt).toEqual({ higher: 0, high: 10, mid1: 20, mid2: 30, low: 40 })
    })
  )

  it.effect(
    "never runs two holders of a lock at once, and gives a released lock to the highest priority",
    () =>
      Effect.gen(function* () {
        const nodes = [
          node("w1", [], { locks: ["repo-write"] }),
          node("w2", [], { locks: ["repo-write"], priority: 1 }),
          node("w3", [], { locks: ["repo-write", "db"], priority: 2 }),
          node("free", [], { locks: ["other"] })
        ]
        const { startedAt } = yield* timedRun(nodes, {}, 10)
        expect(startedAt).toEqual({ w3: 0, free: 0, w2: 10, w1: 20 })
      })
  )

  it.effect("keeps nodes with overlapping file globs apart and lets disjoint ones run together", () =>
    Effect.gen(function* () {
      const nodes = [
        node("allSrc", [], { files: ["src/**"] }),
        node("oneFile", [], { files: ["src/a.ts"] }),
        node("docs", [], { files: ["docs/**"] }),
        node("markdown", [], { files: ["src/*.md"] }),
        node("tests", [], { files: ["test/**/*.ts", "src/*.test.ts"] })
      ]
      const { startedAt } = yield* timedRun(nodes, { allSrc: 10, oneFile: 10, markdown: 5 }, 10)
      // markdown and tests overlap allSrc; oneFile and markdown are disjoint; tests overlaps neither at 10.
      expect(startedAt).toEqual({ allSrc: 0, docs: 0, oneFile: 10, markdown: 10, tests: 10 })
    })
  )

  it.effect("hands a free lock to the next waiter when the woken waiter is blocked by a file glob", () =>
    Effect.gen(function* () {
      const nodes = [
        node("holdsLock", [], { locks: ["L"], priority: 10 }),
        node("holdsFiles", [], { files: ["f/**"], priority: 10 }),
        node("needsBoth", [], { locks: ["L"], files: ["f/x"], priority: 5 }),
        node("needsLock", [], { locks: ["L"], priority: 1 })
      ]
      const { startedAt } = yield* timedRun(nodes, { holdsLock: 10, holdsFiles: 30 }, 10)
      expect(startedAt).toEqual({ holdsLock: 0, holdsFiles: 0, needsLock: 10, needsBoth: 30 })
    })
  )

  it.effect("serialises nodes with the same file globs in priority order", () =>
    Effect.gen(function* () {
      const nodes = [
        node("s1", [], { files: ["src/**", "README.md"] }),
        node("s2", [], { files: ["README.md", "./src/**"], priority: 2 }),
        node("s3", [], { files: ["src/**", "README.md"], priority: 1 }),
        node("other", [], { files: ["docs/**"] })
      ]
      const { startedAt } = yield* timedRun(nodes, {}, 10)
      expect(startedAt).toEqual({ s2: 0, other: 0, s3: 10, s1: 20 })
    })
  )

  it.effect("lets nodes of a glob set run while the set's waiting claimant is blocked on a lock", () =>
    Effect.gen(function* () {
      const nodes = [
        node("p", [], { priority: 10 }),
        node("x", [], { files: ["src/**"], priority: 10 }),
        node("h", ["p"], { locks: ["L"], priority: 10 }),
        node("a", [], { files: ["src/a.ts"], locks: ["L"], priority: 5 }),
        node("b", [], { files: ["src/a.ts"], priority: 1 })
      ]
      const { startedAt } = yield* timedRun(nodes, { p: 5, x: 10, h: 30 }, 10)
      // a claims the src/a.ts set while x runs; at 10 it is blocked on L (held by h) and hands the set to b.
      expect(startedAt).toEqual({ p: 0, x: 0, h: 5, b: 10, a: 35 })
    })
  )

  it.effect("runs 10,000 nodes to completion", () =>
    Effect.gen(function* () {
      const nodes = Array.from({ length: 10_000 }, (_, i) =>
        node(
          `n${i}`,
          i === 0 ? [] : [`n${Math.floor(i / 3)}`, `n${(i * 31) % i}`].filter((d, k, a) => a.indexOf(d) === k)
        )
      )
      const result = yield* runDag({ dag: { nodes }, concurrency: 16, execute: () => Effect.void })
      expect(result.counts.succeeded).toBe(10_000)
    })
  )

  it.effect("fails with the validation error or a bad option, before running anything", () =>
    Effect.gen(function* () {
      let ran = 0
      const execute = () => Effect.sync(() => ran++)
      const empty = yield* Effect.flip(runDag({ dag: { nodes: [] }, concurrency: 1, execute }))
      expect(empty._tag).toBe("EmptyGraph")
      const cyclic = yield* Effect.flip(
        runDag({ dag: { nodes: [node("a", ["b"]), node("b", ["a"])] }, concurrency: 1, execute })
      )
      expect(cyclic).toMatchObject({ _tag: "CycleDetected", cycle: ["a", "b", "a"] })
      const zero = yield* Effect.flip(runDag({ dag: { nodes: [node("a")] }, concurrency: 0, execute }))
      expect(zero).toMatchObject({ _tag: "InvalidRunOption", option: "concurrency" })
      const badRetry = yield* Effect.flip(
        runDag({
          dag: { nodes: [node("a")] },
          concurrency: 1,
          execute,
          defaultRetry: { maxAttempts: 0, baseDelayMs: 0, maxDelayMs: 0 }
        })
      )
      expect(badRetry).toMatchObject({ _tag: "InvalidRunOption", option: "defaultRetry" })
      expect(ran).toBe(0)
    })
  )

  it.effect("does not start an attempt before its task/started event has been handled", () =>
    Effect.gen(function* () {
      const handled = new Set<string>()
      const seenAtStart: Array<boolean> = []
      const fiber = yield* Effect.fork(
        runDag({
          dag: { nodes: [node("a"), node("b", ["a"]), node("c", ["a"])] },
          concurrency: 4,
          onEvent: (e) =>
            e.type === "task/started"
              ? Effect.sleep(5).pipe(Effect.tap(() => handled.add(e.nodeId)))
              : Effect.void,
          execute: (nd) => Effect.sync(() => seenAtStart.push(handled.has(nd.id)))
        })
      )
      yield* TestClock.adjust("1 second")
      const result = yield* Fiber.join(fiber)
      expect(result.status).toBe("succeeded")
      expect(seenAtStart).toEqual([true, true, true])
    })
  )
})
