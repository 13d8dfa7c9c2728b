import { existsSync, readFileSync } from "node:fs"
import { join } from "node:path"
import { afterAll, describe, expect, it } from "@effect/vitest"
import { classifyUnknown } from "@gauntlet/failure"
import { Effect, Fiber } from "effect"
import { agentCliAgent, runAgentCli } from "../src/index.js"
import { installFakeClis } from "./fakeAgentClis.js"

const fakes = installFakeClis()
afterAll(() => fakes.cleanup())

let counter = 0
const tempFile = (name: string) => join(fakes.dir, `${name}-${counter++}`)

/** A process is alive when it exists and is not a zombie (a killed orphan waits for PID 1 to reap it). */
const alive = (pid: number): boolean => {
  try {
    process.kill(pid, 0)
  } catch {
    return false
  }
  let stat: string
  try {
    stat = readFileSync(`/proc/${pid}/stat`, "utf8")
  } catch {
    // no /proc/<pid> on Linux: gone; no /proc at all: kill(0) succeeded, so alive
    return !existsSync("/proc/self/stat")
  }
  return stat.slice(stat.lastIndexOf(")") + 2, stat.lastIndexOf(")") + 3) !== "Z"
}

/** Waits (up to 2 s) until a process is gone. */
const gone = (pid: number) =>
  Effect.gen(function* () {
    for (let i = 0; i < 40 && alive(pid); i++) yield* Effect.sleep("50 millis")
    return !alive(pid)
  })

const SONNET = { inputPerMTok: 3, outputPerMTok: 15, cachedInputPerMTok: 0.3 }

describe("Claude Code (claude -p --output-format stream-json)", () => {
  it.live("runs with the prompt on stdin, parses the stream, reports usage, cost, session and answer", () =>
    Effect.gen(function* () {
      const record = tempFile("record")
      const result = yield* runAgentCli({
        backend: "claude-code",
        prompt: "fix the bug\n",
        model: "sonnet",
        maxTurns: 5,
        cwd: fakes.dir,
        env: fakes.env("success", { FAKE_RECORD: record }),
        // 300 tokens: passes only because a message repeated per content block is counted once (else 427).
        budget: { maxTokens: 300 }
      })
      expect({ ...result, durationMs: 0 }).toEqual({
        backend: "claude-code",
        text: "Done: fix the bug",
        sessionId: "sess-1",
        model: "claude-sonnet-4-5-20250929",
        usage: { inputTokens: 160, outputTokens: 12, cachedInputTokens: 100 },
        costUsd: 0.0123,
        costSource: "reported",
        numTurns: 2,
        toolCalls: 1,
        durationMs: 0
      })
      const recorded = JSON.parse(readFileSync(record, "utf8")) as { argv: Array<string>; prompt: string }
      expect(recorded).toEqual({
        argv: ["-p", "--output-format", "stream-json", "--verbose", "--model", "sonnet", "--max-turns", "5"],
        prompt: "fix the bug\n"
      })
    })
  )

  it.live("kills the whole process group when the token cap is passed mid-stream", () =>
    Effect.gen(function* () {
      const pidFile = tempFile("pid")
      const error = yield* Effect.flip(
        runAgentCli({
          backend: "claude-code",
          prompt: "loop",
          env: fakes.env("endless", { FAKE_PID_FILE: pidFile }),
          budget: { maxTokens: 5000 }
        })
      )
      expect(error).toMatchObject({
        _tag: "AgentCliError",
        reason: "budget-exceeded",
        failureClass: "resource",
        terminal: true,
        usage: { inputTokens: 4480, outputTokens: 2000, cachedInputTokens: 400 },
        signal: "SIGTERM"
      })
      expect(error.detail).toContain("6480 tokens used, over the cap of 5000")
      expect(classifyUnknown(error)).toMatchObject({ failureClass: "resource", disposition: "terminal" })
      const grandchild = Number(readFileSync(pidFile, "utf8"))
      expect(yield* gone(grandchild)).toBe(true)
    })
  )

  it.live("enforces a cost cap from prices while the run streams", () =>
    Effect.gen(function* () {
      const error = yield* Effect.flip(
        runAgentCli({
          backend: "claude-code",
          prompt: "loop",
          env: fakes.env("endless", { FAKE_PID_FILE: tempFile("pid") }),
          pricing: SONNET,
          budget: { maxCostUsd: 0.02 }
        })
      )
      expect(error.reason).toBe("budget-exceeded")
      expect(error.costUsd).toBeCloseTo(0.02118, 6)
      expect(error.detail).toContain("over the cap of $0.02")
    })
  )

  it.live("escalates to SIGKILL when the CLI ignores SIGTERM", () =>
    Effect.gen(function* () {
      const error = yield* Effect.flip(
        runAgentCli({
          backend: "claude-code",
          prompt: "x",
          env: fakes.env("ignore-term"),
          budget: { maxTokens: 2000 },
          killGraceMs: 200
        })
      )
      expect(error).toMatchObject({ reason: "budget-exceeded", signal: "SIGKILL" })
    })
  )

  it.live("a cost cap without prices is refused before anything runs", () =>
    Effect.gen(function* () {
      const record = tempFile("record")
      const error = yield* Effect.flip(
        runAgentCli({
          backend: "claude-code",
          prompt: "x",
          env: fakes.env("success", { FAKE_RECORD: record }),
          budget: { maxCostUsd: 1 }
        })
      )
      expect(error).toMatchObject({ reason: "invalid-request", failureClass: "tool-error", terminal: true })
      expect(existsSync(record)).toBe(false)
    })
  )

  it.live("an exit without the final result event is incomplete-stream (external)", () =>
    Effect.gen(function* () {
      const error = yield* Effect.flip(
        runAgentCli({ backend: "claude-code", prompt: "x", env: fakes.env("no-result") })
      )
      expect(error).toMatchObject({ reason: "incomplete-stream", failureClass: "external", exitCode: 0 })
      expect(error.usage).toEqual({ inputTokens: 130, outputTokens: 5, cachedInputTokens: 100 })
      expect(error.detail).toContain('"result"')
    })
  )

  it.live("a crash is classified from its exit code, with the stderr tail", () =>
    Effect.gen(function* () {
      const error = yield* Effect.flip(
        runAgentCli({ backend: "claude-code", prompt: "x", env: fakes.env("crash") })
      )
      expect(error).toMatchObject({
        reason: "exit",
        failureClass: "tool-error",
        exitCode: 3,
        stderr: "fatal: boom"
      })
      expect(error.detail).toContain("fatal: boom")
    })
  )

  it.live("a stdout line that is not a JSON event fails with its line number and stops the process", () =>
    Effect.gen(function* () {
      const error = yield* Effect.flip(
        runAgentCli({ backend: "claude-code", prompt: "x", env: fakes.env("malformed") })
      )
      expect(error).toMatchObject({
        reason: "malformed-output",
        failureClass: "tool-error",
        line: 2,
        signal: "SIGTERM"
      })
      expect(error.message).toContain("stdout line 2")
      expect(error.detail).toContain("Claude Code warming up")
    })
  )

  it.live(
    "a result reporting max turns is resource; an API error in the result is classified from its message",
    () =>
      Effect.gen(function* () {
        const turns = yield* Effect.flip(
          runAgentCli({ backend: "claude-code", prompt: "x", env: fakes.env("max-turns") })
        )
        expect(turns).toMatchObject({
          reason: "agent-reported-error",
          failureClass: "resource",
          terminal: true,
          costUsd: 0.002
        })
        expect(turns.detail).toContain("error_max_turns")
        const overloaded = yield* Effect.flip(
          runAgentCli({ backend: "claude-code", prompt: "x", env: fakes.env("api-error") })
        )
        expect(overloaded).toMatchObject({ reason: "agent-reported-error", failureClass: "external" })
      })
  )

  it.live("a run that never finishes times out and its group is killed", () =>
    Effect.gen(function* () {
      const error = yield* Effect.flip(
        runAgentCli({ backend: "claude-code", prompt: "x", env: fakes.env("hang"), timeoutMs: 300 })
      )
      expect(error).toMatchObject({ reason: "timeout", failureClass: "timeout", signal: "SIGTERM" })
    })
  )

  it.live("a tool left running with the CLI's stdout does not hold the run open, and is stopped", () =>
    Effect.gen(function* () {
      const pidFile = tempFile("pid")
      const started = Date.now()
      const result = yield* runAgentCli({
        backend: "claude-code",
        prompt: "x",
        env: fakes.env("orphan", { FAKE_PID_FILE: pidFile })
      })
      expect(result.text).toBe("left a server running")
      expect(Date.now() - started).toBeLessThan(5000)
      expect(yield* gone(Number(readFileSync(pidFile, "utf8")))).toBe(true)
    })
  )

  it.live("a missing executable is not-found (terminal)", () =>
    Effect.gen(function* () {
      const error = yield* Effect.flip(
        runAgentCli({ backend: "claude-code", prompt: "x", executable: join(fakes.dir, "no-such-claude") })
      )
      expect(error).toMatchObject({ reason: "not-found", failureClass: "tool-error", terminal: true })
    })
  )

  it.live("interrupting the run kills the process group", () =>
    Effect.gen(function* () {
      const pidFile = tempFile("pid")
      const fiber = yield* Effect.fork(
        runAgentCli({
          backend: "claude-code",
          prompt: "x",
          env: fakes.env("endless", { FAKE_PID_FILE: pidFile })
        })
      )
      for (let i = 0; i < 40 && !existsSync(pidFile); i++) yield* Effect.sleep("25 millis")
      yield* Fiber.interrupt(fiber)
      expect(yield* gone(Number(readFileSync(pidFile, "utf8")))).toBe(true)
    })
  )
})

describe("Codex (codex exec --json)", () => {
  it.live("runs with the prompt on stdin, reads items and turn usage, estimates the cost from prices", () =>
    Effect.gen(function* () {
      const record = tempFile("record")
      const result = yield* runAgentCli({
        backend: "codex",
        prompt: "add tests",
        model: "gpt-5-codex",
        env: fakes.env("success", { FAKE_RECORD: record }),
        pricing: { inputPerMTok: 1.25, outputPerMTok: 10, cachedInputPerMTok: 0.125 }
      })
      expect({ ...result, durationMs: 0, costUsd: Number(result.costUsd.toFixed(8)) }).toEqual({
        backend: "codex",
        text: "Updated: add tests",
        sessionId: "thread-7",
        usage: { inputTokens: 2400, outputTokens: 300, cachedInputTokens: 2000 },
        costUsd: 0.00375,
        costSource: "estimated",
        numTurns: 1,
        toolCalls: 2,
        durationMs: 0
      })
      expect(JSON.parse(readFileSync(record, "utf8"))).toEqual({
        argv: ["exec", "--json", "--model", "gpt-5-codex", "-"],
        prompt: "add tests"
      })
    })
  )

  it.live("without prices the cost is unknown (0), never guessed", () =>
    Effect.gen(function* () {
      const result = yield* runAgentCli({ backend: "codex", prompt: "x", env: fakes.env("success") })
      expect([result.costUsd, result.costSource]).toEqual([0, "unknown"])
    })
  )

  it.live("kills the process group when a turn's usage passes the cap", () =>
    Effect.gen(function* () {
      const pidFile = tempFile("pid")
      const error = yield* Effect.flip(
        runAgentCli({
          backend: "codex",
          prompt: "x",
          env: fakes.env("over-budget-then-linger", { FAKE_PID_FILE: pidFile }),
          budget: { maxTokens: 100_000 }
        })
      )
      expect(error).toMatchObject({
        reason: "budget-exceeded",
        usage: { inputTokens: 900_000, outputTokens: 100_000 }
      })
      expect(yield* gone(Number(readFileSync(pidFile, "utf8")))).toBe(true)
    })
  )

  it.live("a failed turn is agent-reported-error, classified from its message (a 429 is external)", () =>
    Effect.gen(function* () {
      const error = yield* Effect.flip(
        runAgentCli({ backend: "codex", prompt: "x", env: fakes.env("turn-failed") })
      )
      expect(error).toMatchObject({ reason: "agent-reported-error", failureClass: "external", exitCode: 1 })
      expect(error.detail).toContain("429 Too Many Requests")
    })
  )

  it.live("a turn.completed without usage is malformed output", () =>
    Effect.gen(function* () {
      const error = yield* Effect.flip(
        runAgentCli({ backend: "codex", prompt: "x", env: fakes.env("no-usage") })
      )
      expect(error).toMatchObject({ reason: "malformed-output", line: 3 })
    })
  )
})

describe("agentCliAgent (an implementer backend for the workflow engine)", () => {
  const ctx = {
    runId: "run-1",
    phase: "implement",
    attempt: 2,
    input: "fix the bug",
    feedback: [{ source: "gate:tests", message: "2 tests fail", ruleId: "L0-tests" }],
    strategy: "direct" as const
  }

  it.live("returns the answer, usage and cost; the prompt carries the gates' feedback", () =>
    Effect.gen(function* () {
      const record = tempFile("record")
      const agent = agentCliAgent({
        id: "claude",
        backend: "claude-code",
        env: fakes.env("success", { FAKE_RECORD: record })
      })
      const output = yield* agent.invoke(ctx)
      expect(output.usage).toEqual({
        inputTokens: 160,
        outputTokens: 12,
        costUsd: 0.0123,
        model: "claude-sonnet-4-5-20250929"
      })
      expect(output.output).toMatchObject({
        backend: "claude-code",
        sessionId: "sess-1",
        costSource: "reported"
      })
      const prompt = (JSON.parse(readFileSync(record, "utf8")) as { prompt: string }).prompt
      expect(prompt).toContain("fix the bug")
      expect(prompt).toContain("- gate:tests [L0-tests]: 2 tests fail")
    })
  )

  it.live("a failed run is an AgentFailure carrying the run's failure class", () =>
    Effect.gen(function* () {
      const agent = agentCliAgent({
        id: "claude",
        backend: "claude-code",
        env: fakes.env("endless", { FAKE_PID_FILE: tempFile("pid") }),
        budget: { maxTokens: 1000 }
      })
      const failure = yield* Effect.flip(agent.invoke(ctx))
      expect(failure).toMatchObject({
        _tag: "AgentFailure",
        agentId: "claude",
        phase: "implement",
        attempt: 2,
        failureClass: "resource"
      })
      expect(failure.reason).toContain("budget-exceeded")
    })
  )
})
