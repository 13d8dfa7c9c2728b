import { describe, expect, it } from "@effect/vitest"
import { Effect } from "effect"
import { runDag } from "../src/index.js"
import { eventRecorder, node } from "./fixtures.js"

const dag = { nodes: [node("a"), node("b", ["a"]), node("c", ["a"]), node("d", ["b", "c"])] }

describe("runDag resume from completed nodes", () => {
  it.effect("does not run completed nodes again and feeds their outputs through", () =>
    Effect.gen(function* () {
      const ran: Array<string> = []
      const recorder = eventRecorder()
      const result = yield* runDag({
        dag,
        concurrency: 2,
        completed: new Map([
          ["a", "A"],
          ["b", "B"]
        ]),
        onEvent: recorder.onEvent,
        execute: (nd) =>
          Effect.sync(() => {
            ran.push(nd.id)
            return nd.id.toUpperCase()
          })
      })
      expect(ran).toEqual(["c", "d"])
      expect(result.status).toBe("succeeded")
      expect(result.nodes.get("a")).toEqual({ id: "a", status: "succeeded", attempts: 0, output: "A" })
      expect(result.nodes.get("d")!.output).toBe("D")
      expect(new Set(recorder.events.map((e) => e.nodeId))).toEqual(new Set(["c", "d"]))
    })
  )

  it.effect("finishes at once when every node is completed", () =>
    Effect.gen(function* () {
      const result = yield* runDag({
        dag,
        concurrency: 1,
        completed: new Map(dag.nodes.map((n) => [n.id, 1])),
        execute: () => Effect.die("must not run")
      })
      expect(result.status).toBe("succeeded")
      expect(result.counts.succeeded).toBe(4)
    })
  )

  it.effect("refuses unknown ids and a completed node whose dependency is not completed", () =>
    Effect.gen(function* () {
      const execute = () => Effect.void
      const unknown = yield* Effect.flip(
        runDag({ dag, concurrency: 1, execute, completed: new Map([["zz", undefined]]) })
      )
      expect(unknown).toMatchObject({
        _tag: "InvalidRunOption",
        option: "completed",
        reason: 'no node "zz" in the DAG'
      })
      const gap = yield* Effect.flip(
        runDag({ dag, concurrency: 1, execute, completed: new Map([["b", undefined]]) })
      )
      expect(gap).toMatchObject({
        _tag: "InvalidRunOption",
        reason: 'node "b" is completed but its dependency "a" is not'
      })
    })
  )
})
