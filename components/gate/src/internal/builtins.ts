import { Effect, Either, ParseResult, Schema } from "effect"
import type { Gate } from "./Gate.js"
import type { GateInput, GateLayer } from "./verdict.js"
import type { Violation } from "./violation.js"

const pointerOf = (path: ReadonlyArray<PropertyKey>): string =>
  path.map((key) => `/${String(key).replaceAll("~", "~0").replaceAll("/", "~1")}`).join("")

/** Options of `jsonSchemaGate`: the rule id of its violations, their severity, and whether unknown members are violations. */
export interface JsonSchemaGateOptions {
  readonly ruleId?: string
  readonly severity?: Violation["severity"]
  readonly onExcessProperty?: "ignore" | "error"
}

/**
 * A gate (typically L0) that requires the agent's output to decode with an Effect Schema. Every schema issue is a
 * violation (rule `output-schema` unless told, severity `high`) located by the JSON pointer of the offending value.
 */
export const jsonSchemaGate = <A, I>(
  name: string,
  layer: GateLayer,
  schema: Schema.Schema<A, I, never>,
  options: JsonSchemaGateOptions = {}
): Gate => {
  const decode = Schema.decodeUnknownEither(schema, {
    errors: "all",
    onExcessProperty: options.onExcessProperty ?? "ignore"
  })
  const ruleId = options.ruleId ?? "output-schema"
  const severity = options.severity ?? "high"
  return {
    name,
    layer,
    check: (input) =>
      Effect.sync(() => {
        const decoded = decode(input.output)
        if (Either.isRight(decoded)) return { violations: [] }
        const issues = ParseResult.ArrayFormatter.formatErrorSync(decoded.left)
        return {
          violations: issues.map((issue): Violation => {
            const pointer = pointerOf(issue.path)
            return {
              ruleId,
              severity,
              message: `output ${pointer === "" ? "" : `at ${pointer} `}${issue.message}`,
              location: { pointer },
              remediation: `make the output match the ${name} schema at ${pointer === "" ? "/" : pointer}`
            }
          })
        }
      })
  }
}

/**
 * A gate from a pure function returning the violations of an input (an empty array passes). A function that
 * throws, or returns something that is not a violation list, makes the gate fail closed.
 */
export const predicateGate = (
  name: string,
  layer: GateLayer,
  violationsOf: (input: GateInput) => ReadonlyArray<Violation>
): Gate => ({
  name,
  layer,
  check: (input) => Effect.sync(() => ({ violations: violationsOf(input) }))
})
