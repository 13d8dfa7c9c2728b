import type { Statement } from "@gauntlet/signing"
import { runTrace } from "./queries.js"
import type { BundleVerification } from "./verify.js"

/** Export formats of `gauntlet evidence export`. */
export type ExportFormat = "json" | "md" | "html"

/** What an export shows: the verification verdict, the trace and every statement's predicate. */
export interface EvidenceReport {
  readonly verification: BundleVerification
  readonly statements: ReadonlyArray<Statement>
}

const verdictLine = (v: BundleVerification): string =>
  v.ok
    ? `verified: ${v.statements} statements signed by ${v.signers.join(", ")}; event chain ${v.eventsChecked ? "checked" : "not checked"} (${v.anchor.count} events)`
    : `NOT VERIFIED: statement ${v.index}, field ${v.field}: ${v.reason} — ${v.detail}`

const mdCell = (s: string): string => s.replace(/\|/g, "\\|").replace(/\r?\n/g, " ")

/** A JSON document: `{ verification, trace, statements: [{ predicateType, predicate }] }`, 2-space indented. */
const toJson = (report: EvidenceReport): string =>
  `${JSON.stringify(
    {
      verification: report.verification,
      trace: runTrace(report.statements),
      statements: report.statements.map((s) => ({
        predicateType: s.predicateType,
        subject: s.subject,
        predicate: s.predicate
      }))
    },
    null,
    2
  )}\n`

const toMarkdown = (report: EvidenceReport): string => {
  const t = runTrace(report.statements)
  const out: Array<string> = [
    `# Evidence for run ${mdCell(t.runId)}`,
    "",
    `**${mdCell(verdictLine(report.verification))}**`,
    "",
    `- Workflow: ${mdCell(t.workflow ?? "—")}`,
    `- Intent: ${mdCell(t.intent ?? "—")}`,
    `- Spec: ${mdCell(t.specDigest ?? "—")}`,
    `- Started: ${t.startedOn ?? "—"}; finished: ${t.finishedOn ?? "—"}`,
    `- Outcome: ${mdCell(t.outcome.status)}${t.outcome.failureClass ? ` (${t.outcome.failureClass})` : ""}${t.outcome.reason ? ` — ${mdCell(t.outcome.reason)}` : ""}`,
    "",
    "## Phases",
    "",
    "| Phase | Attempts | Agent | Gates |",
    "|---|---|---|---|",
    ...t.phases.map(
      (p) =>
        `| ${mdCell(p.phase)} | ${p.attempts} | ${mdCell(p.agent ?? "—")} | ${mdCell(p.gates.map((g) => `${g.gate} (${g.layer}): ${g.result}`).join(", ") || "—")} |`
    ),
    "",
    "## Artifacts",
    "",
    "| Name | Digest | Phase |",
    "|---|---|---|",
    ...t.artifacts.map((a) => `| ${mdCell(a.name)} | \`${mdCell(a.digest)}\` | ${mdCell(a.phase ?? "—")} |`),
    "",
    "## Statements",
    "",
    ...report.statements.map((s, i) => `${i}. \`${s.predicateType}\``),
    ""
  ]
  return `${out.join("\n")}\n`
}

/** Escapes text for HTML element content and attribute values. */
export const escapeHtml = (s: string): string =>
  s.replace(
    /[&<>"']/g,
    (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c] ?? c
  )

const toHtml = (report: EvidenceReport): string => {
  const t = runTrace(report.statements)
  const e = escapeHtml
  const ok = report.verification.ok
  const rows = (cells: ReadonlyArray<ReadonlyArray<string>>) =>
    cells.map((r) => `<tr>${r.map((c) => `<td>${e(c)}</td>`).join("")}</tr>`).join("\n")
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">
<title>Evidence for run ${e(t.runId)}</title>
<style>
body{font-family:system-ui,sans-serif;margin:2rem;max-width:70rem;color:#222}
table{border-collapse:collapse;margin:1rem 0}td,th{border:1px solid #ccc;padding:.3rem .6rem;text-align:left;vertical-align:top}
.ok{color:#0a6b0a}.bad{color:#b00020}code,pre{font-family:ui-monospace,monospace;font-size:.85rem}pre{background:#f6f6f6;padding:.6rem;overflow:auto}
</style>
</head>
<body>
<h1>Evidence for run <code>${e(t.runId)}</code></h1>
<p class="${ok ? "ok" : "bad"}"><strong>${e(verdictLine(report.verification))}</strong></p>
<table>
${rows([
  ["Workflow", t.workflow ?? "—"],
  ["Intent", t.intent ?? "—"],
  ["Spec", t.specDigest ?? "—"],
  ["Started", t.startedOn ?? "—"],
  ["Finished", t.finishedOn ?? "—"],
  [
    "Outcome",
    `${t.outcome.status}${t.outcome.failureClass ? ` (${t.outcome.failureClass})` : ""}${t.outcome.reason ? ` — ${t.outcome.reason}` : ""}`
  ]
])}
</table>
<h2>Phases</h2>
<table>
<tr><th>Phase</th><th>Attempts</th><th>Agent</th><th>Gates</th></tr>
${rows(t.phases.map((p) => [p.phase, String(p.attempts), p.agent ?? "—", p.gates.map((g) => `${g.gate} (${g.layer}): ${g.result}`).join(", ") || "—"]))}
</table>
<h2>Artifacts</h2>
<table>
<tr><th>Name</th><th>Digest</th><th>Phase</th></tr>
${rows(t.artifacts.map((a) => [a.name, a.digest, a.phase ?? "—"]))}
</table>
<h2>Statements</h2>
${report.statements.map((s, i) => `<details><summary>${i}. <code>${e(s.predicateType)}</code></summary><pre>${e(JSON.stringify(s.predicate, null, 2))}</pre></details>`).join("\n")}
</body>
</html>
`
}

/** Renders a verified (or refused) bundle as JSON, Markdown or a self-contained HTML page (every value escaped). */
export const exportEvidence = (report: EvidenceReport, format: ExportFormat): string =>
  format === "json" ? toJson(report) : format === "md" ? toMarkdown(report) : toHtml(report)
