import { FileSystem, Path } from "@effect/platform"
import { NodeContext } from "@effect/platform-node"
import { describe, expect, it } from "@effect/vitest"
import { Effect } from "effect"
import {
  fileInvocationCounter,
  InvalidAgentScript,
  invocationLine,
  loadScriptedAgent,
  type PhaseContext,
  readInvocations
} from "../src/index.js"

const ctx = (phase: string, attempt = 1, taskId?: string): PhaseContext => ({
  runId: "run-7",
  phase,
  attempt,
  ...(taskId === undefined ? {} : { taskId }),
  input: null,
  feedback: [],
  strategy: "direct"
})

const tempDir = Effect.gen(function* () {
  const fs = yield* FileSystem.FileSystem
  return yield* fs.makeTempDirectoryScoped()
})

describe("invocation counter files", () => {
  it("writes one JSON line per invocation, taskId only when present", () => {
    expect(invocationLine({ agent: "a", runId: "r", phase: "plan", attempt: 1 })).toBe(
      '{"agent":"a","runId":"r","phase":"plan","attempt":1}\n'
    )
    expect(invocationLine({ agent: "a", runId: "r", phase: "plan", taskId: "t", attempt: 2 })).toBe(
      '{"agent":"a","runId":"r","phase":"plan","taskId":"t","attempt":2}\n'
    )
  })

  it.scoped("a missing counter file means no invocations", () =>
    Effect.gen(function* () {
      const path = yield* Path.Path
      const dir = yield* tempDir
      expect(yield* readInvocations(path.join(dir, "none.jsonl"))).toEqual([])
    }).pipe(Effect.provide(NodeContext.layer))
  )

  it.scoped("two counters (two processes) appending to one file are both read back, in order", () =>
    Effect.gen(function* () {
      const path = yield* Path.Path
      const file = path.join(yield* tempDir, "count.jsonl")
      const first = yield* fileInvocationCounter(file)
      const second = yield* fileInvocationCounter(file)
      yield* first.record({ agent: "a", runId: "r", phase: "plan", attempt: 1 })
      yield* second.record({ agent: "a", runId: "r", phase: "implement", taskId: "t1", attempt: 1 })
      expect(yield* readInvocations(file)).toEqual([
        { agent: "a", runId: "r", phase: "plan", attempt: 1 },
        { agent: "a", runId: "r", phase: "implement", taskId: "t1", attempt: 1 }
      ])
    }).pipe(Effect.provide(NodeContext.layer))
  )

  it.scoped("a counter that cannot write fails the invocation with tool-error", () =>
    Effect.gen(function* () {
      const path = yield* Path.Path
      const file = path.join(yield* tempDir, "no-such-dir", "count.jsonl")
      const counter = yield* fileInvocationCounter(file)
      const error = yield* Effect.flip(counter.record({ agent: "a", runId: "r", phase: "plan", attempt: 1 }))
      expect(error.failureClass).toBe("tool-error")
      expect(error.reason).toContain(file)
    }).pipe(Effect.provide(NodeContext.layer))
  )

  it.scoped("a corrupt line is refused with its line number and pointer", () =>
    Effect.gen(function* () {
      const fs = yield* FileSystem.FileSystem
      const path = yield* Path.Path
      const file = path.join(yield* tempDir, "bad.jsonl")
      yield* fs.writeFileString(
        file,
        '{"agent":"a","runId":"r","phase":"plan","attempt":1}\n{"agent":"a","runId":"r","phase":"plan","attempt":"x"}\n'
      )
      const error = yield* Effect.flip(readInvocations(file))
      expect(error).toBeInstanceOf(InvalidAgentScript)
      expect(error.line).toBe(2)
      expect(error.pointer).toBe("/attempt")
      yield* fs.writeFileString(file, "not json\n")
      const notJson = yield* Effect.flip(readInvocations(file))
      expect(notJson.line).toBe(1)
      expect(notJson.reason).toBe("not a JSON line")
    }).pipe(Effect.provide(NodeContext.layer))
  )
})

describe("loadScriptedAgent", () => {
  it.scoped("counts invocations in the script's counterFile, relative to the script", () =>
    Effect.gen(function* () {
      const fs = yield* FileSystem.FileSystem
      const path = yield* Path.Path
      const dir = yield* tempDir
      const file = path.join(dir, "impl.yaml")
      yield* fs.writeFileString(
        file,
        "id: impl\ncounterFile: calls.jsonl\nsteps:\n  plan:\n    - respond: { output: done }\n"
      )
      const agent = yield* loadScriptedAgent(file)
      expect(agent.id).toBe("impl")
      const out = yield* agent.invoke(ctx("plan"))
      expect(out.output).toBe("done")
      yield* Effect.flip(agent.invoke(ctx("plan", 2)))
      const lines = yield* readInvocations(path.join(dir, "calls.jsonl"))
      expect(lines).toEqual([
        { agent: "impl", runId: "run-7", phase: "plan", attempt: 1 },
        { agent: "impl", runId: "run-7", phase: "plan", attempt: 2 }
      ])
      expect(agent.invocations()).toEqual(lines)
    }).pipe(Effect.provide(NodeContext.layer))
  )

  it.scoped("options override the id and the counter file", () =>
    Effect.gen(function* () {
      const fs = yield* FileSystem.FileSystem
      const path = yield* Path.Path
      const dir = yield* tempDir
      const file = path.join(dir, "s.json")
      const counterFile = path.join(dir, "elsewhere.jsonl")
      yield* fs.writeFileString(
        file,
        JSON.stringify({ counterFile: "ignored.jsonl", steps: { plan: [{ respond: { output: 1 } }] } })
      )
      const agent = yield* loadScriptedAgent(file, { id: "other", counterFile })
      yield* agent.invoke(ctx("plan"))
      expect(yield* readInvocations(counterFile)).toEqual([
        { agent: "other", runId: "run-7", phase: "plan", attempt: 1 }
      ])
      expect(yield* fs.exists(path.join(dir, "ignored.jsonl"))).toBe(false)
    }).pipe(Effect.provide(NodeContext.layer))
  )
})
