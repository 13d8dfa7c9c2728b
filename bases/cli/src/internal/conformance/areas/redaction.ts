import type { GoldenAdapter } from "@gauntlet/conformance"
import { detectSecrets, redactJson, redactText } from "@gauntlet/redaction"
import { Effect, ParseResult, Schema } from "effect"

/**
 * Golden adapter for area `redaction` (spec N6 "Redaction"). The input's `op`:
 * - `detect` `{ text }` → `{ findings }` (type, start, end, line, column);
 * - `redact-text` `{ text }` → `{ text, findings }`;
 * - `redact-json` `{ value }` → `{ value, findings }` (findings carry the JSON pointer).
 */

class InvalidRedactionCase extends Schema.TaggedError<InvalidRedactionCase>()("InvalidRedactionCase", {
  detail: Schema.String
}) {
  override get message() {
    return `invalid golden input for area redaction: ${this.detail}`
  }
}

const RedactionCase = Schema.Union(
  Schema.Struct({ op: Schema.Literal("detect", "redact-text"), text: Schema.String }),
  Schema.Struct({ op: Schema.Literal("redact-json"), value: Schema.Unknown })
)

const run = (input: unknown): Effect.Effect<unknown, InvalidRedactionCase> =>
  Schema.decodeUnknown(RedactionCase)(input).pipe(
    Effect.mapError(
      (e) => new InvalidRedactionCase({ detail: ParseResult.TreeFormatter.formatErrorSync(e) })
    ),
    Effect.map((c) => {
      if (c.op === "redact-json") return redactJson(c.value)
      return c.op === "detect" ? { findings: detectSecrets(c.text) } : redactText(c.text)
    })
  )

/** The `redaction` area: secret and PII detection and redaction of text and JSON. */
export const adapter: GoldenAdapter = { area: "redaction", run }
