import { existsSync, readdirSync, readFileSync, statSync } from "node:fs"
import { join, posix, relative, resolve, sep } from "node:path"
import ts from "typescript"
import type { Brick, BrickKind, BrickManifest, SourceFile, Workspace } from "./model.js"

const KIND_OF_FOLDER: ReadonlyArray<readonly [string, BrickKind]> = [
  ["components", "component"],
  ["bases", "base"],
  ["projects", "project"]
]
const SOURCE_FILE = /\.(ts|tsx|mts|cts|js|mjs|cjs)$/
const SKIPPED_DIRS = new Set(["node_modules", ".tsbuild", "dist", "fixtures"])

const toPosix = (path: string) => path.split(sep).join("/")

const listSources = (root: string, dir: string, area: "src" | "test"): Array<SourceFile> => {
  if (!existsSync(dir)) return []
  const out: Array<SourceFile> = []
  for (const entry of readdirSync(dir, { withFileTypes: true }).sort((a, b) =>
    a.name.localeCompare(b.name)
  )) {
    const full = join(dir, entry.name)
    if (entry.isDirectory()) {
      if (!SKIPPED_DIRS.has(entry.name)) out.push(...listSources(root, full, area))
    } else if (entry.isFile() && SOURCE_FILE.test(entry.name) && !entry.name.endsWith(".d.ts")) {
      out.push({ path: toPosix(relative(root, full)), area, text: readFileSync(full, "utf8") })
    }
  }
  return out
}

const readReferences = (root: string, brickDir: string): ReadonlyArray<string> | undefined => {
  const configPath = join(root, brickDir, "tsconfig.json")
  if (!existsSync(configPath)) return undefined
  const parsed = ts.parseConfigFileTextToJson(configPath, readFileSync(configPath, "utf8"))
  if (parsed.error !== undefined) {
    throw new Error(`${configPath}: ${ts.flattenDiagnosticMessageText(parsed.error.messageText, "\n")}`)
  }
  const references = (parsed.config as { references?: ReadonlyArray<{ path?: unknown }> }).references ?? []
  return references
    .map((r) => r.path)
    .filter((p): p is string => typeof p === "string")
    .map((p) => posix.normalize(posix.join(brickDir, toPosix(p))).replace(/\/$/, ""))
}

/** Reads the workspace rooted at `root` from disk: every brick under components/, bases/ and projects/. */
export const readWorkspace = (root: string): Workspace => {
  const absoluteRoot = resolve(root)
  const bricks: Array<Brick> = []
  for (const [folder, kind] of KIND_OF_FOLDER) {
    const parent = join(absoluteRoot, folder)
    if (!existsSync(parent)) continue
    for (const name of readdirSync(parent).sort()) {
      const full = join(parent, name)
      if (!statSync(full).isDirectory()) continue
      const dir = `${folder}/${name}`
      const manifestPath = join(full, "package.json")
      const manifest: BrickManifest = existsSync(manifestPath)
        ? (JSON.parse(readFileSync(manifestPath, "utf8")) as BrickManifest)
        : {}
      bricks.push({
        kind,
        dir,
        manifest,
        references: readReferences(absoluteRoot, dir),
        files: [
          ...listSources(absoluteRoot, join(full, "src"), "src"),
          ...listSources(absoluteRoot, join(full, "test"), "test")
        ]
      })
    }
  }
  const rootManifest = JSON.parse(readFileSync(join(absoluteRoot, "package.json"), "utf8")) as BrickManifest
  return { bricks, rootDevDependencies: Object.keys(rootManifest.devDependencies ?? {}) }
}
