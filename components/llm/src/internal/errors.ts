import { type FailureClass, FailureClassId } from "@gauntlet/failure"
import { Schema } from "effect"

/**
 * A call the chokepoint refuses before anything is reserved or sent: an unknown or unavailable model, a provider
 * that is not registered, `maxOutputTokens` above the model's maximum. `pointer` is a JSON pointer into the request.
 * A caller's or configuration mistake: class `tool-error` (terminal).
 */
export class LlmRequestRefused extends Schema.TaggedError<LlmRequestRefused>()("LlmRequestRefused", {
  model: Schema.String,
  pointer: Schema.String,
  reason: Schema.String
}) {
  get [FailureClassId](): FailureClass {
    return "tool-error"
  }

  override get message() {
    return `llm call to ${this.model} refused at ${this.pointer || "/"}: ${this.reason}`
  }
}

/** The closest recorded cassette entry to a missed request: its digest, line and the request fields that differ. */
export const ClosestEntry = Schema.Struct({
  digest: Schema.String,
  line: Schema.Int,
  differences: Schema.Array(Schema.String)
})
/** The closest recorded cassette entry to a missed request. */
export type ClosestEntry = typeof ClosestEntry.Type

/**
 * Replay mode found no recorded answer for a request. Names the request digest and the closest recorded entry
 * (its digest, line and differing fields), so a changed prompt is easy to spot. Never followed by a network call.
 * Class `data-integrity` (terminal): re-record the cassette.
 */
export class CassetteMiss extends Schema.TaggedError<CassetteMiss>()("CassetteMiss", {
  file: Schema.String,
  digest: Schema.String,
  model: Schema.String,
  closest: Schema.optional(ClosestEntry)
}) {
  get [FailureClassId](): FailureClass {
    return "data-integrity"
  }

  override get message() {
    const closest =
      this.closest === undefined
        ? "the cassette is empty"
        : `closest recorded entry ${this.closest.digest} (line ${this.closest.line}) differs at ${this.closest.differences.join(", ") || "the provider"}`
    return `cassette ${this.file} has no answer for ${this.model} request ${this.digest}; ${closest}. Re-record with GAUNTLET_LLM_MODE=record`
  }
}

/** A cassette line is not a valid entry (bad JSON, wrong shape, digest that does not match its request). */
export class CassetteCorrupt extends Schema.TaggedError<CassetteCorrupt>()("CassetteCorrupt", {
  file: Schema.String,
  line: Schema.Int,
  reason: Schema.String
}) {
  get [FailureClassId](): FailureClass {
    return "data-integrity"
  }

  override get message() {
    return `corrupted cassette ${this.file} line ${this.line}: ${this.reason}`
  }
}

/** A cassette file could not be read or written. Class `tool-error`. */
export class CassetteUnavailable extends Schema.TaggedError<CassetteUnavailable>()("CassetteUnavailable", {
  file: Schema.String,
  operation: Schema.Literal("read", "write"),
  reason: Schema.String
}) {
  get [FailureClassId](): FailureClass {
    return "tool-error"
  }

  override get message() {
    return `cannot ${this.operation} cassette ${this.file}: ${this.reason}`
  }
}

/**
 * Structured output did not decode, even after the one repair attempt that fed the decode error back. Class
 * `agent-error` (repairable by the phase's inner loop).
 */
export class LlmOutputInvalid extends Schema.TaggedError<LlmOutputInvalid>()("LlmOutputInvalid", {
  model: Schema.String,
  schema: Schema.String,
  reason: Schema.String,
  attempts: Schema.Int
}) {
  get [FailureClassId](): FailureClass {
    return "agent-error"
  }

  override get message() {
    return `${this.model} output does not match schema ${this.schema} after ${this.attempts} attempt(s): ${this.reason}`
  }
}

/** The stage cache store failed. Class `external`. */
export class StageCacheFailure extends Schema.TaggedError<StageCacheFailure>()("StageCacheFailure", {
  operation: Schema.Literal("get", "put"),
  reason: Schema.String
}) {
  get [FailureClassId](): FailureClass {
    return "external"
  }

  override get message() {
    return `stage cache ${this.operation} failed: ${this.reason}`
  }
}
