import type { ChainVerification, RunEvent, RunSummary } from "@gauntlet/event-stream"
import { describe, expect, it } from "vitest"
import {
  eventColumns,
  eventHeader,
  eventJsonLine,
  eventRow,
  runsTable,
  shortHash,
  verificationReport
} from "../src/internal/render.js"

const hash = (digit: string) => `sha256:${digit.repeat(64)}`

const event = (seq: number, type: string, actor: string): RunEvent => ({
  id: `0190c6a0-0000-7000-8000-00000000000${seq}`,
  runId: "run-1",
  seq,
  type,
  time: "2026-11-29T10:00:00.000Z",
  actor,
  causationId: null,
  correlationId: "run-1",
  payload: { n: seq },
  prevHash: seq === 1 ? null : hash(String(seq - 1)),
  hash: hash(String(seq))
})

describe("event rows", () => {
  it("aligns seq, time, type, actor and a 12-hex short hash under the header", () => {
    const columns = eventColumns(120)
    const header = eventHeader(columns)
    const rows = [
      event(7, "workflow/started", "kernel"),
      event(8, "phase/completed", "agent:implementer")
    ].map((e) => eventRow(e, columns))
    expect(rows[0]).toBe(
      `  7  2026-11-29T10:00:00.000Z  workflow/started${" ".repeat(8)}kernel${" ".repeat(20)}777777777777`
    )
    // Every column starts at the same offset in the header and in each row.
    for (const title of ["TIME", "TYPE", "ACTOR", "HASH"]) {
      const at = header.indexOf(title)
      expect(at).toBeGreaterThan(0)
      expect(rows[1]![at - 1]).toBe(" ")
    }
    expect(header.indexOf("HASH")).toBe(rows[0]!.indexOf("777777777777"))
  })

  it("cuts values longer than their column with an ellipsis so the hash column stays aligned", () => {
    const columns = eventColumns(9)
    const long = eventRow(
      event(1, "approval.workflow-step/requested", "agent:implementer-with-a-long-name"),
      columns
    )
    const short = eventRow(event(2, "a/b", "x"), columns)
    expect(long).toContain("approval.workflow-ste…")
    expect(long).toContain("agent:implementer-with-…")
    expect(long.indexOf("111111111111")).toBe(short.indexOf("222222222222"))
  })

  it("sizes the seq column from the head seq", () => {
    expect(eventColumns(5).seq).toBe(3)
    expect(eventColumns(1_000_000).seq).toBe(7)
    expect(eventRow(event(1, "a/b", "x"), eventColumns(1_000_000)).startsWith("      1  ")).toBe(true)
  })

  it("short hashes drop the algorithm prefix", () => {
    expect(shortHash(hash("a"))).toBe("aaaaaaaaaaaa")
    expect(shortHash(null)).toBe("-")
  })

  it("JSON lines are the envelope, parseable back to the same value", () => {
    const e = event(2, "gate/passed", "gate:L0")
    expect(JSON.parse(eventJsonLine(e))).toEqual(e)
    expect(eventJsonLine(e)).not.toContain("\n")
  })
})

describe("runs table", () => {
  it("pads every column to its widest cell and right-aligns counts", () => {
    const runs: ReadonlyArray<RunSummary> = [
      {
        runId: "r-long-run-id",
        events: 1200,
        firstTime: "t1",
        lastTime: "t2",
        lastType: "workflow/completed"
      },
      { runId: "r2", events: 3, firstTime: "t3", lastTime: "t4", lastType: "phase/started" }
    ]
    expect(runsTable(runs)).toEqual([
      "RUN            EVENTS  FIRST  LAST  LAST TYPE",
      "r-long-run-id    1200  t1     t2    workflow/completed",
      "r2                  3  t3     t4    phase/started"
    ])
  })
})

describe("verification report", () => {
  it("reports ok with count and the head/tail anchors", () => {
    const ok: ChainVerification = {
      ok: true,
      runId: "run-1",
      count: 12,
      firstHash: hash("a"),
      lastHash: hash("b"),
      lastSeq: 12
    }
    expect(verificationReport(ok, "/s.db")).toEqual([
      "ok: run run-1 in /s.db: 12 events, chain intact",
      `  head  seq  1  ${hash("a")}`,
      `  tail  seq 12  ${hash("b")}`
    ])
  })

  it("reports the first broken seq, the reason and the detail", () => {
    const broken: ChainVerification = {
      ok: false,
      runId: "run-1",
      count: 2,
      brokenSeq: 3,
      reason: "hash-mismatch",
      detail: "stored hash x but the stored bytes hash to y"
    }
    expect(verificationReport(broken, "/s.db")).toEqual([
      "BROKEN: run run-1 in /s.db: chain broken at seq 3 (hash-mismatch)",
      "  detail: stored hash x but the stored bytes hash to y",
      "  events verified before the break: 2"
    ])
  })
})
