import {
  BudgetExhausted,
  type BudgetRemaining,
  type BudgetState,
  chargeOpenReservations,
  type InvalidBudgetRequest,
  release,
  remaining,
  reserve,
  spentOf,
  tryCommit,
  tryMakeBudgetState,
  worstCaseEstimate
} from "@gauntlet/budget"
import type { GoldenAdapter } from "@gauntlet/conformance"
import { classifyUnknown } from "@gauntlet/failure"
import { Effect, Either, ParseResult, Schema } from "effect"

/**
 * Golden adapter for area `budget` (spec N2 "Budgets"). The input's `op` names the operation:
 * - `ledger` `{ plan: { run, phases? }, steps, query? }`: builds the state with `makeBudgetState(plan)` and applies
 *   `steps` in order — `{ reserve: { scope, id, estimate } }`, `{ commit: { id?, scope?, actual } }`,
 *   `{ release: id }`, `{ resume: true }` (round-trips the state through JSON text, then charges open reservations
 *   at their estimate). A refused step leaves the state unchanged and the sequence goes on. Output:
 *   `{ results, state, spent?, remaining? }` where `results[i]` is `"ok"` or the refusal as data
 *   (`{ error: "BudgetExhausted", failureClass, scope, dimension, limit, spent, reserved, requested }` or
 *   `{ error: "InvalidBudgetRequest", operation, pointer }`), and `spent`/`remaining` give each `query` scope's
 *   amounts (`null` for an unlimited remaining dimension). A plan that is refused yields `{ error, … }` alone.
 * - `worst-case` `{ inputTokens, maxOutputTokens, inputPerMTok, outputPerMTok }` → `{ tokens, costUsd }`.
 * A malformed case input fails the case with `InvalidBudgetCase` naming what is wrong.
 */

const Json = Schema.Unknown

const Step = Schema.Union(
  Schema.Struct({ reserve: Schema.Struct({ scope: Schema.String, id: Schema.String, estimate: Json }) }),
  Schema.Struct({
    commit: Schema.Struct({
      id: Schema.optional(Schema.String),
      scope: Schema.optional(Schema.String),
      actual: Json
    })
  }),
  Schema.Struct({ release: Schema.String }),
  Schema.Struct({ resume: Schema.Literal(true) })
)
type Step = typeof Step.Type

const BudgetCaseInput = Schema.Union(
  Schema.Struct({
    op: Schema.Literal("ledger"),
    plan: Schema.Struct({
      run: Json,
      phases: Schema.optional(Schema.Record({ key: Schema.String, value: Json }))
    }),
    steps: Schema.Array(Step),
    query: Schema.optional(Schema.Array(Schema.String))
  }),
  Schema.Struct({
    op: Schema.Literal("worst-case"),
    inputTokens: Schema.NonNegativeInt,
    maxOutputTokens: Schema.NonNegativeInt,
    inputPerMTok: Schema.NonNegative,
    outputPerMTok: Schema.NonNegative
  })
)

/** The case input is not one of the operations above. */
class InvalidBudgetCase extends Schema.TaggedError<InvalidBudgetCase>()("InvalidBudgetCase", {
  detail: Schema.String
}) {
  override get message() {
    return `invalid golden input for area budget: ${this.detail}`
  }
}

/** A refusal as JSON data. */
const refusalOf = (error: BudgetExhausted | InvalidBudgetRequest) =>
  error instanceof BudgetExhausted
    ? {
        error: error._tag,
        failureClass: classifyUnknown(error).failureClass,
        scope: error.scope,
        dimension: error.dimension,
        limit: error.limit,
        spent: error.spent,
        reserved: error.reserved,
        requested: error.requested
      }
    : { error: error._tag, operation: error.operation, pointer: error.pointer }

const finite = (left: BudgetRemaining) =>
  Object.fromEntries(Object.entries(left).map(([k, v]) => [k, Number.isFinite(v) ? v : null]))

const applyStep = (
  state: BudgetState,
  step: Step
): Either.Either<BudgetState, BudgetExhausted | InvalidBudgetRequest> => {
  if ("reserve" in step) return reserve(state, step.reserve as Parameters<typeof reserve>[1])
  if ("commit" in step) return tryCommit(state, step.commit as Parameters<typeof tryCommit>[1])
  if ("release" in step) return Either.right(release(state, step.release))
  return Either.right(chargeOpenReservations(JSON.parse(JSON.stringify(state)) as BudgetState))
}

const evaluate = (input: typeof BudgetCaseInput.Type): unknown => {
  if (input.op === "worst-case") return worstCaseEstimate(input)
  const made = tryMakeBudgetState(input.plan as Parameters<typeof tryMakeBudgetState>[0])
  if (Either.isLeft(made)) return refusalOf(made.left)
  let state = made.right
  const results: Array<unknown> = []
  for (const step of input.steps) {
    const next = applyStep(state, step)
    if (Either.isRight(next)) {
      state = next.right
      results.push("ok")
    } else results.push(refusalOf(next.left))
  }
  const query = input.query ?? []
  return {
    results,
    state,
    ...(query.length === 0
      ? {}
      : {
          spent: Object.fromEntries(query.map((s) => [s, spentOf(state, s)])),
          remaining: Object.fromEntries(query.map((s) => [s, finite(remaining(state, s))]))
        })
  }
}

/** Each issue as `<JSON pointer>: <message>`. */
const describeIssues = (error: ParseResult.ParseError): string =>
  ParseResult.ArrayFormatter.formatErrorSync(error)
    .map((issue) => `/${issue.path.map(String).join("/")}: ${issue.message}`)
    .join("; ")

const run = (input: unknown): Effect.Effect<unknown, InvalidBudgetCase> =>
  Schema.decodeUnknown(BudgetCaseInput)(input).pipe(
    Effect.mapError((error) => new InvalidBudgetCase({ detail: describeIssues(error) })),
    Effect.map(evaluate)
  )

/** The `budget` area: budget states, reservations, commits and refusals of `@gauntlet/budget`. */
export const adapter: GoldenAdapter = { area: "budget", run }
