import { spawn } from "node:child_process"
import { mkdtempSync, rmSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { fileURLToPath } from "node:url"
import { NodeContext } from "@effect/platform-node"
import { it } from "@effect/vitest"
import { Agents, loadScriptedAgent, readInvocations } from "@gauntlet/agent"
import { Ids } from "@gauntlet/canonical"
import { coreEventTypes, EventTypes } from "@gauntlet/event-stream"
import { Gates } from "@gauntlet/gate"
import { RunStoreSqlite } from "@gauntlet/run-store-sqlite"
import { Duration, Effect, Layer, Schedule } from "effect"
import { afterEach, describe, expect } from "vitest"
import { TerminalHook, WorkflowEngine } from "../src/index.js"
import { expectConsistent, ok, okGate } from "./support.js"

const CHILD = fileURLToPath(new URL("./fixtures/crash-child.ts", import.meta.url))

const dirs: Array<string> = []
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true })
})

describe("WorkflowEngine: a killed process", () => {
  it.live(
    "SIGKILL during phase b: a new process resumes; the counter file proves no phase ran twice except the killed call",
    () =>
      Effect.gen(function* () {
        const dir = mkdtempSync(join(tmpdir(), "gauntlet-crash-"))
        dirs.push(dir)
        const file = join(dir, "state.db")
        const counter = join(dir, "invocations.jsonl")
        const firstScript = join(dir, "first.json")
        writeFileSync(
          firstScript,
          JSON.stringify({ id: "bot", steps: { a: [ok()], b: [{ ...ok(), delayMs: 120_000 }] } })
        )
        const child = spawn(process.execPath, ["--import", "tsx", CHILD, file, firstScript, counter], {
          stdio: ["ignore", "ignore", "pipe"]
        })
        let stderr = ""
        child.stderr.on("data", (chunk) => {
          stderr += chunk
        })
        yield* readInvocations(counter).pipe(
          Effect.flatMap((lines) =>
            lines.some((l) => l.phase === "b")
              ? Effect.void
              : Effect.fail(new Error(`b not started yet ${stderr}`))
          ),
          Effect.retry(Schedule.spaced(Duration.millis(50)).pipe(Schedule.upTo(Duration.seconds(60))))
        )
        const exited = yield* Effect.async<number | null>((resume) => {
          child.on("exit", (_code, signal) => resume(Effect.succeed(signal === "SIGKILL" ? 9 : null)))
          child.kill("SIGKILL")
        })
        expect(exited).toBe(9)

        const secondScript = join(dir, "second.json")
        writeFileSync(secondScript, JSON.stringify({ id: "bot", steps: { b: [ok()], c: [ok()] } }))
        const agent = yield* loadScriptedAgent(secondScript, { counterFile: counter })
        const stores = RunStoreSqlite.layerFile(file).pipe(
          Layer.provide(Layer.mergeAll(EventTypes.layer(coreEventTypes), Ids.layer))
        )
        const layer = WorkflowEngine.layer.pipe(
          Layer.provideMerge(stores),
          Layer.provide(
            Layer.mergeAll(Agents.layer([agent]), Gates.layer([okGate]), TerminalHook.none, Ids.layer)
          )
        )
        yield* Effect.scoped(
          Effect.gen(function* () {
            const engine = yield* WorkflowEngine
            const outcome = yield* engine.resume("run-kill", { by: "worker-2" })
            expect(outcome.status).toBe("completed")
            const projection = yield* expectConsistent("run-kill")
            expect(projection.phases).toEqual({
              a: { status: "succeeded", attempts: 1 },
              b: { status: "succeeded", attempts: 2 },
              c: { status: "succeeded", attempts: 1 }
            })
          }).pipe(Effect.provide(layer))
        )
        const lines = yield* readInvocations(counter)
        expect(lines.map((l) => `${l.phase}#${l.attempt}`)).toEqual(["a#1", "b#1", "b#2", "c#1"])
      }).pipe(Effect.provide(NodeContext.layer)),
    90_000
  )
})
