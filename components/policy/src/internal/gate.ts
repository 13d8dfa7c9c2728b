import type { Gate, GateInput, GateLayer, Violation } from "@gauntlet/gate"
import { Effect, Either, ParseResult, Schema } from "effect"
import { ChangeSet } from "./changeSet.js"
import type { ResolvedPolicy } from "./compose.js"
import { PolicyContext } from "./context.js"
import { parseUnifiedDiff } from "./diff.js"
import { PolicyEvaluationFailed } from "./errors.js"
import { evaluatePacks } from "./evaluate.js"
import type { PolicyViolation } from "./result.js"
import { changeSetFromTerraformPlan } from "./terraform.js"

const PartialContext = Schema.partial(PolicyContext)

/**
 * What a policy gate reads from the phase output: `{ change }` (a change set), `{ diff }` (unified diff text) or
 * `{ terraformPlan }` (plan JSON), each with an optional partial `context`; or the diff text itself.
 */
export const PolicyGateOutput = Schema.Union(
  Schema.Struct({ change: ChangeSet, context: Schema.optional(PartialContext) }),
  Schema.Struct({ diff: Schema.String, context: Schema.optional(PartialContext) }),
  Schema.Struct({ terraformPlan: Schema.Unknown, context: Schema.optional(PartialContext) }),
  Schema.String
).annotations({ identifier: "PolicyGateOutput" })

const decodeOutput = Schema.decodeUnknownEither(PolicyGateOutput)

/** Options of `policyGate`. */
export interface PolicyGateOptions {
  /** The gate's name in the registry. Default `policy`. */
  readonly name?: string
  /** The gate's own timeout (the runner's otherwise). */
  readonly timeoutMs?: number
  /** The evaluation's worker budget (see `evaluatePacks`). */
  readonly budgetMs?: number
  /** Context the workflow knows (scope, intent, sources, verify results); the output's `context` overrides it. */
  readonly contextOf?: (input: GateInput) => Partial<PolicyContext>
}

const invalid = (detail: string) => new PolicyEvaluationFailed({ reason: "invalid-input", detail })

/**
 * The severity the gate reports so that its verdict carries the rule's action: `block` and `require-approval`
 * block (at least `high`), `warn` warns (at most `medium`, at least `low`), `audit` only informs (`info`).
 */
export const gateSeverityOf = (
  violation: Pick<PolicyViolation, "action" | "severity">
): Violation["severity"] => {
  switch (violation.action) {
    case "block":
    case "require-approval":
      return violation.severity === "critical" ? "critical" : "high"
    case "warn":
      return violation.severity === "critical" || violation.severity === "high"
        ? "medium"
        : violation.severity === "info"
          ? "low"
          : violation.severity
    case "audit":
      return "info"
  }
}

/** A policy violation as a gate violation: severity by action, the action in the message, pack id and version split. */
export const toGateViolation = (violation: PolicyViolation): Violation => {
  const at = violation.pack.lastIndexOf("@")
  const { file, line, column, pointer } = violation.location ?? {}
  const location = {
    ...(file === undefined ? {} : { file }),
    ...(line === undefined ? {} : { line }),
    ...(column === undefined ? {} : { column }),
    ...(pointer === undefined ? {} : { pointer })
  }
  return {
    ruleId: violation.ruleId,
    severity: gateSeverityOf(violation),
    message: `[${violation.action}] ${violation.message}`,
    ...(Object.keys(location).length === 0 ? {} : { location }),
    remediation: violation.remediation,
    autoFixable: violation.autoFixable,
    packId: violation.pack.slice(0, at),
    packVersion: violation.pack.slice(at + 1),
    action: violation.action
  }
}

/**
 * The policy action a gate violation carries (set by `toGateViolation`, N4-R45), or `undefined` for a violation
 * that did not come from a policy rule. `onlyApprovalRequired` of `@gauntlet/gate` decides from it whether a
 * verdict asks a person instead of a repair.
 */
export const policyActionOf = (violation: Pick<Violation, "action">): PolicyViolation["action"] | undefined =>
  violation.action

const changeOf = (output: typeof PolicyGateOutput.Type): Either.Either<ChangeSet, PolicyEvaluationFailed> => {
  if (typeof output === "string") return Either.mapLeft(parseUnifiedDiff(output), (e) => invalid(e.message))
  if ("change" in output) return Either.right(output.change)
  if ("diff" in output) return Either.mapLeft(parseUnifiedDiff(output.diff), (e) => invalid(e.message))
  return Either.mapLeft(changeSetFromTerraformPlan(output.terraformPlan), (e) => invalid(e.message))
}

/**
 * A `Gate` (for `@gauntlet/gate`) at `layer` that evaluates the composed packs' rules OF THAT LAYER on the phase
 * output (see `PolicyGateOutput`); use `policyGates` for one gate per layer.
 * Violations keep their rule, pack id and version, location and remediation; `block` and `require-approval`
 * violations block the gate. Output that does not decode, a regex or check that runs past the budget, or a check
 * that throws FAILS the check, so the runner records an `error` verdict: the gate fails closed.
 */
export const policyGate = (policy: ResolvedPolicy, layer: GateLayer, options: PolicyGateOptions = {}): Gate =>
  makeGate({ ...policy, rules: policy.rules.filter((rule) => rule.layer === layer) }, layer, options)

/** One policy gate per layer that has rules, named `<name>-<layer>` (default `policy-L2`, …), in ladder order. */
export const policyGates = (policy: ResolvedPolicy, options: PolicyGateOptions = {}): ReadonlyArray<Gate> =>
  (["L0", "L1", "L2", "L3", "L4"] as const)
    .filter((layer) => policy.rules.some((rule) => rule.layer === layer))
    .map((layer) => policyGate(policy, layer, { ...options, name: `${options.name ?? "policy"}-${layer}` }))

const makeGate = (policy: ResolvedPolicy, layer: GateLayer, options: PolicyGateOptions): Gate => ({
  name: options.name ?? "policy",
  layer,
  ...(options.timeoutMs === undefined ? {} : { timeoutMs: options.timeoutMs }),
  failureClass: "policy",
  check: (input) =>
    Effect.gen(function* () {
      const output = decodeOutput(input.output)
      if (Either.isLeft(output)) {
        const issue = ParseResult.ArrayFormatter.formatErrorSync(output.left)[0]
        return yield* Effect.fail(
          invalid(
            `the phase output is not a change for the policy gate (expected { change } | { diff } | { terraformPlan } | diff text)${issue ? `: ${issue.message}` : ""}`
          )
        )
      }
      const change = yield* changeOf(output.right)
      const extra = typeof output.right === "string" ? {} : (output.right.context ?? {})
      const context = yield* Schema.decodeUnknown(PolicyContext)({
        phase: input.phase,
        ...options.contextOf?.(input),
        ...extra
      }).pipe(Effect.mapError((error) => invalid(`the policy context is invalid: ${error.message}`)))
      const result = yield* evaluatePacks({
        packs: policy,
        change,
        context,
        ...(options.budgetMs === undefined ? {} : { budgetMs: options.budgetMs })
      })
      return { violations: result.violations.map(toGateViolation) }
    })
})
