/**
 * End-to-end tests of the model layer in the bundled `gauntlet` executable (issue 6): `llm complete` live, recorded
 * and replayed, a replay miss, a budget refused before any network traffic, and a workflow run whose implementer
 * is an LLM agent, recorded then replayed offline. Each command is a real subprocess; the provider is a loopback
 * OpenAI-compatible server started by the test (`POST /v1/chat/completions` with usage), which counts requests.
 */
import { execFileSync, spawn } from "node:child_process"
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs"
import { createServer, type Server } from "node:http"
import type { AddressInfo } from "node:net"
import { tmpdir } from "node:os"
import { join, resolve } from "node:path"
import { EXIT_CODES } from "@gauntlet/failure"
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest"

const root = resolve(import.meta.dirname, "../../..")
const bin = join(root, "projects/gauntlet/bin/gauntlet.mjs")

interface Result {
  readonly status: number | null
  readonly stdout: string
  readonly stderr: string
}

interface FakeOpenAi {
  readonly server: Server
  readonly baseUrl: string
  readonly requests: Array<{ readonly model: string; readonly prompt: string; readonly structured: boolean }>
  readonly close: () => Promise<void>
}

/** A loopback Chat Completions server: a JSON answer when a response format is asked, else an echo. */
const startFakeOpenAi = (failingStructured = 0): Promise<FakeOpenAi> =>
  new Promise((resolveStart) => {
    const requests: FakeOpenAi["requests"][number][] = []
    const server = createServer((req, res) => {
      let body = ""
      req.on("data", (chunk) => {
        body += chunk
      })
      req.on("end", () => {
        if (req.method !== "POST" || req.url !== "/v1/chat/completions") {
          res.writeHead(404, { "content-type": "application/json" })
          res.end(JSON.stringify({ error: { message: `no route ${req.method} ${req.url}` } }))
          return
        }
        const request = JSON.parse(body) as {
          model: string
          messages: ReadonlyArray<{ role: string; content: string }>
          response_format?: unknown
        }
        const prompt = String(request.messages.at(-1)?.content ?? "")
        const structured = request.response_format !== undefined
        requests.push({ model: request.model, prompt, structured })
        const content = structured
          ? JSON.stringify(
              requests.filter((r) => r.structured).length <= failingStructured
                ? { testsFailed: 1, failures: ["header test fails"] }
                : { testsFailed: 0, summary: `implemented ${prompt.length} chars of plan` }
            )
          : `echo: ${prompt}`
        res.writeHead(200, { "content-type": "application/json" })
        res.end(
          JSON.stringify({
            id: `chatcmpl-${requests.length}`,
            object: "chat.completion",
            created: 1_700_000_000,
            model: request.model,
            choices: [{ index: 0, message: { role: "assistant", content }, finish_reason: "stop" }],
            usage: { prompt_tokens: 120, completion_tokens: 30, total_tokens: 150 }
          })
        )
      })
    })
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as AddressInfo
      resolveStart({
        server,
        baseUrl: `http://127.0.0.1:${port}/v1`,
        requests,
        close: () => new Promise((done) => server.close(() => done()))
      })
    })
  })

let work: string
let dir: string
let caseNo = 0
let fake: FakeOpenAi | undefined

/** Runs the bundle asynchronously (the loopback server lives in this process and must keep answering). */
const gauntlet = (args: ReadonlyArray<string>, env: Record<string, string> = {}): Promise<Result> =>
  new Promise((done) => {
    const child = spawn(process.execPath, [bin, ...args], {
      cwd: dir,
      env: {
        PATH: process.env.PATH ?? "",
        HOME: dir,
        GAUNTLET_DEBUG: "",
        ...env
      }
    })
    let stdout = ""
    let stderr = ""
    child.stdout.on("data", (chunk) => {
      stdout += chunk
    })
    child.stderr.on("data", (chunk) => {
      stderr += chunk
    })
    child.on("close", (status) => done({ status, stdout, stderr }))
  })

/** The environment that configures OpenAI at the loopback server. */
const openAiEnv = (): Record<string, string> => ({
  OPENAI_API_KEY: "sk-test-loopback",
  OPENAI_BASE_URL: (fake as FakeOpenAi).baseUrl
})

const lines = (text: string) => text.split("\n").filter((line) => line.length > 0)

const eventTypes = async (runId: string, db: string) => {
  const r = await gauntlet(["events", "tail", "--run", runId, "--db", db, "--from-seq", "1", "--json"])
  expect(r.status).toBe(0)
  return lines(r.stdout).map((line) => JSON.parse(line) as { type: string; payload: Record<string, unknown> })
}

beforeAll(() => {
  work = mkdtempSync(join(tmpdir(), "gauntlet-llm-"))
}, 120_000)

afterAll(() => {
  rmSync(work, { recursive: true, force: true })
})

beforeEach(async () => {
  caseNo += 1
  dir = join(work, `case-${caseNo}`)
  execFileSync("mkdir", ["-p", dir])
  fake = await startFakeOpenAi()
})

afterEach(async () => {
  if (fake?.server.listening === true) await fake.close()
  fake = undefined
})

const complete = (extra: ReadonlyArray<string>) => [
  "llm",
  "complete",
  "--model",
  "openai/gpt-4.1-mini",
  "--max-output-tokens",
  "200",
  "--db",
  "state.db",
  "--json",
  ...extra
]

interface CompleteJson {
  readonly runId: string
  readonly answer: string
  readonly model: string
  readonly inputTokens: number
  readonly outputTokens: number
  readonly costUsd: number
  readonly source: string
  readonly replayed: boolean
  readonly requestDigest: string
}

describe("gauntlet llm complete", () => {
  it("calls the configured provider live, prints answer, model, tokens and cost, and stores the events", async () => {
    const r = await gauntlet(complete(["--prompt", "name one risk"]), openAiEnv())
    expect(r.stderr).toBe("")
    expect(r.status).toBe(0)
    const out = JSON.parse(r.stdout) as CompleteJson
    expect(out.answer).toBe("echo: name one risk")
    expect(out.model).toBe("openai/gpt-4.1-mini")
    expect([out.inputTokens, out.outputTokens]).toEqual([120, 30])
    // gpt-4.1-mini: $0.40 in, $1.60 out per million tokens.
    expect(out.costUsd).toBeCloseTo((120 * 0.4 + 30 * 1.6) / 1e6, 9)
    expect(out.replayed).toBe(false)
    expect(fake?.requests).toEqual([{ model: "gpt-4.1-mini", prompt: "name one risk", structured: false }])
    const events = await eventTypes(out.runId, "state.db")
    expect(events.map((e) => e.type)).toEqual(["model/routed", "llm/request", "llm/response"])
    expect(events[2]?.payload).toMatchObject({ model: "openai/gpt-4.1-mini", source: "live" })
  }, 60_000)

  it("routes when no --model is given and prints a text report", async () => {
    const r = await gauntlet(
      [
        "llm",
        "complete",
        "--prompt",
        "hi",
        "--strategy",
        "cost",
        "--max-output-tokens",
        "100",
        "--db",
        "s.db"
      ],
      openAiEnv()
    )
    expect(r.stderr).toBe("")
    expect(r.status).toBe(0)
    const text = lines(r.stdout)
    expect(text[0]).toBe("echo: hi")
    // strategy cost: the cheapest configured model for the worst case of this call.
    expect(text).toContain("model: openai/gpt-4.1-mini")
    expect(text).toContain("tokens: 120 in, 30 out")
    expect(text.some((line) => /^run: [0-9a-f-]{36} \(events in .*s\.db\)$/.test(line))).toBe(true)
  }, 60_000)

  it("records a cassette, then replays it with the server stopped and no key; a changed prompt misses", async () => {
    const recorded = await gauntlet(
      complete(["--prompt", "summarise the diff", "--mode", "record", "--cassette", "calls.jsonl"]),
      openAiEnv()
    )
    expect(recorded.stderr).toBe("")
    expect(recorded.status).toBe(0)
    const first = JSON.parse(recorded.stdout) as CompleteJson
    const cassette = lines(readFileSync(join(dir, "calls.jsonl"), "utf8"))
    expect(cassette).toHaveLength(1)
    expect(JSON.parse(cassette[0] as string)).toMatchObject({ digest: first.requestDigest })
    expect(fake?.requests).toHaveLength(1)

    await (fake as FakeOpenAi).close()
    expect(fake?.server.listening).toBe(false)
    // No provider configured at all: the mode comes from GAUNTLET_LLM_MODE.
    const replayed = await gauntlet(
      complete(["--prompt", "summarise the diff", "--cassette", "calls.jsonl"]),
      {
        GAUNTLET_LLM_MODE: "replay"
      }
    )
    expect(replayed.stderr).toBe("")
    expect(replayed.status).toBe(0)
    const again = JSON.parse(replayed.stdout) as CompleteJson
    expect(again).toMatchObject({
      answer: first.answer,
      model: first.model,
      costUsd: first.costUsd,
      source: "cassette",
      replayed: true,
      requestDigest: first.requestDigest
    })
    expect(again.runId).not.toBe(first.runId)
    const events = await eventTypes(again.runId, "state.db")
    expect(events.at(-1)?.payload).toMatchObject({ source: "cassette" })

    const missed = await gauntlet(
      complete(["--prompt", "summarise the diff, briefly", "--mode", "replay", "--cassette", "calls.jsonl"]),
      openAiEnv()
    )
    expect(missed.status).toBe(EXIT_CODES["data-integrity"])
    expect(missed.stdout).toBe("")
    const err = lines(missed.stderr)
    expect(err).toHaveLength(1)
    expect(err[0]).toMatch(
      /^gauntlet: cassette calls\.jsonl has no answer for openai\/gpt-4\.1-mini request sha256:[0-9a-f]{64}; closest recorded entry sha256:[0-9a-f]{64} \(line 1\) differs at \/messages\/0/
    )
    expect(err[0]).toContain(first.requestDigest)
    expect(fake?.requests).toHaveLength(1)
  }, 60_000)

  it("names the file and line of a corrupted cassette", async () => {
    writeFileSync(join(dir, "broken.jsonl"), '\n{"digest":"sha256:00","request":{}}\n')
    const r = await gauntlet(complete(["--prompt", "x", "--mode", "replay", "--cassette", "broken.jsonl"]))
    expect(r.status).toBe(EXIT_CODES["data-integrity"])
    expect(lines(r.stderr)).toHaveLength(1)
    expect(r.stderr).toMatch(/broken\.jsonl/)
    expect(r.stderr).toMatch(/line 2/)
  }, 60_000)

  it("refuses a budget too small for the worst case before any request reaches the server (exit 15)", async () => {
    const r = await gauntlet(complete(["--prompt", "expensive", "--budget-usd", "0.000001"]), openAiEnv())
    expect(r.status).toBe(EXIT_CODES.resource)
    expect(r.status).toBe(15)
    expect(lines(r.stderr)).toEqual([
      expect.stringMatching(/^gauntlet: budget exhausted: run costUsd: limit 0\.000001/)
    ])
    expect(fake?.requests).toHaveLength(0)
  }, 60_000)

  it("refuses replay without a cassette and a bad --budget-usd as usage-class errors", async () => {
    const noCassette = await gauntlet(complete(["--prompt", "x", "--mode", "replay"]))
    expect(noCassette.status).toBe(EXIT_CODES["tool-error"])
    expect(noCassette.stderr).toMatch(/mode replay needs a cassette file/)
    const badBudget = await gauntlet(complete(["--prompt", "x", "--budget-usd", "-1"]), openAiEnv())
    expect(badBudget.status).toBe(EXIT_CODES.usage)
    expect(badBudget.stderr).toMatch(/--budget-usd/)
    expect(fake?.requests).toHaveLength(0)
  }, 60_000)
})

/** plan, verify and review by a scripted `bot`; implement by the LLM agent `implementer`. */
const writeWorkflow = () => {
  writeFileSync(
    join(dir, "workflow.json"),
    JSON.stringify({
      id: "ship-it",
      version: "1",
      family: "software-factory",
      budget: { iterations: 50, costUsd: 2 },
      phases: [
        { name: "plan", agent: "bot", gates: ["output-present", "plan-schema"] },
        { name: "implement", agent: "implementer", gates: ["tests-pass"], maxAttempts: 2 },
        { name: "verify", agent: "bot", gates: ["tests-pass"] },
        { name: "review", agent: "bot", gates: ["review-approved"] }
      ]
    })
  )
  writeFileSync(
    join(dir, "bot.json"),
    JSON.stringify({
      id: "bot",
      steps: {
        plan: [{ respond: { output: { tasks: ["add the header"] } } }],
        verify: [{ respond: { output: { testsFailed: 0 } } }],
        review: [{ respond: { output: { approved: true } } }]
      }
    })
  )
  writeFileSync(
    join(dir, "implementer.json"),
    JSON.stringify({
      id: "implementer",
      kind: "llm",
      model: "openai/gpt-4.1-mini",
      system: "You implement plans. Answer with JSON.",
      prompt: "Implement phase {{phase}} of this plan: {{input}}",
      maxOutputTokens: 500,
      output: "json"
    })
  )
}

describe("gauntlet workflow run with an LLM agent", () => {
  it("records the implementer's calls, then replays the whole run offline with the same outputs", async () => {
    writeWorkflow()
    const args = (db: string, mode: string) => [
      "workflow",
      "run",
      "workflow.json",
      "--agents",
      "bot.json",
      "--agents",
      "implementer.json",
      "--mode",
      mode,
      "--cassette",
      "run.jsonl",
      "--db",
      db,
      "--json"
    ]
    const recorded = await gauntlet(args("record.db", "record"), openAiEnv())
    expect(recorded.stderr).toBe("")
    expect(recorded.status).toBe(0)
    const live = JSON.parse(lines(recorded.stdout)[0] as string) as { runId: string; status: string }
    expect(live.status).toBe("completed")
    expect(fake?.requests).toHaveLength(1)
    expect(fake?.requests[0]?.structured).toBe(true)
    expect(fake?.requests[0]?.prompt).toMatch(/^Implement phase implement of this plan: /)
    expect(lines(readFileSync(join(dir, "run.jsonl"), "utf8"))).toHaveLength(1)

    await (fake as FakeOpenAi).close()
    const replayed = await gauntlet(args("replay.db", "replay"))
    expect(replayed.stderr).toBe("")
    expect(replayed.status).toBe(0)
    const offline = JSON.parse(lines(replayed.stdout)[0] as string) as { runId: string; status: string }
    expect(offline.status).toBe("completed")

    const liveEvents = await eventTypes(live.runId, "record.db")
    const offlineEvents = await eventTypes(offline.runId, "replay.db")
    const byType = (
      events: ReadonlyArray<{ type: string; payload: Record<string, unknown> }>,
      type: string
    ) => events.filter((e) => e.type === type).map((e) => e.payload)
    const answered = (events: ReadonlyArray<{ type: string; payload: Record<string, unknown> }>) =>
      byType(events, "llm/response").map((p) => [p.model, p.inputTokens, p.outputTokens, p.costUsd])
    expect(answered(offlineEvents)).toEqual(answered(liveEvents))
    expect(answered(offlineEvents)).toEqual([["openai/gpt-4.1-mini", 120, 30, 0.000096]])
    expect(byType(offlineEvents, "llm/response").map((p) => p.source)).toEqual(["cassette"])
    const charged = (events: ReadonlyArray<{ type: string; payload: Record<string, unknown> }>) =>
      byType(events, "agent/completed")
        .filter((p) => p.agent === "implementer")
        .map((p) => (p.charged as { costUsd: number }).costUsd)
    expect(charged(offlineEvents)).toEqual([0.000096])
    expect(charged(liveEvents)).toEqual([0.000096])
    // The run's checkpoint budget charges the model cost once (the chokepoint ledger only pre-checks).
    const shown = await gauntlet(["runs", "show", offline.runId, "--db", "replay.db", "--json"])
    expect(shown.status).toBe(0)
    const spent = (JSON.parse(shown.stdout) as { budgetSpent: { costUsd: number } }).budgetSpent.costUsd
    expect(spent).toBeCloseTo((120 * 0.4 + 30 * 1.6) / 1e6, 9)
  }, 90_000)

  it("refuses an invalid LLM agent spec with its file (usage)", async () => {
    writeWorkflow()
    writeFileSync(
      join(dir, "implementer.json"),
      JSON.stringify({ id: "implementer", kind: "llm", prompt: "x" })
    )
    const r = await gauntlet(
      [
        "workflow",
        "run",
        "workflow.json",
        "--agents",
        "bot.json",
        "--agents",
        "implementer.json",
        "--db",
        "s.db"
      ],
      openAiEnv()
    )
    expect(r.status).toBe(EXIT_CODES.usage)
    expect(r.stderr).toMatch(
      /invalid value for --agents: .*implementer\.json \(invalid LLM agent spec: .*maxOutputTokens/
    )
    expect(existsSync(join(dir, "s.db"))).toBe(false)
    expect(fake?.requests).toHaveLength(0)
  }, 60_000)

  it("resume rebuilds the LLM agent from the launch record: escalation, then runs approve continues it", async () => {
    await (fake as FakeOpenAi).close()
    fake = await startFakeOpenAi(2)
    writeWorkflow()
    const env = openAiEnv()
    const started = await gauntlet(
      [
        "workflow",
        "run",
        "workflow.json",
        "--agents",
        "bot.json",
        "--agents",
        "implementer.json",
        "--run-id",
        "run-llm",
        "--mode",
        "record",
        "--cassette",
        "run.jsonl",
        "--budget-usd",
        "0.5",
        "--db",
        "s.db"
      ],
      env
    )
    expect(started.status).toBe(75)
    expect(started.stdout).toMatch(/^run run-llm: awaiting approval \S+ \(phase implement\)$/m)
    expect(fake?.requests).toHaveLength(2)
    // the second attempt got the gate's feedback
    expect(fake?.requests[1]?.prompt).toMatch(/Previous attempt failed/)
    // runs approve passes no model flags: mode, cassette and budget come from the launch record
    const approved = await gauntlet(
      ["runs", "approve", "run-llm", "--by", "alice", "--reason", "try again", "--db", "s.db"],
      env
    )
    expect(approved.stderr).toBe("")
    expect(approved.status).toBe(0)
    expect(approved.stdout).toMatch(/run run-llm: completed/)
    expect(fake?.requests).toHaveLength(3)
    expect(lines(readFileSync(join(dir, "run.jsonl"), "utf8"))).toHaveLength(3)
  }, 90_000)
})
