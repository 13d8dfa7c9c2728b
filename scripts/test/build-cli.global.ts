/**
 * Vitest global setup: builds the `gauntlet` bundle once per test run, before any test file starts, so the
 * subprocess tests of `bases/cli` all run the same, current executable (and no two files rebuild it concurrently).
 */
import { execFileSync } from "node:child_process"
import { join } from "node:path"

export default function buildCli(): void {
  const root = join(import.meta.dirname, "..", "..")
  execFileSync(process.execPath, [join(root, "scripts/build-cli.mjs")], { cwd: root, stdio: "pipe" })
}
