import { mkdtempSync, rmSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { it } from "@effect/vitest"
import { Agents, makeScriptedAgent } from "@gauntlet/agent"
import { Ids } from "@gauntlet/canonical"
import { coreEventTypes, EventTypes } from "@gauntlet/event-stream"
import { Gates } from "@gauntlet/gate"
import { RunStoreSqlite } from "@gauntlet/run-store-sqlite"
import { Effect, Fiber, Layer } from "effect"
import { afterEach, describe, expect } from "vitest"
import { TerminalHook, WorkflowEngine } from "../src/index.js"
import { eventsOf, expectConsistent, ok, okGate, settle, threePhases } from "./support.js"

const dirs: Array<string> = []
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true })
})

/** One engine "process": its own scripted agent and its own connection to the SQLite file. */
const engineOn = (file: string, steps: Parameters<typeof makeScriptedAgent>[0]["steps"], agentId = "bot") => {
  const agent = makeScriptedAgent({ id: agentId, steps })
  const stores = RunStoreSqlite.layerFile(file).pipe(
    Layer.provide(Layer.mergeAll(EventTypes.layer(coreEventTypes), Ids.layer))
  )
  const layer = WorkflowEngine.layer.pipe(
    Layer.provideMerge(stores),
    Layer.provide(Layer.mergeAll(Agents.layer([agent]), Gates.layer([okGate]), TerminalHook.none, Ids.layer))
  )
  return { agent, layer }
}

describe("WorkflowEngine on SQLite: a restarted engine resumes from the file", () => {
  it.scoped(
    "the first engine is interrupted mid-phase; a second one resumes without re-running completed phases",
    () =>
      Effect.gen(function* () {
        const dir = mkdtempSync(join(tmpdir(), "gauntlet-workflow-"))
        dirs.push(dir)
        const file = join(dir, "state.db")

        const first = engineOn(file, { a: [ok()], b: [{ ...ok(), delayMs: 60_000 }] })
        yield* Effect.scoped(
          Effect.gen(function* () {
            const engine = yield* WorkflowEngine
            const running = yield* Effect.fork(
              engine.start({ definition: threePhases(), runId: "run-restart" })
            )
            yield* settle
            yield* Fiber.interrupt(running)
            expect(first.agent.invocations().map((i) => `${i.phase}#${i.attempt}`)).toEqual(["a#1", "b#1"])
          }).pipe(Effect.provide(first.layer))
        )

        const misconfigured = engineOn(file, { b: [ok()] }, "other-bot")
        yield* Effect.scoped(
          Effect.gen(function* () {
            const engine = yield* WorkflowEngine
            const before = (yield* eventsOf("run-restart")).length
            const refused = yield* Effect.flip(engine.resume("run-restart"))
            expect(refused).toMatchObject({ _tag: "UnknownAgent", agentId: "bot" })
            expect((yield* eventsOf("run-restart")).length).toBe(before)
            expect(misconfigured.agent.invocations()).toEqual([])
          }).pipe(Effect.provide(misconfigured.layer))
        )

        const second = engineOn(file, { b: [ok()], c: [ok()] })
        yield* Effect.scoped(
          Effect.gen(function* () {
            const engine = yield* WorkflowEngine
            const outcome = yield* engine.resume("run-restart", { by: "worker-2" })
            expect(outcome.status).toBe("completed")
            expect(second.agent.invocations().map((i) => `${i.phase}#${i.attempt}`)).toEqual(["b#2", "c#1"])
            const projection = yield* expectConsistent("run-restart")
            expect(projection.phases).toEqual({
              a: { status: "succeeded", attempts: 1 },
              b: { status: "succeeded", attempts: 2 },
              c: { status: "succeeded", attempts: 1 }
            })
            expect(projection.budgetSpent.iterations).toBe(4)
          }).pipe(Effect.provide(second.layer))
        )
      })
  )
})
