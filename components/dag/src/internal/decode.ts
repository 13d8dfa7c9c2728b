import { Effect, ParseResult, Schema } from "effect"
import { InvalidDagSpec } from "./errors.js"
import { DagSpec } from "./spec.js"

const decode = Schema.decodeUnknown(DagSpec, { errors: "first", onExcessProperty: "error" })

const toPointer = (path: ReadonlyArray<PropertyKey>): string =>
  path.map((p) => `/${String(p).replaceAll("~", "~0").replaceAll("/", "~1")}`).join("")

/**
 * Decodes untrusted JSON into a `DagSpec`. Unknown fields are rejected. Fails with `InvalidDagSpec` naming the JSON
 * pointer of the first offending value (`/nodes/2/retry/maxAttempts`) and why.
 */
export const decodeDagSpec = (input: unknown): Effect.Effect<DagSpec, InvalidDagSpec> =>
  decode(input).pipe(
    Effect.mapError((error) => {
      const issue = ParseResult.ArrayFormatter.formatErrorSync(error)[0]
      return new InvalidDagSpec({
        pointer: issue ? toPointer(issue.path) : "",
        reason: issue ? issue.message : error.message
      })
    })
  )
