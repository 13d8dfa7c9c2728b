import { type FailureClass, FailureClassId } from "@gauntlet/failure"
import { Schema } from "effect"
import type { LlmMode } from "./cassette.js"

/** The chokepoint mode could not be decided from the configuration. */
export class InvalidLlmMode extends Schema.TaggedError<InvalidLlmMode>()("InvalidLlmMode", {
  reason: Schema.String
}) {
  get [FailureClassId](): FailureClass {
    return "tool-error"
  }

  override get message() {
    return `invalid LLM mode: ${this.reason}`
  }
}

/** Inputs of `resolveLlmMode`: `GAUNTLET_LLM_MODE`, `--cassette <file>` and whether any provider is configured. */
export interface LlmModeInput {
  readonly mode?: string | undefined
  readonly cassette?: string | undefined
  readonly providersConfigured: boolean
}

/** A decided mode and the cassette it uses. */
export interface ResolvedLlmMode {
  readonly mode: LlmMode
  readonly cassette?: string
  readonly why: string
}

/**
 * Decides the chokepoint mode (spec N7-R17): an explicit `live|record|replay` wins (`record` and `replay` need a
 * cassette); otherwise `live` when a provider is configured, `replay` when only a cassette is given, and an
 * error when neither (no call could ever be answered).
 */
export const resolveLlmMode = (input: LlmModeInput): ResolvedLlmMode | InvalidLlmMode => {
  const cassette = input.cassette === undefined || input.cassette === "" ? {} : { cassette: input.cassette }
  const explicit = input.mode?.trim()
  if (explicit !== undefined && explicit !== "") {
    if (explicit !== "live" && explicit !== "record" && explicit !== "replay") {
      return new InvalidLlmMode({
        reason: `GAUNTLET_LLM_MODE must be live, record or replay, got ${JSON.stringify(explicit)}`
      })
    }
    if (explicit !== "live" && cassette.cassette === undefined) {
      return new InvalidLlmMode({ reason: `mode ${explicit} needs a cassette file (--cassette <file>)` })
    }
    return { mode: explicit, ...cassette, why: "GAUNTLET_LLM_MODE" }
  }
  if (input.providersConfigured) return { mode: "live", why: "a provider is configured" }
  if (cassette.cassette !== undefined)
    return { mode: "replay", ...cassette, why: "no provider configured; replaying the cassette" }
  return new InvalidLlmMode({
    reason:
      "no provider is configured and no cassette is given: set a provider key (ANTHROPIC_API_KEY, OPENAI_API_KEY, GEMINI_API_KEY) or GAUNTLET_LOCAL_BASE_URL, or pass --cassette <file>"
  })
}
