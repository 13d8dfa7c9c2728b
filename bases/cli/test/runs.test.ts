/**
 * End-to-end tests of the run commands of the bundled `gauntlet` executable: `workflow run`, `runs
 * list|show|approve|reject|pause|cancel` and `resume`, each a real subprocess on a temp SQLite file, with scripted
 * agents whose invocations are appended to a counter file (so a test in this process can prove what ran, and how
 * often, across processes, crashes and signals).
 */
import { execFileSync, spawn, spawnSync } from "node:child_process"
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join, resolve } from "node:path"
import { EXIT_CODES } from "@gauntlet/failure"
import Database from "better-sqlite3"
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest"

const root = resolve(import.meta.dirname, "../../..")
const bin = join(root, "projects/gauntlet/bin/gauntlet.mjs")

interface Result {
  readonly status: number | null
  readonly stdout: string
  readonly stderr: string
}

let work: string
let dir: string
let db: string
let caseNo = 0

const gauntlet = (args: ReadonlyArray<string>): Result => {
  const r = spawnSync(process.execPath, [bin, ...args], {
    cwd: dir,
    encoding: "utf8",
    env: { ...process.env, GAUNTLET_DEBUG: "" },
    timeout: 30_000
  })
  return { status: r.status, stdout: r.stdout, stderr: r.stderr }
}

const lines = (text: string) => text.split("\n").filter((line) => line.length > 0)

/** The line a run command prints after a terminal run: its evidence bundle (next to the store) verifies. */
const verifiedEvidence = (runId: string) =>
  new RegExp(
    `^evidence: ${dir}/evidence/${runId}\\.intoto\\.jsonl \\(verifies: \\d+ statements signed by [0-9a-f]{64}, anchored to \\d+ events\\)$`
  )

/** One clear line on stderr (no stack trace) matching `text`. */
const expectOneErrorLine = (r: Result, text: RegExp) => {
  const err = lines(r.stderr)
  expect(err).toHaveLength(1)
  expect(err[0]).toMatch(text)
  expect(r.stderr).not.toMatch(/^\s+at /m)
}

/** A software-factory definition run by agent `bot`; `implement` gets `maxAttempts` attempts per round. */
const definition = (overrides: { readonly version?: string; readonly maxAttempts?: number } = {}) => ({
  id: "ship-it",
  version: overrides.version ?? "1",
  family: "software-factory",
  budget: { iterations: 50 },
  phases: [
    { name: "plan", agent: "bot", gates: ["output-present", "plan-schema"] },
    { name: "implement", agent: "bot", gates: ["tests-pass"], maxAttempts: overrides.maxAttempts ?? 3 },
    { name: "verify", agent: "bot", gates: ["tests-pass"] },
    { name: "review", agent: "bot", gates: ["review-approved"] }
  ]
})

const pass = { respond: { output: { testsFailed: 0 } } }
const failing = (message: string) => ({ respond: { output: { testsFailed: 1, failures: [message] } } })

/** A scripted agent `bot`; every step waits `delayMs` (to kill or signal a run mid-phase). */
const script = (implement: ReadonlyArray<unknown>, delayMs = 0) => {
  const delayed = (step: object) => (delayMs === 0 ? step : { ...step, delayMs })
  return {
    id: "bot",
    counterFile: "calls.jsonl",
    steps: {
      plan: [
        delayed({
          respond: {
            output: { tasks: ["add the header"] },
            usage: { inputTokens: 100, outputTokens: 20, costUsd: 0.01 }
          }
        })
      ],
      implement: implement.map((step) => delayed(step as object)),
      verify: [delayed(pass)],
      review: [delayed({ respond: { output: { approved: true } } })]
    }
  }
}

/** Writes the definition and the agent script of one case into its own directory. */
const setup = (def: object, agent: object) => {
  writeFileSync(join(dir, "workflow.json"), JSON.stringify(def, null, 2))
  writeFileSync(join(dir, "agent.json"), JSON.stringify(agent, null, 2))
}

/** The agent invocations recorded in the counter file, as `phase#attempt`. */
const calls = (): ReadonlyArray<string> => {
  const file = join(dir, "calls.jsonl")
  if (!existsSync(file)) return []
  return lines(readFileSync(file, "utf8")).map((line) => {
    const call = JSON.parse(line) as { phase: string; attempt: number }
    return `${call.phase}#${call.attempt}`
  })
}

const runArgs = (runId: string) => [
  "workflow",
  "run",
  "workflow.json",
  "--agents",
  "agent.json",
  "--run-id",
  runId,
  "--db",
  db
]

const show = (runId: string) => {
  const r = gauntlet(["runs", "show", runId, "--db", db, "--json"])
  expect(r.stderr).toBe("")
  expect(r.status).toBe(0)
  return JSON.parse(r.stdout) as {
    status: string
    phases: ReadonlyArray<{ name: string; status: string; attempts: number }>
    pendingApproval: { approvalId: string; phase: string; status: string } | null
    budgetSpent: { tokens: number; costUsd: number; iterations: number }
    failure: { failureClass: string; phase?: string } | null
  }
}

const attemptsOf = (runId: string) =>
  Object.fromEntries(show(runId).phases.map((p) => [p.name, `${p.status}/${p.attempts}`]))

/** Starts `workflow run` in the background; resolves when the counter file shows `calls` invocations. */
const startInBackground = (
  runId: string,
  extra: ReadonlyArray<string> = [],
  env: Readonly<Record<string, string>> = {}
) => {
  const child = spawn(process.execPath, [bin, ...runArgs(runId), ...extra], {
    cwd: dir,
    env: { ...process.env, ...env },
    stdio: ["ignore", "pipe", "pipe"]
  })
  let stdout = ""
  let stderr = ""
  child.stdout.on("data", (chunk) => {
    stdout += String(chunk)
  })
  child.stderr.on("data", (chunk) => {
    stderr += String(chunk)
  })
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null; ms: number }>((done) => {
    child.on("exit", (code, signal) => done({ code, signal, ms: Date.now() - sentAt }))
  })
  let sentAt = 0
  const waitForCalls = async (count: number) => {
    const deadline = Date.now() + 20_000
    while (calls().length < count) {
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${count} calls: ${calls().join(",")}`)
      await new Promise((r) => setTimeout(r, 25))
    }
  }
  const send = (signal: NodeJS.Signals) => {
    sentAt = Date.now()
    child.kill(signal)
  }
  return { waitForCalls, send, exited, output: () => ({ stdout, stderr }) }
}

beforeAll(() => {
  work = mkdtempSync(join(tmpdir(), "gauntlet-runs-"))
}, 120_000)

afterAll(() => {
  rmSync(work, { recursive: true, force: true })
})

beforeEach(() => {
  caseNo++
  dir = join(work, `case-${caseNo}`)
  execFileSync("mkdir", ["-p", dir])
  db = join(dir, "state.db")
})

describe("gauntlet workflow run", () => {
  it("redacts secrets from event payloads before they are stored (the chain still verifies)", () => {
    setup(definition(), script([failing("config.test.ts leaked AKIAIOSFODNN7EXAMPLE to stdout"), pass]))
    const r = gauntlet(runArgs("run-redact"))
    expect(r.status).toBe(0)
    const events = gauntlet(["events", "list", "--run", "run-redact", "--db", db, "--json"])
    expect(events.status).toBe(0)
    expect(events.stdout).not.toContain("AKIAIOSFODNN7EXAMPLE")
    expect(events.stdout).toContain("[REDACTED:aws-access-key]")
    const stored = new Database(db, { readonly: true })
    const leaked = stored
      .prepare("SELECT count(*) AS n FROM events WHERE canonical LIKE '%AKIAIOSFODNN7EXAMPLE%'")
      .get() as {
      n: number
    }
    stored.close()
    expect(leaked.n).toBe(0)
    expect(gauntlet(["events", "verify", "--run", "run-redact", "--db", db]).status).toBe(0)
  })

  it("runs to completion (exit 0), repairing a gate failure with the violations fed back", () => {
    setup(definition(), script([failing("limiter.test.ts: expected 429"), pass]))
    const r = gauntlet(runArgs("run-ok"))
    expect(r.stderr).toBe("")
    expect(r.status).toBe(0)
    expect(lines(r.stdout)).toEqual([
      "run run-ok: completed",
      expect.stringMatching(verifiedEvidence("run-ok"))
    ])
    expect(calls()).toEqual(["plan#1", "implement#1", "implement#2", "verify#1", "review#1"])
    const report = show("run-ok")
    expect(report.status).toBe("completed")
    expect(attemptsOf("run-ok")).toEqual({
      plan: "succeeded/1",
      implement: "succeeded/2",
      verify: "succeeded/1",
      review: "succeeded/1"
    })
    expect(report.budgetSpent.tokens).toBe(120)
    expect(report.budgetSpent.costUsd).toBeCloseTo(0.01)
    expect(report.budgetSpent.iterations).toBe(5)
    // The repair is recorded: the gate failed once, and the agent then passed it.
    const events = gauntlet(["events", "list", "--run", "run-ok", "--db", db, "--json"])
    const types = lines(events.stdout).map((line) => (JSON.parse(line) as { type: string }).type)
    expect(types.filter((t) => t === "gate/failed")).toHaveLength(1)
    expect(types.at(-1)).toBe("workflow/completed")
    const list = gauntlet(["runs", "list", "--db", db, "--json"])
    expect(lines(list.stdout).map((line) => JSON.parse(line) as { runId: string; status: string })).toEqual([
      expect.objectContaining({ runId: "run-ok", status: "completed" })
    ])
    expect(lines(gauntlet(["runs", "list", "--resumable", "--db", db]).stdout)).toHaveLength(1) // header only
    // --json prints the outcome
    setup(definition(), script([pass]))
    const json = gauntlet([...runArgs("run-json"), "--json"])
    expect(JSON.parse(json.stdout)).toEqual({
      runId: "run-json",
      workflowId: "ship-it",
      status: "completed",
      evidence: {
        path: join(dir, "evidence", "run-json.intoto.jsonl"),
        ok: true,
        statements: expect.any(Number),
        signers: [expect.stringMatching(/^[0-9a-f]{64}$/)]
      }
    })
  })

  it("a run whose agent fails terminally exits with the failure class code", () => {
    setup(definition(), script([{ fail: { failureClass: "policy", reason: "refuses to touch prod" } }]))
    const r = gauntlet(runArgs("run-fail"))
    expect(r.status).toBe(EXIT_CODES.policy)
    expect(lines(r.stdout)[0]).toMatch(/^run run-fail: failed \(phase implement\): policy: /)
    expectOneErrorLine(r, /^gauntlet: run run-fail failed in phase implement \(policy\): /)
    expect(show("run-fail").failure).toMatchObject({ failureClass: "policy", phase: "implement" })
  })

  it("a bad definition file is a usage error naming the file and the JSON pointer", () => {
    const def = definition() as { phases: Array<Record<string, unknown>> }
    def.phases[1]!.maxAttempts = "three"
    setup(def, script([pass]))
    const r = gauntlet(runArgs("run-bad"))
    expect(r.status).toBe(EXIT_CODES.usage)
    expectOneErrorLine(r, /workflow\.json: invalid workflow at \/phases\/1\/maxAttempts: /)
    expect(existsSync(db)).toBe(false)
    // an unknown gate is refused before anything runs
    const unknownGate = definition() as { phases: Array<{ gates: string[] }> }
    unknownGate.phases[0]!.gates = ["no-such-gate"]
    setup(unknownGate, script([pass]))
    const g = gauntlet(runArgs("run-gate"))
    expect(g.status).toBe(EXIT_CODES.usage)
    expectOneErrorLine(g, /unknown gate "no-such-gate"/)
    expect(calls()).toEqual([])
    // input that is not JSON
    setup(definition(), script([pass]))
    const i = gauntlet([...runArgs("run-input"), "--input", "{nope"])
    expect(i.status).toBe(EXIT_CODES.usage)
    expectOneErrorLine(i, /run input --input is not valid JSON/)
  })
})

describe("approvals", () => {
  it("escalation → runs show shows the pending approval → runs approve continues the run to completion", () => {
    setup(definition({ maxAttempts: 2 }), script([failing("t1"), failing("t1 again"), pass]))
    const r = gauntlet(runArgs("run-esc"))
    expect(r.status).toBe(75)
    expect(lines(r.stdout)[0]).toMatch(/^run run-esc: awaiting approval \S+ \(phase implement\)$/)
    expectOneErrorLine(r, /run run-esc is awaiting-approval: decide with: gauntlet runs approve run-esc/)
    const pending = show("run-esc")
    expect(pending.status).toBe("awaiting-approval")
    expect(pending.pendingApproval).toMatchObject({ phase: "implement", status: "pending" })
    const human = gauntlet(["runs", "show", "run-esc", "--db", db])
    expect(human.stdout).toMatch(/approval: {3}\S+ pending for phase implement/)
    expect(human.stdout).toMatch(/implement +escalated +2 attempts/)
    expect(lines(gauntlet(["runs", "list", "--resumable", "--db", db, "--json"]).stdout)).toHaveLength(1)

    const early = gauntlet(["resume", "run-esc", "--db", db])
    expect(early.status).toBe(EXIT_CODES.policy)
    expectOneErrorLine(
      early,
      /run run-esc awaits approval \S+ \(phase implement\): decide it with gauntlet runs approve\|reject run-esc/
    )
    expect(calls()).toEqual(["plan#1", "implement#1", "implement#2"])
    const a = gauntlet([
      "runs",
      "approve",
      "run-esc",
      "--by",
      "alice",
      "--reason",
      "flaky test, go on",
      "--db",
      db
    ])
    expect(a.stderr).toBe("")
    expect(a.status).toBe(0)
    expect(lines(a.stdout)).toEqual([
      "run run-esc: completed",
      expect.stringMatching(verifiedEvidence("run-esc"))
    ])
    // the approval's fresh round got the third scripted answer: nothing answered twice, nothing re-run
    expect(calls()).toEqual(["plan#1", "implement#1", "implement#2", "implement#3", "verify#1", "review#1"])
    expect(show("run-esc")).toMatchObject({ status: "completed", pendingApproval: null })
    const resume = gauntlet(["resume", "run-esc", "--db", db])
    expect(resume.status).toBe(EXIT_CODES.policy)
    expectOneErrorLine(resume, /run run-esc is completed: a finished run is never resumed/)
  })

  it("runs reject fails the run with the policy exit code; a second decision is refused", () => {
    setup(definition({ maxAttempts: 1 }), script([failing("t1")]))
    expect(gauntlet(runArgs("run-rej")).status).toBe(75)
    const r = gauntlet(["runs", "reject", "run-rej", "--by", "bob", "--reason", "not this way", "--db", db])
    expect(r.status).toBe(EXIT_CODES.policy)
    expectOneErrorLine(
      r,
      /run run-rej failed in phase implement \(policy\): approval \S+ rejected by bob \(human\): not this way/
    )
    expect(show("run-rej")).toMatchObject({ status: "failed", failure: { failureClass: "policy" } })
    const again = gauntlet(["runs", "approve", "run-rej", "--by", "bob", "--reason", "oops", "--db", db])
    expect(again.status).toBe(EXIT_CODES.policy)
    expectOneErrorLine(again, /run run-rej has no pending approval \(status failed\)/)
    const missing = gauntlet(["runs", "reject", "run-rej", "--by", "bob", "--db", db])
    expect(missing.status).toBe(EXIT_CODES.usage)
  })
})

describe("crash, signals and resume", () => {
  it("SIGKILL mid-run → resume completes without re-invoking completed phases", async () => {
    setup(definition(), script([pass], 400))
    const child = startInBackground("run-kill")
    await child.waitForCalls(3) // plan and implement done, verify in flight
    child.send("SIGKILL")
    expect((await child.exited).signal).toBe("SIGKILL")
    expect(show("run-kill").status).toBe("running")
    const resumable = gauntlet(["runs", "list", "--resumable", "--db", db, "--json"])
    expect(lines(resumable.stdout).map((l) => (JSON.parse(l) as { runId: string }).runId)).toEqual([
      "run-kill"
    ])
    const r = gauntlet(["resume", "run-kill", "--db", db])
    expect(r.stderr).toBe("")
    expect(r.status).toBe(0)
    expect(lines(r.stdout)).toEqual([
      "run run-kill: completed",
      expect.stringMatching(verifiedEvidence("run-kill"))
    ])
    const after = calls()
    // plan and implement ran exactly once; only the phase in flight when killed (verify) ran again
    expect(after.filter((c) => c.startsWith("plan#"))).toEqual(["plan#1"])
    expect(after.filter((c) => c.startsWith("implement#"))).toEqual(["implement#1"])
    expect(after.filter((c) => c.startsWith("review#"))).toEqual(["review#1"])
    expect(after.filter((c) => c.startsWith("verify#")).length).toBeLessThanOrEqual(2)
    expect(show("run-kill").status).toBe("completed")
    const verify = gauntlet(["events", "verify", "--run", "run-kill", "--db", db])
    expect(verify.status).toBe(0)
  })

  it("SIGTERM mid-run → checkpoint, print how to resume, exit 0 within the bound; resume finishes the run", async () => {
    setup(definition(), script([pass], 600))
    const child = startInBackground("run-term")
    await child.waitForCalls(2) // implement in flight
    child.send("SIGTERM")
    const exit = await child.exited
    expect(exit.code).toBe(0)
    expect(exit.ms).toBeLessThan(10_000)
    const { stdout } = child.output()
    expect(stdout).toMatch(
      /run run-term: stopped on SIGTERM \(paused, checkpointed\); resume with: gauntlet resume run-term --db /
    )
    const paused = show("run-term")
    expect(paused.status).toBe("paused")
    // the phase in flight finished and was recorded before the pause: it is never half-recorded
    expect(attemptsOf("run-term")).toMatchObject({ plan: "succeeded/1", implement: "succeeded/1" })
    const r = gauntlet(["resume", "run-term", "--db", db])
    expect(r.status).toBe(0)
    expect(calls()).toEqual(["plan#1", "implement#1", "verify#1", "review#1"])
    expect(show("run-term").status).toBe("completed")
  })

  it("SIGTERM while an attempt outlasts the grace period → the attempt is interrupted, exit 0; resume re-runs it", async () => {
    const agent = script([pass]) as { steps: { plan: Array<Record<string, unknown>> } }
    agent.steps.plan = [{ respond: { output: { tasks: ["slow plan"] } }, delayMs: 2500 }]
    setup(definition(), agent)
    const child = startInBackground("run-grace", [], { GAUNTLET_SHUTDOWN_GRACE_MS: "200" })
    await child.waitForCalls(1) // plan in flight, 2.5 s to go
    child.send("SIGTERM")
    const exit = await child.exited
    expect(exit.code).toBe(0)
    expect(exit.ms).toBeLessThan(2000)
    expect(child.output().stdout).toMatch(
      /run run-grace: stopped on SIGTERM \(running, checkpointed\); resume with: /
    )
    expect(show("run-grace")).toMatchObject({ status: "running" })
    expect(attemptsOf("run-grace")).toMatchObject({ plan: "running/1" })
    const r = gauntlet(["resume", "run-grace", "--db", db])
    expect(r.stderr).toBe("")
    expect(r.status).toBe(0)
    // the interrupted plan attempt was re-run (attempt 2, same scripted answer); nothing else ran twice
    expect(calls()).toEqual(["plan#1", "plan#2", "implement#1", "verify#1", "review#1"])
    expect(show("run-grace").status).toBe("completed")
  })

  it("a changed definition is refused on resume (data-integrity) unless --force", async () => {
    setup(definition(), script([pass], 300))
    expect(gauntlet(["runs", "pause", "nope", "--by", "ops", "--db", db]).status).toBe(66) // no store yet
    const bg = startInBackground("run-spec", ["--input", '{"ticket":"T-1"}'])
    await bg.waitForCalls(2)
    bg.send("SIGKILL")
    await bg.exited
    // stopped by an operator, then the definition is edited
    const p = gauntlet(["runs", "pause", "run-spec", "--by", "ops", "--db", db])
    expect(p.status).toBe(0)
    expect(lines(p.stdout)[0]).toMatch(/^run run-spec: paused/)
    writeFileSync(join(dir, "workflow.json"), JSON.stringify(definition({ version: "2" })))
    const refused = gauntlet(["resume", "run-spec", "--db", db])
    expect(refused.status).toBe(EXIT_CODES["data-integrity"])
    expectOneErrorLine(refused, /run run-spec: the spec changed \(started with sha256:\S+, now sha256:\S+\)/)
    expect(show("run-spec").status).toBe("paused")
    const forced = gauntlet(["resume", "run-spec", "--force", "--db", db])
    expect(forced.stderr).toBe("")
    expect(forced.status).toBe(0)
    expect(show("run-spec").status).toBe("completed")
    const events = gauntlet(["events", "list", "--run", "run-spec", "--db", db, "--json"])
    const parsed = lines(events.stdout).map(
      (l) => JSON.parse(l) as { type: string; payload: { forced?: boolean; input?: unknown } }
    )
    expect(parsed.filter((e) => e.type === "run/resumed").at(-1)?.payload.forced).toBe(true)
    expect(JSON.stringify(parsed[0]?.payload)).toContain('"ticket":"T-1"')
  })

  it("runs pause from another process: the driving process reports it (75) and resume finishes the run", async () => {
    setup(definition(), script([pass], 500))
    const bg = startInBackground("run-other")
    await bg.waitForCalls(2) // implement in flight
    const p = gauntlet(["runs", "pause", "run-other", "--by", "ops", "--db", db])
    expect(p.status).toBe(0)
    const exit = await bg.exited
    expect(exit.code).toBe(75)
    expect(lines(bg.output().stderr)).toEqual([
      expect.stringMatching(
        /^gauntlet: run run-other is paused: another command changed it while this one drove it; continue with: gauntlet resume run-other /
      )
    ])
    const r = gauntlet(["resume", "run-other", "--db", db])
    expect(r.status).toBe(0)
    // the attempt cut off by the pause (implement, or verify on a slow machine) is charged and re-run once; every
    // other phase ran exactly once
    const after = calls()
    const perPhase = (phase: string) => after.filter((c) => c.startsWith(`${phase}#`))
    expect(perPhase("plan")).toEqual(["plan#1"])
    const rerun = ["implement", "verify", "review"].filter((phase) => perPhase(phase).length > 1)
    expect(rerun.length).toBeLessThanOrEqual(1)
    for (const phase of ["implement", "verify", "review"])
      expect(perPhase(phase)).toEqual(rerun.includes(phase) ? [`${phase}#1`, `${phase}#2`] : [`${phase}#1`])
    expect(show("run-other").status).toBe("completed")
    expect(gauntlet(["events", "verify", "--run", "run-other", "--db", db]).status).toBe(0)
  })

  it("pause and cancel from the checkpoint; a cancelled run is never resumed", async () => {
    setup(definition(), script([pass], 300))
    const bg = startInBackground("run-ctl")
    await bg.waitForCalls(1)
    bg.send("SIGKILL")
    await bg.exited
    const c = gauntlet(["runs", "cancel", "run-ctl", "--by", "ops", "--db", db])
    expect(c.status).toBe(0)
    expect(lines(c.stdout)[0]).toMatch(/^run run-ctl: cancelled/)
    const r = gauntlet(["resume", "run-ctl", "--db", db])
    expect(r.status).toBe(EXIT_CODES.policy)
    expectOneErrorLine(r, /run run-ctl is cancelled/)
  })

  it("unknown runs and stores: exit 66 with one line", () => {
    setup(definition(), script([pass]))
    expect(gauntlet(runArgs("run-x")).status).toBe(0)
    for (const args of [
      ["resume", "nope", "--db", db],
      ["runs", "show", "nope", "--db", db],
      ["runs", "approve", "nope", "--by", "a", "--reason", "b", "--db", db]
    ]) {
      const r = gauntlet(args)
      expect(r.status).toBe(66)
      expectOneErrorLine(r, /no run "nope" in event store \S+ \(list runs with: gauntlet runs list --db /)
    }
    const store = gauntlet(["runs", "list", "--db", join(dir, "missing.db")])
    expect(store.status).toBe(66)
    expectOneErrorLine(store, /no event store at /)
  })

  it("runs show refuses a checkpoint that disagrees with the run's events (data-integrity)", () => {
    setup(definition(), script([pass]))
    expect(gauntlet(runArgs("run-tamper")).status).toBe(0)
    const sqlite = new Database(db)
    const row = sqlite.prepare("SELECT state FROM run_checkpoints WHERE run_id = ?").get("run-tamper") as {
      state: string
    }
    const state = JSON.parse(row.state) as { phases: Array<{ name: string; attempts: number }> }
    state.phases[1]!.attempts = 7
    sqlite
      .prepare("UPDATE run_checkpoints SET state = ? WHERE run_id = ?")
      .run(JSON.stringify(state), "run-tamper")
    sqlite.close()
    const r = gauntlet(["runs", "show", "run-tamper", "--db", db])
    expect(r.status).toBe(EXIT_CODES["data-integrity"])
    expectOneErrorLine(
      r,
      /run run-tamper in \S+: checkpoint and events disagree on projection\.phases\.implement\.attempts \(checkpoint 7, events 1\)/
    )
  })
})
