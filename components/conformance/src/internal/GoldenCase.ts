import { JSONSchema, Schema } from "effect"

/** The pattern every requirement id follows: `N<spec digit>-R<number>`, e.g. `N3-R4` or `N0-R1`. */
export const REQUIREMENT_ID_PATTERN = /^N[0-9]-R\d+$/

/** A requirement id such as `N3-R4`, naming a requirement in `specs/normative/N<k>-*.md`. */
export const RequirementId = Schema.String.pipe(
  Schema.pattern(REQUIREMENT_ID_PATTERN, {
    description: "A requirement id: N<spec>-R<number>, e.g. N3-R4"
  })
)

/** A JSON value as RFC 8259 defines it (the type of a case's `input` and `expected`). */
export type JsonValue =
  | null
  | boolean
  | number
  | string
  | ReadonlyArray<JsonValue>
  | { readonly [key: string]: JsonValue }

/** Schema of any JSON value: null, boolean, finite number, string, array or object of JSON values. */
export const JsonValue: Schema.Schema<JsonValue> = Schema.Union(
  Schema.Null,
  Schema.Boolean,
  Schema.Number,
  Schema.String,
  Schema.Array(Schema.suspend((): Schema.Schema<JsonValue> => JsonValue)),
  Schema.Record({ key: Schema.String, value: Schema.suspend((): Schema.Schema<JsonValue> => JsonValue) })
).annotations({ identifier: "JsonValue", description: "Any JSON value." })

/**
 * One data-only golden case (`golden/<area>/<case>.json`): the requirement it checks, a description, the input
 * given to the area's adapter and the exact output expected back.
 */
export const GoldenCase = Schema.Struct({
  requirement: RequirementId,
  description: Schema.String.pipe(Schema.minLength(1)),
  input: JsonValue.annotations({ description: "The JSON value given to the area's adapter." }),
  expected: JsonValue.annotations({
    description: "The exact JSON value the adapter must return for the input."
  }),
  tags: Schema.optional(Schema.Array(Schema.String))
}).annotations({
  identifier: "GoldenCase",
  title: "Golden conformance case",
  description: "A data-only conformance case keyed to a normative requirement id."
})

/** The decoded type of a golden case. */
export type GoldenCase = typeof GoldenCase.Type

/** The JSON Schema (draft 2020-12) of a golden case: what the loader validates files against with ajv. */
export const goldenCaseJsonSchema: JSONSchema.JsonSchema7Root = JSONSchema.make(GoldenCase, {
  target: "jsonSchema2020-12"
})
