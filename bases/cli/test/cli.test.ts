/**
 * End-to-end tests of the bundled `gauntlet` executable: the bundle is built once per test run by the vitest global
 * setup (scripts/test/build-cli.global.ts, running scripts/build-cli.mjs), then
 * every test spawns `node projects/gauntlet/bin/gauntlet.mjs …` as a real process against SQLite files written
 * through the real SQLite event store in this process.
 */
import { execFileSync, spawn, spawnSync } from "node:child_process"
import {
  copyFileSync,
  existsSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  statSync,
  truncateSync,
  writeFileSync
} from "node:fs"
import { tmpdir } from "node:os"
import { join, resolve } from "node:path"
import { Ids } from "@gauntlet/canonical"
import { EventLogSqlite } from "@gauntlet/event-store-sqlite"
import { defineEventType, type EventDraft, EventLog, EventTypes, type RunEvent } from "@gauntlet/event-stream"
import { EXIT_CODES } from "@gauntlet/failure"
import Database from "better-sqlite3"
import { Effect, Layer, Schema } from "effect"
import { afterAll, beforeAll, describe, expect, it } from "vitest"

const root = resolve(import.meta.dirname, "../../..")
const bin = join(root, "projects/gauntlet/bin/gauntlet.mjs")
const version = JSON.parse(readFileSync(join(root, "projects/gauntlet/package.json"), "utf8"))
  .version as string

const StepDone = defineEventType({
  type: "test.step/done",
  version: 1,
  description: "A test step finished.",
  payload: Schema.Struct({ n: Schema.Number, note: Schema.String })
})
const RunOpened = defineEventType({
  type: "test.run/opened",
  version: 1,
  description: "A test run opened.",
  payload: Schema.Struct({ title: Schema.String })
})

const storeLayer = (file: string) =>
  EventLogSqlite.layerFile(file).pipe(
    Layer.provide(Layer.merge(EventTypes.layer([StepDone, RunOpened]), Ids.layer))
  )

const drafts = (runId: string, from: number, count: number): ReadonlyArray<EventDraft> =>
  Array.from({ length: count }, (_, i) =>
    from + i === 1
      ? { runId, type: "test.run/opened", actor: "kernel", payload: { title: `run ${runId}` } }
      : {
          runId,
          type: "test.step/done",
          actor: (from + i) % 2 === 0 ? "agent:implementer" : "gate:L0",
          payload: { n: from + i, note: `step ${from + i} ${"x".repeat(200)}` }
        }
  )

/** Appends `count` events to `runId` (continuing its seq) through the real SQLite store, then closes it. */
const append = (file: string, runId: string, count: number): Promise<ReadonlyArray<RunEvent>> =>
  Effect.runPromise(
    Effect.gen(function* () {
      const log = yield* EventLog
      const head = yield* log.head(runId)
      return yield* log.appendBatch(drafts(runId, head.seq + 1, count))
    }).pipe(Effect.provide(storeLayer(file)))
  )

interface Result {
  readonly status: number | null
  readonly stdout: string
  readonly stderr: string
}

let work: string

const gauntlet = (args: ReadonlyArray<string>): Result => {
  const r = spawnSync(process.execPath, [bin, ...args], {
    cwd: work,
    encoding: "utf8",
    env: { ...process.env, GAUNTLET_DEBUG: "" },
    timeout: 30_000
  })
  return { status: r.status, stdout: r.stdout, stderr: r.stderr }
}

const lines = (text: string) => text.split("\n").filter((line) => line.length > 0)

/** One clear line on stderr: no stack frames, no multi-line dumps. */
const expectOneErrorLine = (r: Result, text: string | RegExp) => {
  const err = lines(r.stderr)
  expect(err).toHaveLength(1)
  expect(err[0]).toMatch(
    typeof text === "string" ? new RegExp(text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")) : text
  )
  expect(r.stderr).not.toMatch(/^\s+at /m)
}

let db: string
let run1: ReadonlyArray<RunEvent>

beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), "gauntlet-cli-"))
  db = join(work, "state.db")
  run1 = await append(db, "run-1", 12)
  await append(db, "run-2", 3)
  // The store closed cleanly: everything is in the main file, nothing pending in a WAL.
  expect(existsSync(`${db}-wal`) ? statSync(`${db}-wal`).size : 0).toBe(0)
}, 120_000)

afterAll(() => {
  if (work) rmSync(work, { recursive: true, force: true })
})

describe("gauntlet --version / --help", () => {
  it("--version prints the package version and exits 0", () => {
    const r = gauntlet(["--version"])
    expect(r).toEqual({ status: 0, stdout: `${version}\n`, stderr: "" })
  })

  it("the entry chunk loads nothing else eagerly: commands and Effect are dynamic imports", () => {
    const main = readFileSync(join(root, "projects/gauntlet/dist/main.js"), "utf8")
    expect(main).not.toMatch(/(^|[;\n])\s*import\s*[^(]*?from\s*["']\.\//)
    expect(main).toMatch(/import\(["']\.\/chunks\/app-[\w-]+\.js["']\)/)
    expect(main.length).toBeLessThan(2000)
  })

  it("--help lists every command, as plain text when piped", () => {
    const r = gauntlet(["--help"])
    expect(r.status).toBe(0)
    for (const command of ["events list", "events tail", "events verify", "events runs", "conformance run"]) {
      expect(r.stdout).toContain(command)
    }
    expect(r.stdout).not.toContain("\u001b[")
  })

  it("every subcommand has --help", () => {
    for (const command of [
      ["events"],
      ["events", "list"],
      ["events", "tail"],
      ["events", "verify"],
      ["events", "runs"]
    ]) {
      const r = gauntlet([...command, "--help"])
      expect(r.status).toBe(0)
      expect(r.stdout).toContain("USAGE")
    }
    expect(gauntlet(["events", "tail", "--help"]).stdout).toContain("--follow")
  })
})

describe("gauntlet events list / runs / tail", () => {
  it("lists a run as aligned columns: seq, time, type, actor, short hash", () => {
    const r = gauntlet(["events", "list", "--run", "run-1", "--db", db])
    expect(r.status).toBe(0)
    expect(r.stderr).toBe("")
    const out = lines(r.stdout)
    expect(out).toHaveLength(13)
    expect(out[0]).toMatch(/^SEQ\s+TIME\s+TYPE\s+ACTOR\s+HASH$/)
    const hashColumn = out[0]!.indexOf("HASH")
    out.slice(1).forEach((line, i) => {
      const event = run1[i]!
      expect(line.trimStart().startsWith(`${event.seq}  ${event.time}  ${event.type}`)).toBe(true)
      expect(line).toContain(event.actor)
      expect(line.slice(hashColumn)).toBe(event.hash.slice(7, 19))
    })
  })

  it("--json prints one stored envelope per line, exactly as appended", () => {
    const r = gauntlet(["events", "list", "--run", "run-1", "--db", db, "--json"])
    expect(r.status).toBe(0)
    expect(lines(r.stdout).map((line) => JSON.parse(line))).toEqual(run1)
  })

  it("reads .gauntlet/state.db under the cwd by default", () => {
    const cwdStore = join(work, ".gauntlet")
    execFileSync("mkdir", ["-p", cwdStore])
    copyFileSync(db, join(cwdStore, "state.db"))
    const r = gauntlet(["events", "list", "--run", "run-2", "--json"])
    expect(r.status).toBe(0)
    expect(lines(r.stdout)).toHaveLength(3)
  })

  it("events runs lists the runs with counts, human and JSON", () => {
    const human = gauntlet(["events", "runs", "--db", db])
    expect(human.status).toBe(0)
    const out = lines(human.stdout)
    expect(out[0]).toMatch(/^RUN\s+EVENTS\s+FIRST\s+LAST\s+LAST TYPE$/)
    expect(out.slice(1).map((line) => line.split(/\s+/).slice(0, 2))).toEqual(
      expect.arrayContaining([
        ["run-1", "12"],
        ["run-2", "3"]
      ])
    )
    const json = gauntlet(["events", "runs", "--db", db, "--json"])
    const runs = lines(json.stdout).map((line) => JSON.parse(line))
    expect(runs.map((run) => [run.runId, run.events]).sort()).toEqual([
      ["run-1", 12],
      ["run-2", 3]
    ])
  })

  it("tail prints the last 10 events, or from --from-seq", () => {
    const last = gauntlet(["events", "tail", "--run", "run-1", "--db", db, "--json"])
    expect(last.status).toBe(0)
    expect(lines(last.stdout).map((line) => JSON.parse(line).seq)).toEqual([3, 4, 5, 6, 7, 8, 9, 10, 11, 12])
    const from = gauntlet(["events", "tail", "--run", "run-1", "--db", db, "--json", "--from-seq", "11"])
    expect(lines(from.stdout).map((line) => JSON.parse(line).seq)).toEqual([11, 12])
  })

  it("a reader closing the pipe early ends the listing quietly with exit 0", async () => {
    const many = join(work, "many.db")
    await append(many, "many", 600)
    const r = spawnSync(
      "bash",
      [
        "-o",
        "pipefail",
        "-c",
        `"${process.execPath}" "${bin}" events list --run many --db "${many}" --json | head -n 2`
      ],
      { cwd: work, encoding: "utf8", timeout: 30_000 }
    )
    expect(r.status).toBe(0)
    expect(lines(r.stdout).map((line) => JSON.parse(line).seq)).toEqual([1, 2])
    expect(r.stderr).toBe("")
  })

  /**
   * Starts `events tail --follow` (JSON lines, or the human table with `json: false`); `seen(n)` waits (up to 10 s)
   * for n lines, `stop()` sends SIGINT and returns the exit code and the seqs printed.
   */
  const follow = (args: ReadonlyArray<string>, json = true) => {
    const child = spawn(
      process.execPath,
      [bin, "events", "tail", "-f", "--poll-ms", "50", ...(json ? ["--json"] : []), ...args],
      { cwd: work }
    )
    let stdout = ""
    let stderr = ""
    child.stdout.on("data", (chunk) => {
      stdout += chunk
    })
    child.stderr.on("data", (chunk) => {
      stderr += chunk
    })
    const exited = new Promise<number | null>((done) => child.on("exit", (code) => done(code)))
    const seen = async (count: number) => {
      for (let i = 0; i < 200 && lines(stdout).length < count; i++)
        await new Promise((r) => setTimeout(r, 50))
      return lines(stdout).length
    }
    const stop = async () => {
      child.kill("SIGINT")
      const printed = json ? lines(stdout) : lines(stdout).slice(1)
      const seqs = printed.map((line) => (json ? JSON.parse(line).seq : Number(line.trim().split(/\s+/)[0])))
      return { code: await exited, seqs, stderr }
    }
    return { seen, stop }
  }

  it("tail --follow prints events appended by another process until SIGINT (exit 130)", async () => {
    const followed = join(work, "follow.db")
    await append(followed, "live", 2)
    const tail = follow(["--run", "live", "--db", followed])
    expect(await tail.seen(2)).toBe(2)
    await append(followed, "live", 3)
    expect(await tail.seen(5)).toBe(5)
    expect(await tail.stop()).toEqual({ code: 130, seqs: [1, 2, 3, 4, 5], stderr: "" })
  })

  it("tail --follow waits for a run that has no events yet", async () => {
    const followed = join(work, "follow-later.db")
    await append(followed, "other", 1)
    const tail = follow(["--run", "later", "--db", followed], false)
    // The header is printed once the run's head was read (empty), so the append below comes while polling.
    expect(await tail.seen(1)).toBe(1)
    await append(followed, "later", 2)
    expect(await tail.seen(3)).toBe(3)
    expect(await tail.stop()).toEqual({ code: 130, seqs: [1, 2], stderr: "" })
  })
})

describe("gauntlet events verify", () => {
  it("ok: count and the head/tail hashes", () => {
    const r = gauntlet(["events", "verify", "--run", "run-1", "--db", db])
    expect(r.status).toBe(0)
    const out = lines(r.stdout)
    expect(out[0]).toBe(`ok: run run-1 in ${db}: 12 events, chain intact`)
    expect(r.stdout).toContain(run1[0]!.hash)
    expect(r.stdout).toContain(run1[11]!.hash)
    const json = JSON.parse(gauntlet(["events", "verify", "--run", "run-1", "--db", db, "--json"]).stdout)
    expect(json).toEqual({
      ok: true,
      runId: "run-1",
      count: 12,
      firstHash: run1[0]!.hash,
      lastHash: run1[11]!.hash,
      lastSeq: 12,
      store: db
    })
  })

  it("a payload byte edited by hand: names the first broken seq, exits with the data-integrity code", () => {
    const tampered = join(work, "tampered.db")
    copyFileSync(db, tampered)
    const sqlite = new Database(tampered)
    const edit = sqlite
      .prepare(
        "UPDATE events SET canonical = replace(canonical, 'step 5 ', 'step 6 ') WHERE run_id = ? AND seq = 5"
      )
      .run("run-1")
    sqlite.close()
    expect(edit.changes).toBe(1)

    const r = gauntlet(["events", "verify", "--run", "run-1", "--db", tampered])
    expect(r.status).toBe(EXIT_CODES["data-integrity"])
    expect(lines(r.stdout)[0]).toBe(`BROKEN: run run-1 in ${tampered}: chain broken at seq 5 (hash-mismatch)`)
    expect(r.stdout).toContain("events verified before the break: 4")
    expectOneErrorLine(
      r,
      `gauntlet: event chain of run "run-1" in ${tampered} is broken at seq 5 (hash-mismatch)`
    )

    const json = gauntlet(["events", "verify", "--run", "run-1", "--db", tampered, "--json"])
    expect(json.status).toBe(EXIT_CODES["data-integrity"])
    expect(JSON.parse(json.stdout)).toMatchObject({
      ok: false,
      brokenSeq: 5,
      reason: "hash-mismatch",
      count: 4
    })
    // The other run is untouched and still verifies.
    expect(gauntlet(["events", "verify", "--run", "run-2", "--db", tampered]).status).toBe(0)
  })
})

describe("gauntlet conformance run", () => {
  const golden = (dir: string, files: Record<string, unknown>) => {
    for (const [file, body] of Object.entries(files)) {
      execFileSync("mkdir", ["-p", join(dir, file, "..")])
      writeFileSync(join(dir, file), `${JSON.stringify(body, null, 2)}\n`)
    }
    return dir
  }
  const zero = {
    requirement: "N0-R4",
    description: "IEEE-754 zero serializes as 0",
    input: { ieee754: "0000000000000000" },
    expected: { canonical: "0" }
  }

  it("passes matching cases, exit 0", () => {
    const dir = golden(join(work, "golden-ok"), { "jcs/zero.json": zero })
    const r = gauntlet(["conformance", "run", "--dir", dir])
    expect(r.status).toBe(0)
    expect(lines(r.stdout)).toEqual([
      "PASS     N0-R4    jcs/zero.json  IEEE-754 zero serializes as 0",
      "ok: 1 passed, 0 failed, 0 skipped, 0 updated"
    ])
    const json = JSON.parse(gauntlet(["conformance", "run", "--dir", dir, "--json"]).stdout)
    expect(json).toMatchObject({ passed: 1, failed: 0, skipped: 0, ok: true })
  })

  it("a mismatch fails the run with the task-code exit code and shows the difference", () => {
    const dir = golden(join(work, "golden-bad"), {
      "jcs/zero.json": zero,
      "jcs/wrong.json": { ...zero, description: "wrong on purpose", expected: { canonical: "1" } }
    })
    const r = gauntlet(["conformance", "run", "--dir", dir])
    expect(r.status).toBe(EXIT_CODES["task-code"])
    expect(r.stdout).toContain("FAIL     N0-R4    jcs/wrong.json  wrong on purpose")
    expect(lines(r.stdout).at(-1)).toBe("FAILED: 1 passed, 1 failed, 0 skipped, 0 updated")
    expectOneErrorLine(r, `gauntlet: conformance suite ${dir}: 1 case(s) failed, 0 skipped`)
  })

  it("an area without adapter is skipped, and fails in --certified mode", () => {
    const dir = golden(join(work, "golden-skip"), {
      "jcs/zero.json": zero,
      "no-such-area/case.json": { ...zero, description: "nobody answers this" }
    })
    const plain = gauntlet(["conformance", "run", "--dir", dir])
    expect(plain.status).toBe(0)
    expect(plain.stdout).toContain("SKIP     N0-R4    no-such-area/case.json")
    const certified = gauntlet(["conformance", "run", "--dir", dir, "--certified"])
    expect(certified.status).toBe(EXIT_CODES["task-code"])
    expect(lines(certified.stdout).at(-1)).toBe(
      "FAILED: 1 passed, 1 failed, 0 skipped, 0 updated (certified)"
    )
  })

  it("an invalid golden file is a data-integrity error naming the file", () => {
    const dir = golden(join(work, "golden-invalid"), { "jcs/broken.json": { description: "no requirement" } })
    const r = gauntlet(["conformance", "run", "--dir", dir])
    expect(r.status).toBe(EXIT_CODES["data-integrity"])
    expect(r.stderr).toContain("broken.json")
    expect(r.stderr).not.toMatch(/^\s+at /m)
  })
})

describe("errors: one line on stderr and the right exit code", () => {
  it("a truncated store → data-integrity", async () => {
    const big = join(work, "big.db")
    await append(big, "bulk", 400)
    const truncated = join(work, "truncated.db")
    copyFileSync(big, truncated)
    truncateSync(truncated, Math.floor(statSync(big).size / 2))
    for (const command of [
      ["events", "verify", "--run", "bulk"],
      ["events", "list", "--run", "bulk"]
    ]) {
      const r = gauntlet([...command, "--db", truncated])
      expect(r.status).toBe(EXIT_CODES["data-integrity"])
      expectOneErrorLine(r, new RegExp(`^gauntlet: event store ${truncated}: corrupt: `))
    }
  })

  it("a file that is not SQLite → data-integrity", () => {
    const notSqlite = join(work, "notes.txt")
    writeFileSync(notSqlite, "these are my notes, not a database\n".repeat(200))
    const r = gauntlet(["events", "list", "--run", "run-1", "--db", notSqlite])
    expect(r.status).toBe(EXIT_CODES["data-integrity"])
    expectOneErrorLine(r, new RegExp(`^gauntlet: event store ${notSqlite}: corrupt: .*not a database`))
  })

  it("a missing store → 'no event store at <path>', exit 66, and no file is created", () => {
    const missing = join(work, "nope", "state.db")
    const r = gauntlet(["events", "list", "--run", "run-1", "--db", missing])
    expect(r.status).toBe(66)
    expectOneErrorLine(r, `gauntlet: no event store at ${missing}`)
    expect(existsSync(missing)).toBe(false)
  })

  it("an unknown run → exit 66 naming the run and the store", () => {
    for (const command of ["list", "verify", "tail"]) {
      const r = gauntlet(["events", command, "--run", "no-such-run", "--db", db])
      expect(r.status).toBe(66)
      expectOneErrorLine(r, `gauntlet: no run "no-such-run" in event store ${db}`)
    }
  })

  it("bad arguments → usage code 2", () => {
    const bad: ReadonlyArray<ReadonlyArray<string>> = [
      ["events", "list"],
      ["events", "list", "--run"],
      ["events", "list", "--run", "run-1", "--bogus"],
      ["events", "tail", "--run", "run-1", "--from-seq", "abc"],
      ["events", "tail", "--run", "run-1", "--db", db, "--from-seq", "0"],
      ["events", "runs", "--db", db, "--limit", "-1"],
      ["no-such-command"]
    ]
    for (const args of bad) {
      const r = gauntlet(args)
      expect({ args, status: r.status }).toEqual({ args, status: EXIT_CODES.usage })
      expect(r.stdout).toBe("")
      expect(lines(r.stderr).length).toBeGreaterThan(0)
      expect(r.stderr).not.toMatch(/^\s+at /m)
    }
  })
})
