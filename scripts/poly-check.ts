/**
 * Polylith boundary check (`npm run boundaries`): reads components/*, bases/* and projects/* and reports every
 * deep import, undeclared dependency, missing tsconfig reference, forbidden direction (component→base, base→base,
 * →project), cycle between bricks, non-re-export statement in src/index.ts and non-standard `exports` map, with
 * file:line. Exit code 1 with all findings; 0 with a one-line summary.
 *
 * Usage: tsx scripts/poly-check.ts [workspace root, default: the current directory]
 */
import { formatFinding } from "./poly-check/model.js"
import { readWorkspace } from "./poly-check/read.js"
import { checkWorkspace } from "./poly-check/rules.js"

const root = process.argv[2] ?? process.cwd()
const workspace = readWorkspace(root)
const findings = checkWorkspace(workspace)
if (findings.length > 0) {
  for (const finding of findings) process.stderr.write(`${formatFinding(finding)}\n`)
  process.stderr.write(`poly-check: ${findings.length} finding(s) in ${workspace.bricks.length} bricks\n`)
  process.exitCode = 1
} else {
  const count = (kind: string) => {
    const n = workspace.bricks.filter((b) => b.kind === kind).length
    return `${n} ${kind}${n === 1 ? "" : "s"}`
  }
  const files = workspace.bricks.reduce((n, b) => n + b.files.length, 0)
  process.stdout.write(
    `poly-check: ok (${count("component")}, ${count("base")}, ${count("project")}, ${files} files)\n`
  )
}
