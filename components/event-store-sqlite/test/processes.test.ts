import { spawn } from "node:child_process"
import { dirname, join } from "node:path"
import { fileURLToPath } from "node:url"
import { describe, expect, it } from "@effect/vitest"
import { EventLog } from "@gauntlet/event-stream"
import { Effect, Stream } from "effect"
import { fileLogLayer } from "./fixtures/eventTypes.js"
import { tempStoreFile, withRawDb } from "./fixtures/tempStore.js"

const APPENDER = join(dirname(fileURLToPath(import.meta.url)), "fixtures", "appender.ts")

interface AppenderReport {
  readonly seqs: ReadonlyArray<number>
  readonly errors: ReadonlyArray<string>
}

/** Runs the appender fixture in a real child process (`node --import tsx`) and parses its report. */
const runAppender = (file: string, runId: string, mode: "plain" | "expected", events: number) =>
  Effect.async<AppenderReport, Error>((resume) => {
    const child = spawn(process.execPath, ["--import", "tsx", APPENDER, file, runId, mode, String(events)], {
      stdio: ["ignore", "pipe", "pipe"]
    })
    let out = ""
    let err = ""
    child.stdout.on("data", (chunk) => {
      out += chunk
    })
    child.stderr.on("data", (chunk) => {
      err += chunk
    })
    child.on("close", (code) => {
      if (code === 0) resume(Effect.succeed(JSON.parse(out) as AppenderReport))
      else resume(Effect.fail(new Error(`appender (${mode}) exited ${code}: ${err}`)))
    })
    return Effect.sync(() => child.kill())
  })

describe("EventLogSqlite across processes", () => {
  it.effect(
    "concurrent processes appending to one run get seqs 1..N without gaps, and losers get SeqConflict",
    () =>
      Effect.scoped(
        Effect.gen(function* () {
          const { file } = yield* tempStoreFile
          // Create the schema first so the children race on appends, not on migrations.
          yield* Effect.provide(
            Effect.flatMap(EventLog, (log) => log.head("shared")),
            fileLogLayer(file)
          )
          const reports = yield* Effect.all(
            [
              runAppender(file, "shared", "plain", 60),
              runAppender(file, "shared", "plain", 60),
              runAppender(file, "shared", "expected", 30),
              runAppender(file, "shared", "expected", 30)
            ],
            { concurrency: "unbounded" }
          )
          const stored = reports.flatMap((report) => report.seqs)
          const total = stored.length
          expect(reports.map((report) => report.seqs.length).slice(0, 2)).toEqual([60, 60])
          // Both "expected" writers first append with expectedSeq 0: at most one of them can have won seq 1.
          const expectedWinners = reports.slice(2).filter((report) => report.seqs.length === 31)
          expect(expectedWinners.length).toBeLessThanOrEqual(1)
          for (const winner of expectedWinners) expect(winner.seqs[0]).toBe(1)
          expect(total).toBe(180 + expectedWinners.length)
          expect([...stored].sort((a, b) => a - b)).toEqual(Array.from({ length: total }, (_, i) => i + 1))
          const errors = reports.flatMap((report) => report.errors)
          expect(errors.length).toBeGreaterThanOrEqual(2 - expectedWinners.length)
          expect(new Set(errors)).toEqual(new Set(["SeqConflict"]))
          expect(reports[0]?.errors).toEqual([])
          expect(reports[1]?.errors).toEqual([])
          const rows = withRawDb(file, (db) =>
            db.prepare("SELECT seq FROM events WHERE run_id = ? ORDER BY seq").all("shared")
          )
          expect(rows.length).toBe(total)
          const { verdict, replayed } = yield* Effect.provide(
            Effect.flatMap(EventLog, (log) =>
              Effect.all({
                verdict: log.verifyChain("shared"),
                replayed: Stream.runCount(log.read("shared"))
              })
            ),
            fileLogLayer(file)
          )
          expect(verdict).toMatchObject({ ok: true, count: total, lastSeq: total })
          expect(replayed).toBe(total)
        })
      ),
    120_000
  )
})
