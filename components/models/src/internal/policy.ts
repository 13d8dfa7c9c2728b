import { Either, ParseResult, Schema } from "effect"
import { Tier } from "./catalog.js"
import { InvalidRoutingPolicy } from "./errors.js"

/** A risk category of a touched path. */
export const RiskCategory = Schema.Literal("schemas", "migrations", "auth", "security")
/** A risk category of a touched path. */
export type RiskCategory = typeof RiskCategory.Type

/** A path pattern (a JavaScript regular expression, case-insensitive) that marks a path as risky. */
export const RiskPattern = Schema.Struct({ category: RiskCategory, pattern: Schema.String })
/** A path pattern that marks a path as risky. */
export type RiskPattern = typeof RiskPattern.Type

/**
 * When a routing rule applies; every given condition must hold: the phase is one of `phases`, at most `maxFiles`
 * files and `maxLines` lines changed, risk paths present (`risky: true`) or absent (`risky: false`).
 */
export const RuleCondition = Schema.Struct({
  phases: Schema.optional(Schema.Array(Schema.String)),
  maxFiles: Schema.optional(Schema.NonNegativeInt),
  maxLines: Schema.optional(Schema.NonNegativeInt),
  risky: Schema.optional(Schema.Boolean)
})
/** When a routing rule applies. */
export type RuleCondition = typeof RuleCondition.Type

/** A routing rule: when it applies, the tier to use and the task's cost cap in US dollars. */
export const RoutingRule = Schema.Struct({
  id: Schema.String.pipe(Schema.minLength(1)),
  when: RuleCondition,
  tier: Tier,
  capUsd: Schema.Number.pipe(Schema.finite(), Schema.positive())
})
/** A routing rule. */
export type RoutingRule = typeof RoutingRule.Type

/**
 * A routing policy, as data: risk-path patterns and rules tried in order (the first that applies wins; the last
 * must apply to everything). `defaultMaxOutputTokens` sizes a call's worst case when the task does not say.
 */
export const RoutingPolicy = Schema.Struct({
  riskPatterns: Schema.Array(RiskPattern),
  rules: Schema.Array(RoutingRule).pipe(Schema.minItems(1)),
  defaultMaxOutputTokens: Schema.Int.pipe(Schema.positive())
}).annotations({ identifier: "RoutingPolicy" })
/** A routing policy. */
export type RoutingPolicy = typeof RoutingPolicy.Type

/**
 * The default policy (spec N7-R6): reviews touching at most 3 files and no risk path → economy tier, $0.50 cap;
 * everything else → premium tier, $1.00 cap.
 */
export const DEFAULT_ROUTING_POLICY: RoutingPolicy = {
  riskPatterns: [
    {
      category: "schemas",
      pattern:
        "(^|/)(schemas?|graphql)(/|$)|\\.(schema\\.json|graphql|prisma|proto|avsc)$|(^|/)schema\\.[a-z]+$"
    },
    { category: "migrations", pattern: "(^|/)(migrations?|migrate|alembic|flyway|liquibase)(/|$)" },
    {
      category: "auth",
      pattern: "(^|/)(auth|authn|authz|oauth2?|login|sessions?|permissions?|rbac|acl)([/._-]|$)"
    },
    {
      category: "security",
      pattern: "(^|/)(security|crypto|secrets?|keys?|certs?|tls|ssl)([/._-]|$)|(^|/)\\.env(\\.|$)"
    }
  ],
  rules: [
    {
      id: "small-safe-review",
      when: { phases: ["review"], maxFiles: 3, risky: false },
      tier: "economy",
      capUsd: 0.5
    },
    { id: "default", when: {}, tier: "premium", capUsd: 1 }
  ],
  defaultMaxOutputTokens: 4096
}

/** Checks a policy: it decodes, its patterns compile, and its last rule applies to every task. */
export const decodeRoutingPolicy = (input: unknown): Either.Either<RoutingPolicy, InvalidRoutingPolicy> =>
  Schema.decodeUnknownEither(RoutingPolicy)(input).pipe(
    Either.mapLeft(
      (error) => new InvalidRoutingPolicy({ reason: ParseResult.TreeFormatter.formatErrorSync(error) })
    ),
    Either.flatMap((policy) => {
      for (const [index, risk] of policy.riskPatterns.entries()) {
        const compiled = Either.try(() => new RegExp(risk.pattern, "i"))
        if (Either.isLeft(compiled)) {
          return Either.left(
            new InvalidRoutingPolicy({
              reason: `/riskPatterns/${index}/pattern: not a regular expression: ${String(compiled.left)}`
            })
          )
        }
      }
      const last = policy.rules[policy.rules.length - 1]
      if (last !== undefined && Object.keys(last.when).length > 0) {
        return Either.left(
          new InvalidRoutingPolicy({
            reason: `/rules/${policy.rules.length - 1}: the last rule (${last.id}) must have no conditions, so every task has a rule`
          })
        )
      }
      return Either.right(policy)
    })
  )

/** The policy with the caps changed (`--budget-usd` style configuration): `{ "small-safe-review": 0.25 }`. */
export const withCaps = (policy: RoutingPolicy, caps: Readonly<Record<string, number>>): RoutingPolicy => ({
  ...policy,
  rules: policy.rules.map((rule) =>
    caps[rule.id] === undefined ? rule : { ...rule, capUsd: caps[rule.id] as number }
  )
})
