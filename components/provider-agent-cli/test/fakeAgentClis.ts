/**
 * Fake `claude` and `codex` executables for the subprocess adapter's tests: small Node scripts written to a temp
 * directory that the tests put first on PATH. They read the prompt from stdin, record their argv and prompt to
 * `FAKE_RECORD`, and emit the documented JSON-lines streams (Claude Code `--output-format stream-json`, Codex
 * `exec --json`) for the scenario named by `FAKE_SCENARIO`.
 */
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"

const PRELUDE = `#!/usr/bin/env node
const fs = require("node:fs")
const { spawn } = require("node:child_process")
const scenario = process.env.FAKE_SCENARIO ?? "success"
const emit = (event) => process.stdout.write(JSON.stringify(event) + "\\n")
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms))
const forever = () => setInterval(() => {}, 1 << 30)
const grandchild = () => {
  const child = spawn(process.execPath, ["-e", "setInterval(() => {}, 1 << 30)"], { stdio: "ignore" })
  if (process.env.FAKE_PID_FILE) fs.writeFileSync(process.env.FAKE_PID_FILE, String(child.pid))
}
const readPrompt = () => new Promise((resolve) => {
  let text = ""
  process.stdin.setEncoding("utf8")
  process.stdin.on("data", (chunk) => { text += chunk })
  process.stdin.on("end", () => resolve(text))
})
const main = async (run) => {
  const prompt = await readPrompt()
  if (process.env.FAKE_RECORD) fs.writeFileSync(process.env.FAKE_RECORD, JSON.stringify({ argv: process.argv.slice(2), prompt }))
  await run(prompt)
}
`

const CLAUDE = `${PRELUDE}
const usage = (input, output) => ({ input_tokens: input, output_tokens: output, cache_read_input_tokens: 100, cache_creation_input_tokens: 20 })
const assistant = (id, content, u) => ({ type: "assistant", message: { id, type: "message", role: "assistant", model: "claude-sonnet-4-5-20250929", content, stop_reason: null, usage: u }, parent_tool_use_id: null, session_id: "sess-1" })
main(async (prompt) => {
  emit({ type: "system", subtype: "init", session_id: "sess-1", cwd: process.cwd(), model: "claude-sonnet-4-5-20250929", tools: ["Bash", "Edit"], permissionMode: "default", apiKeySource: "ANTHROPIC_API_KEY" })
  switch (scenario) {
    case "success":
      emit(assistant("msg_1", [{ type: "text", text: "Let me look." }], usage(10, 5)))
      emit(assistant("msg_1", [{ type: "tool_use", id: "toolu_1", name: "Bash", input: { command: "ls" } }], usage(10, 5)))
      emit({ type: "user", message: { role: "user", content: [{ type: "tool_result", tool_use_id: "toolu_1", content: "a.txt" }] }, session_id: "sess-1" })
      emit(assistant("msg_2", [{ type: "text", text: "Done." }], usage(30, 7)))
      emit({ type: "result", subtype: "success", is_error: false, duration_ms: 1200, duration_api_ms: 1100, num_turns: 2, result: "Done: " + prompt.trim(), session_id: "sess-1", total_cost_usd: 0.0123, usage: usage(40, 12) })
      return
    case "endless": {
      grandchild()
      for (let i = 0; ; i++) {
        emit(assistant("msg_" + i, [{ type: "text", text: "step " + i }], usage(1000, 500)))
        await sleep(20)
      }
    }
    case "ignore-term":
      process.on("SIGTERM", () => {})
      for (let i = 0; ; i++) {
        emit(assistant("msg_" + i, [{ type: "text", text: "step " + i }], usage(1000, 500)))
        await sleep(20)
      }
    case "orphan": {
      // a background tool that inherits stdout and outlives the CLI
      const child = spawn(process.execPath, ["-e", "setInterval(() => {}, 1 << 30)"], { stdio: ["ignore", "inherit", "inherit"] })
      if (process.env.FAKE_PID_FILE) fs.writeFileSync(process.env.FAKE_PID_FILE, String(child.pid))
      emit({ type: "result", subtype: "success", is_error: false, duration_ms: 5, num_turns: 1, result: "left a server running", session_id: "sess-1", total_cost_usd: 0.001, usage: usage(1, 1) })
      process.exit(0)
    }
    case "no-result":
      emit(assistant("msg_1", [{ type: "text", text: "partial" }], usage(10, 5)))
      return
    case "crash":
      process.stderr.write("fatal: boom\\n")
      process.exit(3)
    case "malformed":
      process.stdout.write("Claude Code warming up\\n")
      forever()
      return
    case "max-turns":
      emit(assistant("msg_1", [{ type: "text", text: "working" }], usage(10, 5)))
      emit({ type: "result", subtype: "error_max_turns", is_error: true, duration_ms: 10, num_turns: 3, session_id: "sess-1", total_cost_usd: 0.002, usage: usage(10, 5) })
      process.exit(1)
    case "api-error":
      emit({ type: "result", subtype: "success", is_error: true, duration_ms: 10, num_turns: 1, result: "API Error: 529 overloaded_error: Overloaded", session_id: "sess-1", total_cost_usd: 0, usage: usage(0, 0) })
      process.exit(1)
    case "hang":
      forever()
      return
  }
})
`

const CODEX = `${PRELUDE}
main(async (prompt) => {
  emit({ type: "thread.started", thread_id: "thread-7" })
  emit({ type: "turn.started" })
  switch (scenario) {
    case "success":
      emit({ type: "item.started", item: { id: "item_0", type: "command_execution", command: "bash -lc ls", aggregated_output: "", exit_code: null, status: "in_progress" } })
      emit({ type: "item.completed", item: { id: "item_0", type: "command_execution", command: "bash -lc ls", aggregated_output: "a.txt\\n", exit_code: 0, status: "completed" } })
      emit({ type: "item.completed", item: { id: "item_1", type: "reasoning", text: "**Checking files**" } })
      emit({ type: "error", message: "Reconnecting... 1/5" })
      emit({ type: "item.completed", item: { id: "item_2", type: "file_change", changes: [{ path: "a.txt", kind: "update" }], status: "completed" } })
      emit({ type: "item.completed", item: { id: "item_3", type: "agent_message", text: "Updated: " + prompt.trim() } })
      emit({ type: "turn.completed", usage: { input_tokens: 2400, cached_input_tokens: 2000, output_tokens: 300 } })
      return
    case "over-budget-then-linger":
      grandchild()
      emit({ type: "item.completed", item: { id: "item_0", type: "agent_message", text: "big" } })
      emit({ type: "turn.completed", usage: { input_tokens: 900000, cached_input_tokens: 0, output_tokens: 100000 } })
      emit({ type: "turn.started" })
      forever()
      return
    case "turn-failed":
      emit({ type: "error", message: "stream error: exceeded retry limit, last status: 429 Too Many Requests" })
      emit({ type: "turn.failed", error: { message: "exceeded retry limit, last status: 429 Too Many Requests" } })
      process.exit(1)
    case "no-usage":
      emit({ type: "turn.completed" })
      return
  }
})
`

export interface FakeClis {
  readonly dir: string
  readonly env: (scenario: string, extra?: Record<string, string>) => Record<string, string>
  readonly cleanup: () => void
}

/** Writes the fake executables to a fresh temp directory. */
export const installFakeClis = (): FakeClis => {
  const dir = mkdtempSync(join(tmpdir(), "gauntlet-agent-cli-"))
  for (const [name, source] of [
    ["claude", CLAUDE],
    ["codex", CODEX]
  ] as const) {
    const path = join(dir, name)
    writeFileSync(path, source)
    chmodSync(path, 0o755)
  }
  return {
    dir,
    env: (scenario, extra = {}) => ({
      PATH: `${dir}:${process.env.PATH ?? ""}`,
      FAKE_SCENARIO: scenario,
      ...extra
    }),
    cleanup: () => rmSync(dir, { recursive: true, force: true })
  }
}
