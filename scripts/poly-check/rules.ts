import { builtinModules } from "node:module"
import { posix } from "node:path"
import { findCycles } from "./cycles.js"
import { importsOf, nonReexportStatements, packageNameOf } from "./imports.js"
import type { Brick, Finding, Workspace } from "./model.js"

const BRICK_SCOPE = "@gauntlet/"

const isRelative = (specifier: string) =>
  specifier === "." || specifier === ".." || /^\.\.?\//.test(specifier)

const declared = (brick: Brick, name: string, area: "src" | "test") =>
  Object.hasOwn(brick.manifest.dependencies ?? {}, name) ||
  (area === "test" && Object.hasOwn(brick.manifest.devDependencies ?? {}, name))

/** Package-level rules: the name, the `exports` map and the presence and shape of `src/index.ts`. */
const manifestFindings = (brick: Brick): ReadonlyArray<Finding> => {
  if (brick.kind === "project") return []
  const findings: Array<Finding> = []
  const manifestPath = `${brick.dir}/package.json`
  const expectedName = `${BRICK_SCOPE}${posix.basename(brick.dir)}`
  if (brick.manifest.name !== expectedName) {
    findings.push({
      rule: "bad-package-name",
      file: manifestPath,
      line: 0,
      message: `package name is ${JSON.stringify(brick.manifest.name)}, expected "${expectedName}"`
    })
  }
  const exportsMap = brick.manifest.exports
  const exportsOk =
    typeof exportsMap === "object" &&
    exportsMap !== null &&
    Object.keys(exportsMap).length === 1 &&
    (exportsMap as Record<string, unknown>)["."] === "./src/index.ts"
  if (!exportsOk) {
    findings.push({
      rule: "bad-exports",
      file: manifestPath,
      line: 0,
      message: `"exports" must be exactly { ".": "./src/index.ts" }, found ${JSON.stringify(exportsMap)}`
    })
  }
  const indexPath = `${brick.dir}/src/index.ts`
  const index = brick.files.find((f) => f.path === indexPath)
  if (index === undefined) {
    findings.push({
      rule: "missing-index",
      file: indexPath,
      line: 0,
      message: "a brick's public surface must be src/index.ts"
    })
  } else {
    for (const statement of nonReexportStatements(index.path, index.text)) {
      findings.push({
        rule: "index-not-reexport-only",
        file: index.path,
        line: statement.line,
        message: `src/index.ts may only re-export (export … from "./internal/…"), found: ${statement.text}`
      })
    }
  }
  return findings
}

/** Import rules for one brick; also records the brick-level edges it uses, for the cycle check. */
const importFindings = (
  brick: Brick,
  byName: ReadonlyMap<string, Brick>,
  byDir: ReadonlyMap<string, Brick>,
  rootDevDependencies: ReadonlySet<string>,
  edges: Set<string>
): ReadonlyArray<Finding> => {
  const findings: Array<Finding> = []
  const missingReferences = new Map<string, { file: string; line: number }>()
  for (const file of brick.files) {
    for (const site of importsOf(file.text)) {
      const at = { file: file.path, line: site.line }
      const spec = site.specifier
      if (isRelative(spec)) {
        const target = posix.normalize(posix.join(posix.dirname(file.path), spec))
        if (target !== brick.dir && !target.startsWith(`${brick.dir}/`)) {
          const owner = [...byDir.values()].find((b) => target === b.dir || target.startsWith(`${b.dir}/`))
          const into = owner === undefined ? `${target} (outside any brick)` : `brick ${owner.dir}`
          findings.push({
            ...at,
            rule: owner?.kind === "project" ? "imports-project" : "relative-escape",
            message: `relative import "${spec}" leaves ${brick.dir} into ${into}; import bricks by package name`
          })
        }
        continue
      }
      if (spec.startsWith("node:")) continue
      const pkg = packageNameOf(spec)
      const target = byName.get(pkg)
      if (target !== undefined || pkg.startsWith(BRICK_SCOPE)) {
        if (target === undefined) {
          findings.push({
            ...at,
            rule: "unknown-brick",
            message: `"${pkg}" is not a brick of this workspace`
          })
          continue
        }
        if (target === brick) continue
        if (spec !== pkg) {
          findings.push({
            ...at,
            rule: "deep-import",
            message: `deep import "${spec}": import "${pkg}" (its src/index.ts) instead`
          })
        }
        if (target.kind === "project") {
          findings.push({
            ...at,
            rule: "imports-project",
            message: `imports project ${target.dir} ("${pkg}")`
          })
        } else if (target.kind === "base" && brick.kind === "component") {
          findings.push({
            ...at,
            rule: "component-imports-base",
            message: `component imports base ${target.dir}`
          })
        } else if (target.kind === "base" && brick.kind === "base") {
          findings.push({ ...at, rule: "base-imports-base", message: `base imports base ${target.dir}` })
        }
        edges.add(`${brick.dir}\u0000${target.dir}`)
        if (!declared(brick, pkg, file.area)) {
          findings.push({
            ...at,
            rule: "undeclared-dependency",
            message: `"${pkg}" is used but not in ${brick.dir}/package.json "dependencies"`
          })
        }
        if (
          brick.kind !== "project" &&
          brick.references !== undefined &&
          !brick.references.includes(target.dir)
        ) {
          if (!missingReferences.has(target.dir)) missingReferences.set(target.dir, at)
        }
        continue
      }
      if (declared(brick, pkg, file.area)) continue
      if (rootDevDependencies.has(pkg)) {
        if (file.area === "src") {
          findings.push({
            ...at,
            rule: "dev-dependency-in-src",
            message: `"${pkg}" is a root devDependency: allowed in test/ only`
          })
        }
        continue
      }
      findings.push({
        ...at,
        rule: "undeclared-dependency",
        message: `"${pkg}" is used but not in ${brick.dir}/package.json "dependencies"${
          builtinModules.includes(pkg) ? ` (for the Node builtin write "node:${spec}")` : ""
        }`
      })
    }
  }
  for (const [targetDir, at] of missingReferences) {
    const relative = posix.relative(brick.dir, targetDir)
    findings.push({
      ...at,
      rule: "missing-reference",
      message: `uses ${targetDir} but ${brick.dir}/tsconfig.json "references" lacks { "path": "${relative}" }`
    })
  }
  return findings
}

/**
 * Every Polylith boundary violation in a workspace: deep and escaping imports, undeclared dependencies (root
 * devDependencies allowed in test/ only, `node:*` always), missing tsconfig references, component→base,
 * base→base and →project imports, cycles between bricks, non-re-export statements in `src/index.ts`, and
 * `exports` maps other than `{ ".": "./src/index.ts" }`. Pure: the same workspace always gives the same findings,
 * sorted by file and line.
 */
export const checkWorkspace = (workspace: Workspace): ReadonlyArray<Finding> => {
  const byName = new Map<string, Brick>()
  const byDir = new Map<string, Brick>()
  for (const brick of workspace.bricks) {
    if (brick.manifest.name !== undefined) byName.set(brick.manifest.name, brick)
    byDir.set(brick.dir, brick)
  }
  const rootDev = new Set(workspace.rootDevDependencies)
  const edges = new Set<string>()
  const findings: Array<Finding> = []
  for (const brick of workspace.bricks) {
    findings.push(...manifestFindings(brick))
    findings.push(...importFindings(brick, byName, byDir, rootDev, edges))
  }
  const graph = new Map<string, Set<string>>(workspace.bricks.map((b) => [b.dir, new Set<string>()]))
  for (const edge of edges) {
    const [from, to] = edge.split("\u0000") as [string, string]
    graph.get(from)?.add(to)
  }
  for (const cycle of findCycles(graph)) {
    findings.push({
      rule: "cycle",
      file: `${cycle[0]}/package.json`,
      line: 0,
      message: `dependency cycle between bricks: ${cycle.join(" → ")}`
    })
  }
  return findings.sort(
    (a, b) => a.file.localeCompare(b.file) || a.line - b.line || a.rule.localeCompare(b.rule)
  )
}
