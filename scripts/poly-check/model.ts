/**
 * The workspace as poly-check sees it: plain data, so the rules are pure functions that tests can feed with an
 * in-memory fixture.
 */

/** Where a brick lives: `components/*`, `bases/*` or `projects/*`. */
export type BrickKind = "component" | "base" | "project"

/** The parts of a brick's package.json the rules read. */
export interface BrickManifest {
  readonly name?: string
  readonly dependencies?: Readonly<Record<string, string>>
  readonly devDependencies?: Readonly<Record<string, string>>
  readonly exports?: unknown
}

/** One source file of a brick (`src/**` or `test/**`), with a path relative to the workspace root. */
export interface SourceFile {
  readonly path: string
  readonly area: "src" | "test"
  readonly text: string
}

/** A brick: its directory (relative to the root, `/`-separated), its manifest, tsconfig references and sources. */
export interface Brick {
  readonly kind: BrickKind
  readonly dir: string
  readonly manifest: BrickManifest
  /** Root-relative directories named by tsconfig.json `references`; undefined when there is no tsconfig.json. */
  readonly references: ReadonlyArray<string> | undefined
  readonly files: ReadonlyArray<SourceFile>
}

/** The whole workspace: every brick and the root package.json's devDependencies (allowed in tests only). */
export interface Workspace {
  readonly bricks: ReadonlyArray<Brick>
  readonly rootDevDependencies: ReadonlyArray<string>
}

/** The rule a finding breaks. */
type FindingRule =
  | "deep-import"
  | "relative-escape"
  | "undeclared-dependency"
  | "dev-dependency-in-src"
  | "unknown-brick"
  | "missing-reference"
  | "component-imports-base"
  | "base-imports-base"
  | "imports-project"
  | "cycle"
  | "index-not-reexport-only"
  | "missing-index"
  | "bad-exports"
  | "bad-package-name"

/** One violation, located by root-relative file path and 1-based line (0 when the finding is about a file). */
export interface Finding {
  readonly rule: FindingRule
  readonly file: string
  readonly line: number
  readonly message: string
}

/** Renders a finding as `file:line: [rule] message`. */
export const formatFinding = (finding: Finding): string =>
  `${finding.file}${finding.line > 0 ? `:${finding.line}` : ""}: [${finding.rule}] ${finding.message}`
