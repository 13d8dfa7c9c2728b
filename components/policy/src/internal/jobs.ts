import { Either, ParseResult, Schema } from "effect"
import type { ChangeSet, FileChange } from "./changeSet.js"
import type { EffectiveRule, RuleDefinition } from "./compose.js"
import type { PolicyContext } from "./context.js"
import { excerpt, type Finding, filesFor } from "./detectors.js"
import { PolicyEvaluationFailed } from "./errors.js"
import type { LoadedPack } from "./pack.js"
import type { CheckJob, JobResult, RegexJob } from "./worker.js"

/** The default timeout of one check module, in ms (bounded by the overall budget). */
const DEFAULT_CHECK_TIMEOUT_MS = 2000

const CheckViolations = Schema.Array(
  Schema.Struct({
    message: Schema.String.pipe(Schema.minLength(1)),
    location: Schema.optional(
      Schema.Struct({
        file: Schema.optional(Schema.String.pipe(Schema.minLength(1))),
        line: Schema.optional(Schema.Int.pipe(Schema.positive())),
        column: Schema.optional(Schema.Int.pipe(Schema.positive())),
        pointer: Schema.optional(Schema.String)
      })
    ),
    remediation: Schema.optional(Schema.String.pipe(Schema.minLength(1)))
  })
)
const decodeCheck = Schema.decodeUnknownEither(CheckViolations, { onExcessProperty: "error" })

/** A job's owner and how to turn its result into findings. */
export interface Pending {
  readonly rule: EffectiveRule
  readonly definition: RuleDefinition
  readonly toFindings: (result: JobResult) => Either.Either<ReadonlyArray<Finding>, PolicyEvaluationFailed>
}

/** Offsets of line starts in a text of joined lines, to turn a match offset into a line index. */
const lineIndexOf = (starts: ReadonlyArray<number>, offset: number): number => {
  let low = 0
  let high = starts.length - 1
  while (low < high) {
    const mid = (low + high + 1) >> 1
    if (starts[mid]! <= offset) low = mid
    else high = mid - 1
  }
  return low
}

const startsOf = (lines: ReadonlyArray<string>): ReadonlyArray<number> => {
  const starts: Array<number> = []
  let offset = 0
  for (const line of lines) {
    starts.push(offset)
    offset += line.length + 1
  }
  return starts
}

/** The worker jobs of one evaluation, with the line sets, texts and change texts they refer to (each once). */
export class JobPlan {
  readonly jobs: Array<RegexJob | CheckJob> = []
  readonly lineSets: Array<ReadonlyArray<string>> = []
  readonly texts: Array<string> = []
  readonly changes: Array<string> = []
  private readonly changeIds = new Map<string, number>()
  readonly pending = new Map<number, Pending>()
  private readonly lineSetIds = new Map<string, number>()
  private readonly textIds = new Map<string, number>()

  lineSet(key: string, lines: () => ReadonlyArray<string>): number {
    let id = this.lineSetIds.get(key)
    if (id === undefined) {
      id = this.lineSets.push(lines()) - 1
      this.lineSetIds.set(key, id)
    }
    return id
  }

  text(key: string, text: () => string): number {
    let id = this.textIds.get(key)
    if (id === undefined) {
      id = this.texts.push(text()) - 1
      this.textIds.set(key, id)
    }
    return id
  }

  /** The change as JSON text, once per distinct file selection (most checks see the whole change). */
  change(key: string, change: () => ChangeSet): number {
    let id = this.changeIds.get(key)
    if (id === undefined) {
      id = this.changes.push(JSON.stringify(change())) - 1
      this.changeIds.set(key, id)
    }
    return id
  }

  add(job: RegexJob | CheckJob, pending: Pending) {
    this.jobs.push(job)
    this.pending.set(job.id, pending)
  }
}

const addedTextOf = (file: FileChange) => file.added.map((line) => line.text).join("\n")

/** Plans a diffRegex or contentRegex definition as one worker job. */
export const planRegex = (
  plan: JobPlan,
  rule: EffectiveRule,
  definition: RuleDefinition,
  change: ChangeSet,
  context: PolicyContext
) => {
  const detect = definition.rule.detect
  const files = filesFor(definition.rule, change).filter((file) => file.binary !== true)
  const id = plan.jobs.length
  if ("diffRegex" in detect) {
    const which = detect.diffRegex.lines ?? "added"
    const targets = files.map(
      (file) =>
        [plan.lineSet(`${which}:${file.path}`, () => file[which].map((line) => line.text)), file] as const
    )
    const byTarget = new Map(targets)
    plan.add(
      {
        kind: "regex",
        id,
        pattern: detect.diffRegex.pattern,
        flags: detect.diffRegex.flags ?? "",
        mode: "lines",
        targets: targets.map(([target]) => target)
      },
      {
        rule,
        definition,
        toFindings: (result) =>
          Either.right(
            result.kind === "regex"
              ? result.matches.map((match) => {
                  const file = byTarget.get(match.target)!
                  const line = file[which][match.index]!
                  return {
                    detail: `${which} line matches: ${excerpt(match.text)}`,
                    location: { file: file.path, line: line.line, column: match.column + 1 }
                  }
                })
              : []
          )
      }
    )
    return
  }
  if (!("contentRegex" in detect)) return
  const over = detect.contentRegex.over ?? ["changes"]
  const locate: Map<number, (offset: number) => Finding["location"]> = new Map()
  const targets: Array<number> = []
  if (over.includes("changes")) {
    for (const file of files) {
      const target = plan.text(`added:${file.path}`, () => addedTextOf(file))
      const starts = startsOf(file.added.map((line) => line.text))
      targets.push(target)
      locate.set(target, (offset) => {
        const index = lineIndexOf(starts, offset)
        return { file: file.path, line: file.added[index]!.line, column: offset - starts[index]! + 1 }
      })
    }
  }
  for (const source of context.sources ?? []) {
    const wanted =
      source.trust === "untrusted" ? over.includes("untrusted-sources") : over.includes("trusted-sources")
    if (!wanted) continue
    const target = plan.text(`source:${source.name}`, () => source.text)
    const starts = startsOf(source.text.split("\n"))
    targets.push(target)
    locate.set(target, (offset) => {
      const index = lineIndexOf(starts, offset)
      return { file: `source:${source.name}`, line: index + 1, column: offset - starts[index]! + 1 }
    })
  }
  if (over.includes("commands")) {
    for (const [index, command] of (context.commands ?? []).entries()) {
      const target = plan.text(`command:${index}`, () => command)
      targets.push(target)
      locate.set(target, () => ({ file: "command", pointer: `/commands/${index}` }))
    }
  }
  plan.add(
    {
      kind: "regex",
      id,
      pattern: detect.contentRegex.pattern,
      flags: detect.contentRegex.flags ?? "",
      mode: "text",
      targets
    },
    {
      rule,
      definition,
      toFindings: (result) =>
        Either.right(
          result.kind === "regex"
            ? result.matches.map((match) => ({
                detail: `text matches: ${excerpt(match.text)}`,
                location: locate.get(match.target)!(match.index)
              }))
            : []
        )
    }
  )
}

/** Plans a check definition as one worker job; a module not loaded with its pack is `check-missing`. */
export const planCheck = (
  plan: JobPlan,
  rule: EffectiveRule,
  definition: RuleDefinition,
  change: ChangeSet,
  context: PolicyContext,
  loaded: LoadedPack | undefined,
  budgetMs: number
): PolicyEvaluationFailed | undefined => {
  const detect = definition.rule.detect
  if (!("check" in detect)) return undefined
  const code = loaded?.checks[detect.check.module]
  if (code === undefined) {
    return new PolicyEvaluationFailed({
      reason: "check-missing",
      ruleId: rule.id,
      pack: definition.pack,
      detail: `check module ${detect.check.module} was not loaded with the pack (load packs with loadPack)`
    })
  }
  const appliesTo = definition.rule.appliesTo
  const changeId = plan.change(
    JSON.stringify([appliesTo?.paths ?? null, appliesTo?.excludePaths ?? null]),
    () => ({
      ...change,
      files: filesFor(definition.rule, change)
    })
  )
  const fail = (reason: PolicyEvaluationFailed["reason"], detail: string) =>
    Either.left(new PolicyEvaluationFailed({ reason, ruleId: rule.id, pack: definition.pack, detail }))
  plan.add(
    {
      kind: "check",
      id: plan.jobs.length,
      module: detect.check.module,
      code,
      change: changeId,
      context: JSON.stringify(context),
      timeoutMs: Math.min(detect.check.timeoutMs ?? DEFAULT_CHECK_TIMEOUT_MS, budgetMs)
    },
    {
      rule,
      definition,
      toFindings: (result) => {
        if (result.kind === "check-error") {
          return result.timeout
            ? fail(
                "timeout",
                `check module ${detect.check.module} ran past its ${Math.min(detect.check.timeoutMs ?? DEFAULT_CHECK_TIMEOUT_MS, budgetMs)} ms timeout`
              )
            : fail("check-failed", `check module ${detect.check.module} threw: ${result.message}`)
        }
        if (result.kind !== "check") return Either.right([])
        const decoded = decodeCheck(result.result)
        if (Either.isLeft(decoded)) {
          const issue = ParseResult.ArrayFormatter.formatErrorSync(decoded.left)[0]
          const at = issue === undefined ? "" : ` at /${issue.path.join("/")}: ${issue.message}`
          return fail(
            "check-malformed",
            `check module ${detect.check.module} must return an array of { message, location?, remediation? }${at}`
          )
        }
        return Either.right(
          decoded.right.map((v) => ({
            detail: v.message,
            ...(v.location ? { location: v.location } : {}),
            ...(v.remediation ? { remediation: v.remediation } : {})
          }))
        )
      }
    }
  )
  return undefined
}
