import type { GoldenAdapter } from "@gauntlet/conformance"
import {
  type Classification,
  classifyCause,
  classifyExit,
  classifyHttpStatus,
  classifyMessage,
  classifyUnknown,
  classOfExitCode,
  dispositionOf,
  exitCodeOf,
  FAILURE_CLASSES,
  FailureClass,
  fingerprintOf,
  isFailureClass,
  normalizeLocation,
  normalizeMessage,
  repairStrategyOf
} from "@gauntlet/failure"
import { Cause, Effect, FiberId, Option, ParseResult, Schema } from "effect"

/**
 * Golden adapter for area `failure` (spec N1 "Failure taxonomy"). The input's `op` names the operation:
 * - `classes` `{}` → `{ classes }` (the ten class names in order); `is-failure-class` `{ value }` → `{ valid }`;
 * - `taxonomy` `{ failureClass }` → `{ disposition, repairStrategy, exitCode }`;
 * - `class-of-exit-code` `{ exitCode }` → `{ failureClass }` (`null` when the code is no class's);
 * - `classify-http-status` `{ status, headers?, now? (ISO time) }`, `classify-exit` `{ code, signal?, kind? }`,
 *   `classify-message` `{ text }`, `classify-unknown` `{ value }` (a JSON value as thrown),
 *   `classify-cause` `{ cause }` (a JSON description: `{ fail }`, `{ die }`, `{ interrupt: true }`,
 *   `{ sequential: [a, b] }`, `{ parallel: [a, b] }`, `"empty"`) → `{ failureClass, disposition, retryAfterMs? }`
 *   (the informative rule id is left out: implementations need not share rule names);
 * - `fingerprint` `{ failureClass, message, location? }` → `{ normalizedMessage, normalizedLocation?, fingerprint }`;
 * - `compare-fingerprints` `{ a, b }` (two fingerprint inputs) → `{ same }`.
 * A malformed case input fails the case with `InvalidFailureCase` naming what is wrong.
 */

const FingerprintFields = {
  failureClass: FailureClass,
  message: Schema.String,
  location: Schema.optional(Schema.String)
}

/** Any JSON value, present (unlike `Schema.Unknown`, a missing key does not satisfy it). */
const PresentJson = Schema.Union(
  Schema.Null,
  Schema.Boolean,
  Schema.Number,
  Schema.String,
  Schema.Array(Schema.Unknown),
  Schema.Record({ key: Schema.String, value: Schema.Unknown })
)

/** A JSON description of an Effect `Cause`. */
type CauseSpec =
  | "empty"
  | { readonly fail: typeof PresentJson.Type }
  | { readonly die: typeof PresentJson.Type }
  | { readonly interrupt: true }
  | { readonly sequential: readonly [CauseSpec, CauseSpec] }
  | { readonly parallel: readonly [CauseSpec, CauseSpec] }

const CauseSpec: Schema.Schema<CauseSpec> = Schema.Union(
  Schema.Literal("empty"),
  Schema.Struct({ fail: PresentJson }),
  Schema.Struct({ die: PresentJson }),
  Schema.Struct({ interrupt: Schema.Literal(true) }),
  Schema.Struct({
    sequential: Schema.Tuple(
      Schema.suspend((): Schema.Schema<CauseSpec> => CauseSpec),
      Schema.suspend((): Schema.Schema<CauseSpec> => CauseSpec)
    )
  }),
  Schema.Struct({
    parallel: Schema.Tuple(
      Schema.suspend((): Schema.Schema<CauseSpec> => CauseSpec),
      Schema.suspend((): Schema.Schema<CauseSpec> => CauseSpec)
    )
  })
)

const FailureCaseInput = Schema.Union(
  Schema.Struct({ op: Schema.Literal("classes") }),
  Schema.Struct({ op: Schema.Literal("is-failure-class"), value: PresentJson }),
  Schema.Struct({ op: Schema.Literal("taxonomy"), failureClass: FailureClass }),
  Schema.Struct({ op: Schema.Literal("class-of-exit-code"), exitCode: Schema.Int }),
  Schema.Struct({
    op: Schema.Literal("classify-http-status"),
    status: Schema.Number,
    headers: Schema.optional(Schema.Record({ key: Schema.String, value: Schema.String })),
    now: Schema.optional(Schema.String)
  }),
  Schema.Struct({
    op: Schema.Literal("classify-exit"),
    code: Schema.NullOr(Schema.Number),
    signal: Schema.optional(Schema.NullOr(Schema.String)),
    kind: Schema.optional(Schema.Literal("check", "tool"))
  }),
  Schema.Struct({ op: Schema.Literal("classify-message"), text: Schema.String }),
  Schema.Struct({ op: Schema.Literal("classify-unknown"), value: PresentJson }),
  Schema.Struct({ op: Schema.Literal("classify-cause"), cause: CauseSpec }),
  Schema.Struct({ op: Schema.Literal("fingerprint"), ...FingerprintFields }),
  Schema.Struct({
    op: Schema.Literal("compare-fingerprints"),
    a: Schema.Struct(FingerprintFields),
    b: Schema.Struct(FingerprintFields)
  })
)

/** The case input is not one of the operations above. */
class InvalidFailureCase extends Schema.TaggedError<InvalidFailureCase>()("InvalidFailureCase", {
  detail: Schema.String
}) {
  override get message() {
    return `invalid golden input for area failure: ${this.detail}`
  }
}

const causeOf = (spec: CauseSpec): Cause.Cause<unknown> => {
  if (spec === "empty") return Cause.empty
  if ("fail" in spec) return Cause.fail(spec.fail)
  if ("die" in spec) return Cause.die(spec.die)
  if ("interrupt" in spec) return Cause.interrupt(FiberId.none)
  if ("sequential" in spec) return Cause.sequential(causeOf(spec.sequential[0]), causeOf(spec.sequential[1]))
  return Cause.parallel(causeOf(spec.parallel[0]), causeOf(spec.parallel[1]))
}

const outcome = ({ failureClass, disposition, retryAfterMs }: Classification) =>
  retryAfterMs === undefined ? { failureClass, disposition } : { failureClass, disposition, retryAfterMs }

const fingerprintView = (input: {
  failureClass: FailureClass
  message: string
  location?: string | undefined
}) => ({
  normalizedMessage: normalizeMessage(input.message),
  ...(input.location === undefined ? {} : { normalizedLocation: normalizeLocation(input.location) }),
  fingerprint: fingerprintOf(input)
})

const evaluate = (input: typeof FailureCaseInput.Type): unknown => {
  switch (input.op) {
    case "classes":
      return { classes: FAILURE_CLASSES }
    case "is-failure-class":
      return { valid: isFailureClass(input.value) }
    case "taxonomy":
      return {
        disposition: dispositionOf(input.failureClass),
        repairStrategy: repairStrategyOf(input.failureClass),
        exitCode: exitCodeOf(input.failureClass)
      }
    case "class-of-exit-code":
      return { failureClass: Option.getOrNull(classOfExitCode(input.exitCode)) }
    case "classify-http-status": {
      const now = input.now === undefined ? undefined : Date.parse(input.now)
      return outcome(classifyHttpStatus(input.status, input.headers, now === undefined ? {} : { now }))
    }
    case "classify-exit":
      return outcome(classifyExit(input))
    case "classify-message":
      return outcome(classifyMessage(input.text))
    case "classify-unknown":
      return outcome(classifyUnknown(input.value))
    case "classify-cause":
      return outcome(classifyCause(causeOf(input.cause)))
    case "fingerprint":
      return fingerprintView(input)
    case "compare-fingerprints":
      return { same: fingerprintOf(input.a) === fingerprintOf(input.b) }
  }
}

/** Each issue as `<JSON pointer>: <message>`, e.g. `/code: Expected number, actual "x"`. */
const describeIssues = (error: ParseResult.ParseError): string =>
  ParseResult.ArrayFormatter.formatErrorSync(error)
    .map((issue) => `/${issue.path.map(String).join("/")}: ${issue.message}`)
    .join("; ")

const run = (input: unknown): Effect.Effect<unknown, InvalidFailureCase> =>
  Schema.decodeUnknown(FailureCaseInput)(input).pipe(
    Effect.mapError((error) => new InvalidFailureCase({ detail: describeIssues(error) })),
    Effect.map(evaluate)
  )

/** The `failure` area: taxonomy lookups, the classifiers and fingerprints of `@gauntlet/failure`. */
export const adapter: GoldenAdapter = { area: "failure", run }
