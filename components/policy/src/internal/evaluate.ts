import { Effect, Either, ParseResult, Schema } from "effect"
import type { ChangeSet, FileChange } from "./changeSet.js"
import { type EffectiveRule, type ResolvedPolicy, type RuleDefinition, resolvePacks } from "./compose.js"
import type { PolicyContext } from "./context.js"
import {
  detectCount,
  detectIntent,
  detectPath,
  detectSecretsIn,
  excerpt,
  type Finding,
  filesFor
} from "./detectors.js"
import { type CompositionError, PolicyEvaluationFailed } from "./errors.js"
import { inferIntent } from "./intent.js"
import { ACTION_ORDER, type LoadedPack } from "./pack.js"
import { explain, type PolicyDecision, type PolicyResult, type PolicyViolation } from "./result.js"
import { type CheckJob, type JobOwner, type JobResult, type RegexJob, startWorker } from "./worker.js"

/** What `evaluatePacks` needs: composed packs (or loaded packs without parents to resolve), the change, the context. */
export interface EvaluateRequest {
  readonly packs: ResolvedPolicy | ReadonlyArray<LoadedPack>
  readonly change: ChangeSet
  readonly context: PolicyContext
  /** Wall-time budget of the isolated worker (regexes and check modules), in ms. Default 5000. */
  readonly budgetMs?: number
  /** How many matches of one regex rule are listed; more are counted in `omitted`. Default 50. */
  readonly maxMatchesPerRule?: number
}

/** The default time budget of one evaluation's regexes and check modules, in ms. */
export const DEFAULT_BUDGET_MS = 5000

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

interface Pending {
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

class JobPlan {
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

const planRegex = (
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

const planCheck = (
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

const toViolation = (
  rule: EffectiveRule,
  definition: RuleDefinition,
  finding: Finding & { readonly remediation?: string }
): PolicyViolation => {
  const base = {
    ruleId: rule.id,
    pack: definition.pack,
    layer: rule.layer,
    severity: rule.severity,
    action: rule.action,
    message: `${definition.rule.message}: ${finding.detail}`,
    ...(finding.location === undefined ? {} : { location: finding.location }),
    remediation: finding.remediation ?? definition.rule.remediation,
    autoFixable: definition.rule.autoFixable ?? false
  }
  return { ...base, explanation: explain(base) }
}

const decide = (violations: ReadonlyArray<PolicyViolation>) => {
  const decisions = ACTION_ORDER.flatMap((action) => {
    const matching = violations.filter((violation) => violation.action === action)
    return matching.length === 0
      ? []
      : [
          {
            action,
            rules: [...new Set(matching.map((violation) => violation.ruleId))],
            violations: matching.length
          }
        ]
  })
  const decision: PolicyDecision = decisions[0]?.action ?? "allow"
  return { decision, decisions }
}

/**
 * Evaluates policy packs on a change. Path, count, intent and secret detections run here; regexes and check
 * modules run in an isolated worker thread under `budgetMs` — when it runs out, or a check throws or returns
 * something malformed, the evaluation FAILS (`PolicyEvaluationFailed`) so a gate fails closed instead of passing.
 * Rules outside the context's phase or path scope are skipped. Violations are listed in rule order, each with its
 * rule, pack@version, location and remediation; `decision` is the strictest action among them.
 */
export const evaluatePacks = Effect.fn("Policy.evaluatePacks")(function* (request: EvaluateRequest) {
  const resolved: ResolvedPolicy = Array.isArray(request.packs)
    ? yield* Either.match(resolvePacks(request.packs as ReadonlyArray<LoadedPack>), {
        onLeft: (error: CompositionError) => Effect.fail(error),
        onRight: Effect.succeed
      })
    : (request.packs as ResolvedPolicy)
  const { change, context } = request
  const budgetMs = request.budgetMs ?? DEFAULT_BUDGET_MS
  const packsByRef = new Map(
    resolved.packs.map((loaded) => [`${loaded.pack.id}@${loaded.pack.version}`, loaded])
  )
  const found = new Map<RuleDefinition, Array<Finding>>()
  const plan = new JobPlan()
  const active: Array<readonly [EffectiveRule, RuleDefinition]> = []
  for (const rule of resolved.rules) {
    for (const definition of rule.definitions) {
      const phases = definition.rule.appliesTo?.phases
      if (phases !== undefined && !phases.includes(context.phase)) continue
      found.set(definition, [])
      active.push([rule, definition])
      const detect = definition.rule.detect
      if ("check" in detect) {
        const missing = planCheck(
          plan,
          rule,
          definition,
          change,
          context,
          packsByRef.get(definition.pack),
          budgetMs
        )
        if (missing !== undefined) return yield* Effect.fail(missing)
      } else if ("diffRegex" in detect || "contentRegex" in detect)
        planRegex(plan, rule, definition, change, context)
    }
  }
  // The worker starts now and runs the regexes and checks while this thread runs the other detections.
  const running =
    plan.jobs.length === 0
      ? undefined
      : startWorker(
          {
            jobs: plan.jobs,
            lineSets: plan.lineSets,
            texts: plan.texts,
            changes: plan.changes,
            maxMatches: request.maxMatchesPerRule ?? 50
          },
          budgetMs,
          (job: number): JobOwner | undefined => {
            const pending = plan.pending.get(job)
            return pending === undefined
              ? undefined
              : { ruleId: pending.rule.id, pack: pending.definition.pack }
          }
        )
  const collect = Effect.gen(function* () {
    for (const [, definition] of active) {
      const detect = definition.rule.detect
      const findings =
        "path" in detect
          ? detectPath(detect.path, filesFor(definition.rule, change), context)
          : "count" in detect
            ? detectCount(detect.count, filesFor(definition.rule, change))
            : "intent" in detect
              ? detectIntent(detect.intent, change, context)
              : "secrets" in detect
                ? detectSecretsIn(detect.secrets, filesFor(definition.rule, change))
                : []
      found.get(definition)!.push(...findings)
    }
    let omitted = 0
    if (running !== undefined) {
      for (const result of yield* running.results) {
        const pending = plan.pending.get(result.job)!
        if (result.kind === "regex") omitted += result.omitted
        const findings = pending.toFindings(result)
        if (Either.isLeft(findings)) return yield* Effect.fail(findings.left)
        found.get(pending.definition)!.push(...findings.right)
      }
    }
    return omitted
  })
  const omitted = yield* collect.pipe(Effect.ensuring(Effect.sync(() => running?.stop())))
  const violations: Array<PolicyViolation> = []
  for (const rule of resolved.rules) {
    for (const definition of rule.definitions) {
      for (const finding of found.get(definition) ?? [])
        violations.push(toViolation(rule, definition, finding))
    }
  }
  const { intent, counts } = inferIntent(change)
  const result: PolicyResult = {
    ...decide(violations),
    violations,
    packs: resolved.packs.map((loaded) => `${loaded.pack.id}@${loaded.pack.version}`),
    resolutions: resolved.resolutions,
    intent: { inferred: intent, ...counts },
    omitted
  }
  return result
})
