/**
 * Writes the JSON Schemas of the kernel's exported Effect Schemas to `specs/schemas/` (`npm run schemas`), or with
 * `--check` compares them with the committed files and exits 1 naming each drifted file (`npm run schemas:check`,
 * part of `npm run verify`). The files are generated: never edit them by hand.
 *
 * Usage: tsx scripts/export-schemas.ts [--check] [--out <dir>]   (default dir: specs/schemas)
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs"
import { dirname, join, relative, sep } from "node:path"
import { kernelSchemaFiles, renderSchemaFile } from "./schemas/catalogue.js"
import { schemaDrift } from "./schemas/drift.js"

const args = process.argv.slice(2)
const check = args.includes("--check")
const outIndex = args.indexOf("--out")
const outDir =
  outIndex >= 0 && args[outIndex + 1] !== undefined ? args[outIndex + 1]! : join("specs", "schemas")

const listJson = (dir: string): Array<string> =>
  existsSync(dir)
    ? readdirSync(dir, { withFileTypes: true, recursive: true })
        .filter((e) => e.isFile() && e.name.endsWith(".json"))
        .map((e) => relative(dir, join(e.parentPath, e.name)).split(sep).join("/"))
    : []

const generated = new Map(kernelSchemaFiles().map((f) => [f.file, renderSchemaFile(f.schema)]))
const committed = new Map(listJson(outDir).map((file) => [file, readFileSync(join(outDir, file), "utf8")]))
const drift = schemaDrift(generated, committed)

if (check) {
  if (drift.length > 0) {
    for (const d of drift) {
      const why = {
        changed: "differs from the generated schema",
        missing: "is not committed",
        stale: "is no longer generated"
      }[d.kind]
      process.stderr.write(`${join(outDir, d.file)}: ${why}\n`)
    }
    process.stderr.write(
      `schemas: ${drift.length} drifted file(s); run \`npm run schemas\` and commit the result\n`
    )
    process.exitCode = 1
  } else {
    process.stdout.write(`schemas: ${generated.size} files in ${outDir} match the generated schemas\n`)
  }
} else {
  for (const d of drift) {
    const path = join(outDir, d.file)
    if (d.kind === "stale") rmSync(path)
    else {
      mkdirSync(dirname(path), { recursive: true })
      writeFileSync(path, generated.get(d.file)!)
    }
  }
  process.stdout.write(`schemas: wrote ${drift.length} of ${generated.size} files in ${outDir}\n`)
}
