import { Schema } from "effect"
import { Intent } from "./intent.js"

const Text = Schema.String.pipe(Schema.minLength(1))

/** A text the run took from somewhere (an issue, a fetched page, a repo file): its trust and where it goes. */
export const ContextSource = Schema.Struct({
  name: Text,
  kind: Schema.optional(Text),
  trust: Schema.Literal("trusted", "untrusted"),
  channel: Schema.optional(Schema.Literal("instructions", "data")),
  text: Schema.String
}).annotations({ identifier: "PolicyContextSource" })

/** A text the run took from somewhere. */
export type ContextSource = typeof ContextSource.Type

/** The result of one of the repository's own verification commands (typecheck, lint, test). */
export const VerifyResult = Schema.Struct({
  name: Text,
  command: Schema.optional(Text),
  status: Schema.Literal("passed", "failed", "not-configured", "not-run"),
  exitCode: Schema.optional(Schema.Int),
  summary: Schema.optional(Schema.String)
}).annotations({ identifier: "PolicyVerifyResult" })

/** The result of one verification command. */
export type VerifyResult = typeof VerifyResult.Type

/**
 * What a policy evaluation knows besides the change: the phase, the task's declared scope (path globs) and intent,
 * texts from outside with their trust labels, commands the agent ran, and verification results.
 */
export const PolicyContext = Schema.Struct({
  phase: Text,
  scope: Schema.optional(Schema.Array(Text)),
  intent: Schema.optional(Intent),
  sources: Schema.optional(Schema.Array(ContextSource)),
  commands: Schema.optional(Schema.Array(Schema.String)),
  verify: Schema.optional(Schema.Array(VerifyResult))
}).annotations({ identifier: "PolicyContext" })

/** What a policy evaluation knows besides the change. */
export type PolicyContext = typeof PolicyContext.Type
