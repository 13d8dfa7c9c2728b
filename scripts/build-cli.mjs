// Bundles the gauntlet CLI (bases/cli/src/main.ts) into projects/gauntlet/dist/ with esbuild: ESM, code splitting
// (each command's handlers and stores are separate chunks loaded on demand), Node 20, native modules external.
// Runs on `npm ci` (root "prepare") and `npm run build`. Usage: node scripts/build-cli.mjs [--metafile]
// `npm run build` fails on any error. Under the "prepare" lifecycle a failed build is reported loudly but does not
// abort the install (a half-edited workspace must still be able to install packages); the CLI tests rebuild strictly.
import { mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs"
import { dirname, join, relative } from "node:path"
import { fileURLToPath } from "node:url"
import { build } from "esbuild"

const root = join(dirname(fileURLToPath(import.meta.url)), "..")
const project = join(root, "projects/gauntlet")
const dist = join(project, "dist")
// Build beside dist/, then move each file in (an atomic rename per file) and delete only files this build did not
// produce. Chunk names carry a content hash, so a gauntlet process running during a rebuild of the same sources (a
// test, the benchmark) never finds a half-written, missing or mismatched chunk.
const outdir = join(project, `.dist-build-${process.pid}`)
/** Every file under `dir`, as paths relative to it (none when it does not exist). */
const filesUnder = (dir) => {
  try {
    return readdirSync(dir, { recursive: true, withFileTypes: true })
      .filter((entry) => entry.isFile())
      .map((entry) => relative(dir, join(entry.parentPath, entry.name)))
  } catch (error) {
    if (error.code === "ENOENT") return []
    throw error
  }
}
const { version } = JSON.parse(readFileSync(join(project, "package.json"), "utf8"))

rmSync(outdir, { recursive: true, force: true })
const started = performance.now()
const strict = process.env.npm_lifecycle_event !== "prepare"
const result = await build({
  absWorkingDir: root,
  entryPoints: { main: "bases/cli/src/main.ts" },
  outdir,
  bundle: true,
  splitting: true,
  format: "esm",
  platform: "node",
  target: "node20",
  // Native addons cannot be bundled; they resolve from node_modules at run time (projects/gauntlet depends on them).
  // esbuild (the policy packs' check-module compiler) ships a native binary: it is resolved at run time too.
  external: ["better-sqlite3", "esbuild"],
  define: { __GAUNTLET_VERSION__: JSON.stringify(version) },
  // Some dependencies are CommonJS and call require(); give ESM chunks a real one.
  banner: {
    js: 'import { createRequire as __gauntletRequire } from "node:module";const require = __gauntletRequire(import.meta.url);'
  },
  chunkNames: "chunks/[name]-[hash]",
  legalComments: "none",
  minifySyntax: true,
  minifyWhitespace: true,
  treeShaking: true,
  metafile: true,
  logLevel: "warning"
}).catch((error) => {
  rmSync(outdir, { recursive: true, force: true })
  if (strict) throw error
  console.error(
    `gauntlet: CLI bundle NOT built (${error.message.split("\n")[0]}); run \`npm run build\` to see why`
  )
  process.exit(0)
})
if (process.argv.includes("--metafile"))
  writeFileSync(join(outdir, "meta.json"), JSON.stringify(result.metafile))
const produced = new Set(filesUnder(outdir))
// Chunks first, the entry last: a process that loads the new entry finds every chunk it imports.
for (const file of [...produced].sort((a, b) => Number(a === "main.js") - Number(b === "main.js"))) {
  mkdirSync(dirname(join(dist, file)), { recursive: true })
  renameSync(join(outdir, file), join(dist, file))
}
for (const file of filesUnder(dist)) if (!produced.has(file)) rmSync(join(dist, file), { force: true })
rmSync(outdir, { recursive: true, force: true })
const bytes = Object.values(result.metafile.outputs).reduce((sum, output) => sum + output.bytes, 0)
console.log(
  `gauntlet ${version}: bundled ${relative(root, dist)}/ (${Object.keys(result.metafile.outputs).length} files, ${(bytes / 1024).toFixed(0)} KiB) in ${(performance.now() - started).toFixed(0)} ms`
)
