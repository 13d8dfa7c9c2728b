import { Schema } from "effect"

/** Every kind of secret or personal data the detectors recognise; the `<type>` in `[REDACTED:<type>]`. */
export const SecretType = Schema.Literal(
  "private-key",
  "jwt",
  "aws-access-key",
  "aws-secret-key",
  "github-token",
  "gitlab-token",
  "slack-token",
  "gcp-api-key",
  "stripe-key",
  "anthropic-key",
  "openai-key",
  "bearer-token",
  "generic-api-key",
  "high-entropy",
  "email",
  "phone"
)
export type SecretType = typeof SecretType.Type

/**
 * One detected secret: `[start, end)` are UTF-16 offsets into the scanned text, `line` and `column` are 1-based
 * (column counts UTF-16 code units from the start of the line).
 */
export const Finding = Schema.Struct({
  type: SecretType,
  start: Schema.Number,
  end: Schema.Number,
  line: Schema.Number,
  column: Schema.Number
})
export type Finding = typeof Finding.Type

/** A finding inside a JSON value: `pointer` (RFC 6901) names the string that held it. */
export const JsonFinding = Schema.Struct({
  ...Finding.fields,
  pointer: Schema.String
})
export type JsonFinding = typeof JsonFinding.Type

/** The text that replaces a secret of the given type. */
export const placeholderFor = (type: SecretType): string => `[REDACTED:${type}]`

/** Matches a placeholder already in a text (so redacting twice changes nothing). */
export const PLACEHOLDER_PATTERN = /\[REDACTED:[a-z0-9-]{1,32}\]/g
