/**
 * @module @gauntlet/cli
 * The `gauntlet` command line: the command tree (`events list|tail|verify|runs`, `conformance run`), the Layers it
 * wires (SQLite event store, event-type catalogue, ids) and the one function that maps any failure to a stderr line
 * and a process exit code. The executable entry is `src/main.ts`, bundled by `scripts/build-cli.mjs`.
 */

/** The root command, a runner resolving to the exit code, and the process entry. */
export { gauntletCommand, runCli, runCommand } from "./internal/app.js"
/** Exit codes of the CLI and the normalising function from any `Cause` to (message, exit code). */
export { CLI_EXIT_CODES, type ExitStatus, exitStatusOf, exitStatusOfError } from "./internal/exitStatus.js"
