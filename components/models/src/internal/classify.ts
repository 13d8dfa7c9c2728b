import { Schema } from "effect"
import type { Capability } from "./catalog.js"
import type { RiskCategory, RiskPattern } from "./policy.js"

/**
 * What the router knows about a task: its phase, the files it touches (paths; or just a count), lines changed, the
 * privacy flag (data must not leave the machine), the prompt size in tokens, the output it may need and the
 * capabilities its calls need.
 */
export const TaskFacts = Schema.Struct({
  phase: Schema.String.pipe(Schema.minLength(1)),
  files: Schema.optional(Schema.Array(Schema.String)),
  filesChanged: Schema.optional(Schema.NonNegativeInt),
  linesChanged: Schema.optional(Schema.NonNegativeInt),
  private: Schema.optional(Schema.Boolean),
  contextTokens: Schema.optional(Schema.NonNegativeInt),
  maxOutputTokens: Schema.optional(Schema.Int.pipe(Schema.positive())),
  requires: Schema.optional(Schema.Array(Schema.Literal("tools", "jsonSchema", "vision", "reasoning")))
}).annotations({ identifier: "TaskFacts" })
/** What the router knows about a task. */
export type TaskFacts = typeof TaskFacts.Type

/** A touched path that matched a risk pattern. */
export interface RiskHit {
  readonly path: string
  readonly category: RiskCategory
}

/** A task's size: small (≤ 3 files and ≤ 200 lines), large (> 20 files or > 1,000 lines), else medium. */
export type TaskSize = "small" | "medium" | "large"

/** The classified task the router decides on. */
export interface TaskProfile {
  readonly phase: string
  readonly filesChanged: number
  readonly linesChanged: number
  readonly size: TaskSize
  readonly riskHits: ReadonlyArray<RiskHit>
  readonly riskCategories: ReadonlyArray<RiskCategory>
  readonly private: boolean
  readonly contextTokens: number
  readonly maxOutputTokens: number
  readonly requires: ReadonlyArray<Capability>
}

const compiled = new WeakMap<
  ReadonlyArray<RiskPattern>,
  ReadonlyArray<{ category: RiskCategory; re: RegExp }>
>()

const compile = (patterns: ReadonlyArray<RiskPattern>) => {
  const cached = compiled.get(patterns)
  if (cached !== undefined) return cached
  const built = patterns.map((p) => ({ category: p.category, re: new RegExp(p.pattern, "i") }))
  compiled.set(patterns, built)
  return built
}

/** The risk hits of paths (one per path and category), paths normalised to `/` separators. */
export const riskHitsOf = (
  paths: ReadonlyArray<string>,
  patterns: ReadonlyArray<RiskPattern>
): ReadonlyArray<RiskHit> => {
  const hits: Array<RiskHit> = []
  const res = compile(patterns)
  for (const raw of paths) {
    const path = raw.replaceAll("\\", "/")
    const seen = new Set<RiskCategory>()
    for (const { category, re } of res) {
      if (!seen.has(category) && re.test(path)) {
        seen.add(category)
        hits.push({ path, category })
      }
    }
  }
  return hits
}

/**
 * Classifies a task for routing (spec N7-R4): counts files (the larger of `files.length` and `filesChanged`),
 * finds risk paths, sizes it, and fills defaults (`contextTokens` 0, `maxOutputTokens` from the policy).
 */
export const classifyTask = (
  facts: TaskFacts,
  options: { readonly riskPatterns: ReadonlyArray<RiskPattern>; readonly defaultMaxOutputTokens: number }
): TaskProfile => {
  const files = facts.files ?? []
  const filesChanged = Math.max(files.length, facts.filesChanged ?? 0)
  const linesChanged = facts.linesChanged ?? 0
  const riskHits = riskHitsOf(files, options.riskPatterns)
  const size: TaskSize =
    filesChanged > 20 || linesChanged > 1000
      ? "large"
      : filesChanged <= 3 && linesChanged <= 200
        ? "small"
        : "medium"
  return {
    phase: facts.phase,
    filesChanged,
    linesChanged,
    size,
    riskHits,
    riskCategories: [...new Set(riskHits.map((hit) => hit.category))],
    private: facts.private === true,
    contextTokens: facts.contextTokens ?? 0,
    maxOutputTokens: facts.maxOutputTokens ?? options.defaultMaxOutputTokens,
    requires: facts.requires ?? []
  }
}
