import type { ChainVerification, RunEvent, RunSummary } from "@gauntlet/event-stream"

/** Column widths for the human event listing; the seq column is sized from the run's head seq. */
export interface EventColumns {
  readonly seq: number
  readonly type: number
  readonly actor: number
}

const TYPE_WIDTH = 22
const ACTOR_WIDTH = 24
const SHORT_HASH = 12

/** Pads to `width`, cutting longer values to `width` with a trailing `…` so later columns stay aligned. */
const fit = (text: string, width: number): string =>
  text.length > width ? `${text.slice(0, width - 1)}…` : text.padEnd(width)

/** Column widths for a run whose last seq is `headSeq` (events stream, so widths are fixed up front). */
export const eventColumns = (headSeq: number): EventColumns => ({
  seq: Math.max(3, String(Math.max(headSeq, 1)).length),
  type: TYPE_WIDTH,
  actor: ACTOR_WIDTH
})

/** `sha256:0123456789abcdef…` → `0123456789ab` (enough to tell events apart on screen). */
export const shortHash = (hash: string | null): string =>
  hash === null ? "-" : hash.slice(hash.indexOf(":") + 1, hash.indexOf(":") + 1 + SHORT_HASH)

/** Header line of the human event listing. */
export const eventHeader = (columns: EventColumns): string =>
  [
    "SEQ".padStart(columns.seq),
    "TIME".padEnd(24),
    "TYPE".padEnd(columns.type),
    "ACTOR".padEnd(columns.actor),
    "HASH"
  ].join("  ")

/** One event as an aligned human row: seq, time, type, actor, short hash (`--json` has the full values). */
export const eventRow = (event: RunEvent, columns: EventColumns): string =>
  [
    String(event.seq).padStart(columns.seq),
    event.time.padEnd(24),
    fit(event.type, columns.type),
    fit(event.actor, columns.actor),
    shortHash(event.hash)
  ].join("  ")

/** One event envelope as a JSON line (the stored envelope, `hash` included). */
export const eventJsonLine = (event: RunEvent): string => JSON.stringify(event)

/** The human table of runs, columns sized to the widest value. */
export const runsTable = (runs: ReadonlyArray<RunSummary>): ReadonlyArray<string> => {
  const header = ["RUN", "EVENTS", "FIRST", "LAST", "LAST TYPE"] as const
  const rows = runs.map((run) => [run.runId, String(run.events), run.firstTime, run.lastTime, run.lastType])
  const widths = header.map((title, i) => Math.max(title.length, ...rows.map((row) => row[i]!.length)))
  const line = (cells: ReadonlyArray<string>) =>
    cells
      .map((cell, i) =>
        i === 1 ? cell.padStart(widths[i]!) : i === cells.length - 1 ? cell : cell.padEnd(widths[i]!)
      )
      .join("  ")
  return [line(header), ...rows.map(line)]
}

/** The human report of a chain verification: ok with count and anchors, or the first broken seq and why. */
export const verificationReport = (verdict: ChainVerification, store: string): ReadonlyArray<string> =>
  verdict.ok
    ? [
        `ok: run ${verdict.runId} in ${store}: ${verdict.count} event${verdict.count === 1 ? "" : "s"}, chain intact`,
        ...anchorLines(verdict.lastSeq, verdict.firstHash, verdict.lastHash)
      ]
    : [
        `BROKEN: run ${verdict.runId} in ${store}: chain broken at seq ${verdict.brokenSeq} (${verdict.reason})`,
        `  detail: ${verdict.detail}`,
        `  events verified before the break: ${verdict.count}`
      ]

const anchorLines = (
  lastSeq: number,
  firstHash: string | null,
  lastHash: string | null
): ReadonlyArray<string> => {
  const width = String(Math.max(lastSeq, 1)).length
  return [
    `  head  seq ${"1".padStart(width)}  ${firstHash ?? "-"}`,
    `  tail  seq ${String(lastSeq).padStart(width)}  ${lastHash ?? "-"}`
  ]
}
