/**
 * @module @gauntlet/cli
 * The `gauntlet` command line: the command tree (`workflow run`, `runs …`, `resume`, `events list|tail|verify|runs`,
 * `evidence show|verify|export`, `pack init|test|build|sign|verify|install|list|check`, `keys generate|show`,
 * `trust init|next|sign|verify`, `models list`, `conformance run`), the Layers it wires (SQLite stores, the workflow
 * engine with the evidence terminal hook, event-type catalogue, ids) and the one function that maps any failure to
 * a stderr line and a process exit code. The executable entry is `src/main.ts`, bundled by `scripts/build-cli.mjs`.
 */

/** The root command, a runner resolving to the exit code, and the process entry. */
export { gauntletCommand, runCli, runCommand } from "./internal/app.js"
/** Exit codes of the CLI and the normalising function from any `Cause` to (message, exit code). */
export { CLI_EXIT_CODES, type ExitStatus, exitStatusOf, exitStatusOfError } from "./internal/exitStatus.js"
