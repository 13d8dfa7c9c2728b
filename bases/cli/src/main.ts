/**
 * The `gauntlet` executable. `--version` is answered here without loading Effect (cold start); everything else
 * loads the command tree lazily, and each command loads its own handlers (and stores) only when it runs.
 * `scripts/build-cli.mjs` bundles this file and injects `__GAUNTLET_VERSION__`.
 */

declare const __GAUNTLET_VERSION__: string | undefined

const version = typeof __GAUNTLET_VERSION__ === "string" ? __GAUNTLET_VERSION__ : "0.0.0-dev"
const args = process.argv.slice(2)

if (args.length === 1 && args[0] === "--version") {
  process.stdout.write(`${version}\n`)
} else {
  const { runCli } = await import("./internal/app.js")
  runCli(process.argv, version)
}
