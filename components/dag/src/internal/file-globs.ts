import picomatch from "picomatch"

/**
 * Conservative overlap test for exclusive file globs (picomatch syntax, matched with `dot: true`).
 *
 * `globsMayOverlap(a, b)` is false only when no path can match both globs; when in doubt it says true, so two
 * nodes are kept apart rather than let run together. How it decides:
 * - a negated glob (`!x`) may overlap anything;
 * - a glob with a brace, bracket or extglob group that spans `/` is reduced to its static base directory
 *   (`src/{a,b/c}/x` → `src`): two such bases overlap when one is a path prefix of the other;
 * - otherwise both globs are split into segments and aligned from the front and from the back up to the first
 *   `**` on either side; every aligned pair must admit a common segment: two literals must be equal, a literal must
 *   match the other's segment pattern, two patterns must have compatible literal prefixes and suffixes
 *   (`*.ts` and `*.md` cannot overlap). Without `**` on either side the segment counts must be equal; with `**` on
 *   one side only, the other glob needs at least as many segments as the starred one has fixed segments.
 */
export interface CompiledGlob {
  readonly source: string
  /** Segments, or `undefined` when the glob's shape is only known by its static base. */
  readonly segments: ReadonlyArray<Segment> | undefined
  /** Static base directory segments (used when `segments` is undefined). */
  readonly base: ReadonlyArray<string>
  /** True for a negated glob: treated as overlapping everything. */
  readonly negated: boolean
}

type Segment =
  | { readonly kind: "literal"; readonly text: string }
  | { readonly kind: "globstar" }
  | {
      readonly kind: "pattern"
      readonly prefix: string
      readonly suffix: string
      readonly matches: (segment: string) => boolean
    }

const SPECIAL = new Set(["*", "?", "[", "]", "{", "}", "(", ")", "!", "+", "@", "\\"])
const OPEN = new Set(["[", "{", "("])
const CLOSE = new Set(["]", "}", ")"])

const normalize = (glob: string): string => {
  let g = glob.replace(/\/{2,}/g, "/")
  while (g.startsWith("./")) g = g.slice(2)
  if (g.length > 1 && g.endsWith("/")) g = g.slice(0, -1)
  return g
}

/** True when a `/` sits inside a `[...]`, `{...}` or `(...)` group, so splitting on `/` would cut the group. */
const slashInsideGroup = (glob: string): boolean => {
  let depth = 0
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i]!
    if (c === "\\") i++
    else if (OPEN.has(c)) depth++
    else if (CLOSE.has(c) && depth > 0) depth--
    else if (c === "/" && depth > 0) return true
  }
  return false
}

const literalPrefix = (segment: string): string => {
  let end = 0
  while (end < segment.length && !SPECIAL.has(segment[end]!)) end++
  return segment.slice(0, end)
}

const literalSuffix = (segment: string): string => {
  let start = segment.length
  while (start > 0 && !SPECIAL.has(segment[start - 1]!)) start--
  return segment.slice(start)
}

const compileSegment = (segment: string): Segment => {
  if (segment === "**") return { kind: "globstar" }
  if (!segment.includes("\\") && !picomatch.scan(segment).isGlob) return { kind: "literal", text: segment }
  return {
    kind: "pattern",
    prefix: literalPrefix(segment),
    suffix: literalSuffix(segment),
    matches: picomatch(segment, { dot: true })
  }
}

/** Compiles a glob once for repeated overlap tests. */
export const compileGlob = (glob: string): CompiledGlob => {
  const source = normalize(glob)
  const scan = picomatch.scan(source)
  const base = scan.base === "" || scan.base === "." ? [] : scan.base.split("/")
  if (scan.negated) return { source, segments: undefined, base, negated: true }
  if (slashInsideGroup(source)) return { source, segments: undefined, base, negated: false }
  return { source, segments: source.split("/").map(compileSegment), base, negated: false }
}

const segmentsMayMatchSame = (a: Segment, b: Segment): boolean => {
  if (a.kind === "literal") {
    if (b.kind === "literal") return a.text === b.text
    return b.kind === "pattern" ? b.matches(a.text) : true
  }
  if (b.kind === "literal") return a.kind === "pattern" ? a.matches(b.text) : true
  if (a.kind === "pattern" && b.kind === "pattern") {
    const prefixes = a.prefix.startsWith(b.prefix) || b.prefix.startsWith(a.prefix)
    const suffixes = a.suffix.endsWith(b.suffix) || b.suffix.endsWith(a.suffix)
    return prefixes && suffixes
  }
  return true
}

const isPathPrefix = (a: ReadonlyArray<string>, b: ReadonlyArray<string>): boolean => {
  const n = Math.min(a.length, b.length)
  for (let i = 0; i < n; i++) if (a[i] !== b[i]) return false
  return true
}

const fixedCount = (segments: ReadonlyArray<Segment>): number =>
  segments.reduce((n, s) => (s.kind === "globstar" ? n : n + 1), 0)

/** False only when no path can match both globs (see `CompiledGlob` for the rules). */
export const globsMayOverlap = (a: CompiledGlob, b: CompiledGlob): boolean => {
  if (a.negated || b.negated) return true
  if (a.segments === undefined || b.segments === undefined) return isPathPrefix(a.base, b.base)
  const sa = a.segments
  const sb = b.segments
  const starA = sa.some((s) => s.kind === "globstar")
  const starB = sb.some((s) => s.kind === "globstar")
  if (!starA && !starB && sa.length !== sb.length) return false
  if (starA && !starB && sb.length < fixedCount(sa)) return false
  if (starB && !starA && sa.length < fixedCount(sb)) return false
  for (let i = 0; i < sa.length && i < sb.length; i++) {
    const x = sa[i]!
    const y = sb[i]!
    if (x.kind === "globstar" || y.kind === "globstar") break
    if (!segmentsMayMatchSame(x, y)) return false
  }
  for (let j = 1; j <= sa.length && j <= sb.length; j++) {
    const x = sa[sa.length - j]!
    const y = sb[sb.length - j]!
    if (x.kind === "globstar" || y.kind === "globstar") break
    if (!segmentsMayMatchSame(x, y)) return false
  }
  return true
}

/** True when any glob of one list may overlap any glob of the other. */
export const globListsMayOverlap = (
  a: ReadonlyArray<CompiledGlob>,
  b: ReadonlyArray<CompiledGlob>
): boolean => {
  for (const x of a) for (const y of b) if (globsMayOverlap(x, y)) return true
  return false
}
