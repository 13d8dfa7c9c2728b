import type { GoldenAdapter } from "@gauntlet/conformance"
import {
  ChangeSet,
  changeSetFromTerraformPlan,
  evaluatePacks,
  inferIntent,
  intentAllows,
  type LoadedPack,
  PolicyContext,
  packFromJson,
  parseUnifiedDiff,
  resolvePacks
} from "@gauntlet/policy"
import { Effect, Either, Schema } from "effect"

/**
 * Golden adapter for area `policy` (spec N4 "Pack format", "Rules and detection", "Evaluation and gates",
 * "Composition"). The input's `op` names the operation:
 * - `parse-diff` `{ diff }` (text, or lines joined with "\n") → the `ChangeSet`, or `{ error: "InvalidDiff", line }`.
 * - `terraform-plan` `{ plan }` → the `ChangeSet`, or `{ error: "InvalidTerraformPlan", pointer }`.
 * - `intent` `{ diff | change | terraformPlan, declared? }` → `{ inferred, counts, allowed? }` (`allowed`: whether
 *   the counts fit the declared intent's row of the table).
 * - `compose` `{ roots: [pack.json], available?: [pack.json] }` → `{ packs: ["id@version"], rules: [{ id, layer,
 *   severity, action, definedIn }], resolutions }`, or `{ error: "CompositionError", reason, pack, chain }`.
 * - `evaluate` `{ packs: [pack.json], available?, diff | change | terraformPlan, context, budgetMs? }` → the whole
 *   `PolicyResult`, or `{ error: "PolicyEvaluationFailed", reason, ruleId? }` when the evaluation fails closed.
 * A pack that does not decode yields `{ error: "InvalidPack", pack, pointer }`. A malformed case input fails the
 * case with `InvalidPolicyCase` naming what is wrong.
 */

const Lines = Schema.Union(Schema.String, Schema.Array(Schema.String))
const ChangeInput = {
  diff: Schema.optional(Lines),
  change: Schema.optional(Schema.Unknown),
  terraformPlan: Schema.optional(Schema.Unknown)
}
const PolicyCaseInput = Schema.Union(
  Schema.Struct({ op: Schema.Literal("parse-diff"), diff: Lines }),
  Schema.Struct({ op: Schema.Literal("terraform-plan"), plan: Schema.Unknown }),
  Schema.Struct({
    op: Schema.Literal("intent"),
    ...ChangeInput,
    declared: Schema.optional(Schema.Literal("import", "create", "update", "destroy", "refactor", "migrate"))
  }),
  Schema.Struct({
    op: Schema.Literal("compose"),
    roots: Schema.Array(Schema.Unknown),
    available: Schema.optional(Schema.Array(Schema.Unknown))
  }),
  Schema.Struct({
    op: Schema.Literal("evaluate"),
    packs: Schema.Array(Schema.Unknown),
    available: Schema.optional(Schema.Array(Schema.Unknown)),
    ...ChangeInput,
    context: PolicyContext,
    budgetMs: Schema.optional(Schema.Int.pipe(Schema.positive()))
  })
)

/** The case input is not one of the operations above. */
class InvalidPolicyCase extends Schema.TaggedError<InvalidPolicyCase>()("InvalidPolicyCase", {
  detail: Schema.String
}) {
  override get message() {
    return `invalid golden input for area policy: ${this.detail}`
  }
}

const text = (lines: string | ReadonlyArray<string>) =>
  typeof lines === "string" ? lines : `${lines.join("\n")}\n`

/** The change a case gives, or the parse refusal as data. */
const changeOf = (input: {
  readonly diff?: string | ReadonlyArray<string>
  readonly change?: unknown
  readonly terraformPlan?: unknown
}): Effect.Effect<Either.Either<ChangeSet, object>, InvalidPolicyCase> => {
  if (input.diff !== undefined) {
    return Effect.succeed(
      Either.mapLeft(parseUnifiedDiff(text(input.diff)), (e) => ({ error: e._tag, line: e.line }))
    )
  }
  if (input.terraformPlan !== undefined) {
    return Effect.succeed(
      Either.mapLeft(changeSetFromTerraformPlan(input.terraformPlan), (e) => ({
        error: e._tag,
        pointer: e.pointer
      }))
    )
  }
  if (input.change !== undefined) {
    return Schema.decodeUnknown(ChangeSet)(input.change).pipe(
      Effect.mapBoth({
        onFailure: (error) => new InvalidPolicyCase({ detail: `change: ${error.message}` }),
        onSuccess: (change) => Either.right(change)
      })
    )
  }
  return Effect.fail(new InvalidPolicyCase({ detail: "one of diff, change or terraformPlan is required" }))
}

/** Decodes pack manifests, or the first refusal as data. */
const packsOf = (jsons: ReadonlyArray<unknown>): Either.Either<ReadonlyArray<LoadedPack>, object> => {
  const packs: Array<LoadedPack> = []
  for (const json of jsons) {
    const decoded = packFromJson(json)
    if (Either.isLeft(decoded)) {
      return Either.left({ error: decoded.left._tag, pack: decoded.left.pack, pointer: decoded.left.pointer })
    }
    packs.push(decoded.right)
  }
  return Either.right(packs)
}

const run = (raw: unknown) =>
  Effect.gen(function* () {
    const input = yield* Schema.decodeUnknown(PolicyCaseInput)(raw).pipe(
      Effect.mapError((error) => new InvalidPolicyCase({ detail: error.message }))
    )
    switch (input.op) {
      case "parse-diff":
        return Either.merge(yield* changeOf({ diff: input.diff }))
      case "terraform-plan":
        return Either.merge(yield* changeOf({ terraformPlan: input.plan }))
      case "intent": {
        const change = yield* changeOf(input)
        if (Either.isLeft(change)) return change.left
        const { intent, counts } = inferIntent(change.right)
        return {
          inferred: intent,
          counts,
          ...(input.declared === undefined ? {} : { allowed: intentAllows(input.declared, counts) })
        }
      }
      case "compose": {
        const roots = packsOf(input.roots)
        if (Either.isLeft(roots)) return roots.left
        const available = packsOf(input.available ?? [])
        if (Either.isLeft(available)) return available.left
        const resolved = resolvePacks(roots.right, available.right)
        if (Either.isLeft(resolved)) {
          const { reason, pack, chain } = resolved.left
          return { error: resolved.left._tag, reason, pack, chain }
        }
        return {
          packs: resolved.right.packs.map((p) => `${p.pack.id}@${p.pack.version}`),
          rules: resolved.right.rules.map((rule) => ({
            id: rule.id,
            layer: rule.layer,
            severity: rule.severity,
            action: rule.action,
            definedIn: rule.definitions.map((d) => d.pack)
          })),
          resolutions: resolved.right.resolutions
        }
      }
      case "evaluate": {
        const roots = packsOf(input.packs)
        if (Either.isLeft(roots)) return roots.left
        const available = packsOf(input.available ?? [])
        if (Either.isLeft(available)) return available.left
        const resolved = resolvePacks(roots.right, available.right)
        if (Either.isLeft(resolved)) {
          const { reason, pack, chain } = resolved.left
          return { error: resolved.left._tag, reason, pack, chain }
        }
        const change = yield* changeOf(input)
        if (Either.isLeft(change)) return change.left
        return yield* evaluatePacks({
          packs: resolved.right,
          change: change.right,
          context: input.context,
          ...(input.budgetMs === undefined ? {} : { budgetMs: input.budgetMs })
        }).pipe(
          Effect.catchTag("PolicyEvaluationFailed", (error) =>
            Effect.succeed({
              error: error._tag,
              reason: error.reason,
              ...(error.ruleId === undefined ? {} : { ruleId: error.ruleId })
            })
          )
        )
      }
    }
  })

/** The `policy` golden area. */
export const adapter: GoldenAdapter = { area: "policy", run }
