import { Effect, Either } from "effect"
import type { ChangeSet } from "./changeSet.js"
import { type EffectiveRule, type ResolvedPolicy, type RuleDefinition, resolvePacks } from "./compose.js"
import type { PolicyContext } from "./context.js"
import {
  detectCount,
  detectIntent,
  detectPath,
  detectSecretsIn,
  type Finding,
  filesFor
} from "./detectors.js"
import type { CompositionError } from "./errors.js"
import { inferIntent } from "./intent.js"
import { JobPlan, planCheck, planRegex } from "./jobs.js"
import { ACTION_ORDER, type LoadedPack } from "./pack.js"
import { explain, type PolicyDecision, type PolicyResult, type PolicyViolation } from "./result.js"
import { type JobOwner, startWorker } from "./worker.js"

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
