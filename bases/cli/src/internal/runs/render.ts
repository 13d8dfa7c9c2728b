import type { ApprovalRecord, RunRecord } from "@gauntlet/run-store"
import type { RunOutcome, RunProjection } from "@gauntlet/workflow"

/** How to continue a run from the CLI (printed whenever a run stops without finishing). */
export const resumeHint = (runId: string, db: string): string => `gauntlet resume ${runId} --db ${db}`

/** How to decide a pending approval from the CLI. */
export const approveHint = (runId: string, db: string): string =>
  `gauntlet runs approve ${runId} --by <you> --reason <why> --db ${db} (or runs reject)`

/** One human line for where a run stopped. */
export const outcomeLine = (outcome: RunOutcome): string => {
  const phase = outcome.phase === undefined ? "" : ` (phase ${outcome.phase})`
  switch (outcome.status) {
    case "failed":
      return `run ${outcome.runId}: failed${phase}: ${outcome.failureClass ?? "unknown"}: ${outcome.reason ?? ""}`
    case "awaiting-approval":
      return `run ${outcome.runId}: awaiting approval ${outcome.approvalId ?? "?"}${phase}`
    default:
      return `run ${outcome.runId}: ${outcome.status}${phase}`
  }
}

const fit = (text: string, width: number): string =>
  text.length > width ? `${text.slice(0, width - 1)}…` : text.padEnd(width)

/** `runs list` as aligned rows: run, workflow@version, status, created, updated. */
export const runRecordsTable = (runs: ReadonlyArray<RunRecord>): ReadonlyArray<string> => [
  ["RUN".padEnd(36), "WORKFLOW".padEnd(28), "STATUS".padEnd(17), "CREATED".padEnd(24), "UPDATED"].join("  "),
  ...runs.map((run) =>
    [
      fit(run.runId, 36),
      fit(`${run.workflowId}@${run.workflowVersion}`, 28),
      run.status.padEnd(17),
      run.createdAt.padEnd(24),
      run.updatedAt
    ].join("  ")
  )
]

/** `runs list --json`: one summary object per run (no engine state). */
export const runRecordJson = (run: RunRecord): string =>
  JSON.stringify({
    runId: run.runId,
    workflowId: run.workflowId,
    workflowVersion: run.workflowVersion,
    specDigest: run.specDigest,
    status: run.status,
    version: run.version,
    createdAt: run.createdAt,
    updatedAt: run.updatedAt
  })

/** What `runs show` reports about one run. */
export interface RunReport {
  readonly run: RunRecord
  readonly projection: RunProjection
  /** Every phase of the definition, in order (phases not yet reached are `pending` with 0 attempts). */
  readonly phases: ReadonlyArray<{
    readonly name: string
    readonly status: string
    readonly attempts: number
  }>
  readonly pendingApproval: ApprovalRecord | null
  readonly launched: boolean
}

/** `runs show` as human lines. */
export const runReportLines = (report: RunReport, db: string): ReadonlyArray<string> => {
  const { run, projection } = report
  const spent = projection.budgetSpent
  const lines = [
    `run:        ${run.runId}`,
    `workflow:   ${run.workflowId}@${run.workflowVersion} (spec ${run.specDigest})`,
    `status:     ${projection.status}`,
    `created:    ${run.createdAt}`,
    `updated:    ${run.updatedAt}`,
    `spent:      tokens ${spent.tokens}, cost $${spent.costUsd}, wall ${spent.wallMs} ms, iterations ${spent.iterations}`,
    "phases:",
    ...report.phases.map(
      (p) =>
        `  ${p.name.padEnd(20)} ${p.status.padEnd(10)} ${p.attempts} attempt${p.attempts === 1 ? "" : "s"}`
    )
  ]
  if (projection.failure !== null) {
    const where = projection.failure.phase === undefined ? "" : ` in phase ${projection.failure.phase}`
    lines.push(`failure:    ${projection.failure.failureClass}${where}: ${projection.failure.reason}`)
  }
  const approval = report.pendingApproval
  if (approval !== null) {
    lines.push(
      `approval:   ${approval.approvalId} pending for phase ${approval.phase} since ${approval.requestedAt}`,
      `  reason:   ${approval.reason}`,
      `  decide:   ${approveHint(run.runId, db)}`
    )
  }
  if (projection.status === "running" || projection.status === "paused")
    lines.push(`resume:     ${resumeHint(run.runId, db)}`)
  return lines
}

/** `runs show --json`: one object. */
export const runReportJson = (report: RunReport): string =>
  JSON.stringify({
    runId: report.run.runId,
    workflowId: report.run.workflowId,
    workflowVersion: report.run.workflowVersion,
    specDigest: report.run.specDigest,
    status: report.projection.status,
    currentPhase: report.projection.currentPhase,
    phases: report.phases,
    pendingApproval: report.pendingApproval,
    budgetSpent: report.projection.budgetSpent,
    failure: report.projection.failure,
    createdAt: report.run.createdAt,
    updatedAt: report.run.updatedAt,
    resumableFromCli: report.launched
  })

/** The first field (a dotted path) where two JSON values differ, with both sides; `undefined` when equal. */
export const firstDifference = (
  a: unknown,
  b: unknown,
  path = "projection"
): { readonly field: string; readonly left: string; readonly right: string } | undefined => {
  if (typeof a === "object" && a !== null && typeof b === "object" && b !== null) {
    const keys = [...new Set([...Object.keys(a), ...Object.keys(b)])].sort()
    for (const key of keys) {
      const found = firstDifference(
        (a as Record<string, unknown>)[key],
        (b as Record<string, unknown>)[key],
        `${path}.${key}`
      )
      if (found !== undefined) return found
    }
    return undefined
  }
  return Object.is(a, b)
    ? undefined
    : { field: path, left: JSON.stringify(a) ?? "absent", right: JSON.stringify(b) ?? "absent" }
}
