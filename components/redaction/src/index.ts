/**
 * @module @gauntlet/redaction
 * Secret and personal-data detection (cloud and SaaS tokens, private keys, JWTs, secret assignments,
 * high-entropy strings, emails, phone numbers) with linear-time patterns, and redaction to `[REDACTED:<type>]`
 * of text, JSON values and event drafts — applied before anything is stored in logs or evidence.
 */

/** All findings in a text, sorted and non-overlapping. */
export { detectSecrets } from "./internal/detect.js"
/** Shannon entropy and the documented thresholds of the high-entropy detector. */
export {
  HIGH_ENTROPY_MAX_LENGTH,
  HIGH_ENTROPY_MIN_LENGTH,
  HIGH_ENTROPY_THRESHOLD_BITS,
  shannonEntropy
} from "./internal/entropy.js"
/** The detected kinds, a finding (offsets, line, column) and a finding inside a JSON value (with its pointer). */
/** The placeholder text for a type, and the pattern recognising placeholders already in a text. */
export { Finding, JsonFinding, PLACEHOLDER_PATTERN, placeholderFor, SecretType } from "./internal/finding.js"
/** Redaction of a text, a JSON value, and an event draft's payload. */
export { redactDraft, redactJson, redactText } from "./internal/redact.js"
