import { isSha256Digest, type Sha256Digest } from "@gauntlet/canonical"
import { Schema } from "effect"

/** A `sha256:<64 lowercase hex>` digest. */
export const ArtifactDigest = Schema.String.pipe(
  Schema.filter((value): value is Sha256Digest => isSha256Digest(value), {
    message: () => "expected a digest sha256:<64 lowercase hex digits>"
  })
).annotations({ identifier: "ArtifactDigest" })

/** An artifact an agent produced: its name, content digest, media type and (for small text artifacts) content. */
export const Artifact = Schema.Struct({
  name: Schema.String.pipe(Schema.minLength(1)),
  digest: ArtifactDigest,
  mediaType: Schema.optional(Schema.String.pipe(Schema.minLength(1))),
  content: Schema.optional(Schema.String)
}).annotations({ identifier: "AgentArtifact" })

/** An artifact an agent produced. */
export type Artifact = typeof Artifact.Type

const Tokens = Schema.Int.pipe(Schema.nonNegative())

/** What an invocation consumed: tokens, cost in USD and, when known, the model (`"scripted"` for scripted agents). */
export const AgentUsage = Schema.Struct({
  inputTokens: Tokens,
  outputTokens: Tokens,
  costUsd: Schema.Number.pipe(Schema.nonNegative(), Schema.finite()),
  model: Schema.optional(Schema.String.pipe(Schema.minLength(1)))
}).annotations({ identifier: "AgentUsage" })

/** What an invocation consumed. */
export type AgentUsage = typeof AgentUsage.Type

/** What an agent returns: its output (JSON, checked by the phase's gates), its artifacts and its usage. */
export const AgentOutput = Schema.Struct({
  output: Schema.Unknown,
  artifacts: Schema.Array(Artifact),
  usage: AgentUsage
}).annotations({ identifier: "AgentOutput" })

/** What an agent returns. */
export type AgentOutput = typeof AgentOutput.Type
