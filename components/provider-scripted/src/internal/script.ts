import { LlmFinishReason, LlmUsage, ProviderErrorKind, ToolCallPart } from "@gauntlet/llm"
import { Either, ParseResult, Schema } from "effect"

/** When a step answers: every given condition must hold (model name, text in the last user message, template). */
export const StepMatch = Schema.Struct({
  model: Schema.optional(Schema.String),
  contains: Schema.optional(Schema.String),
  promptTemplateId: Schema.optional(Schema.String)
})
/** When a step answers. */
export type StepMatch = typeof StepMatch.Type

/** A scripted provider failure: the error kind, an optional HTTP status and retry-after. */
const StepError = Schema.Struct({
  kind: ProviderErrorKind,
  status: Schema.optional(Schema.Int),
  retryAfterMs: Schema.optional(Schema.NonNegativeInt),
  detail: Schema.optional(Schema.String)
})

/**
 * One scripted answer. Exactly one of `text`, `json` (sent as JSON text), `toolCalls` or `error`. `cutAfterChunks`
 * ends the stream after that many chunks without its final chunk (a cut stream). `repeat` keeps the step for every
 * later matching request. `delayMs` waits (on Effect's clock) before answering.
 */
export const ScriptStepLlm = Schema.Struct({
  match: Schema.optional(StepMatch),
  text: Schema.optional(Schema.String),
  json: Schema.optional(Schema.Unknown),
  toolCalls: Schema.optional(Schema.Array(ToolCallPart.pipe(Schema.omit("type")))),
  error: Schema.optional(StepError),
  usage: Schema.optional(LlmUsage),
  finishReason: Schema.optional(LlmFinishReason),
  cutAfterChunks: Schema.optional(Schema.NonNegativeInt),
  repeat: Schema.optional(Schema.Boolean),
  delayMs: Schema.optional(Schema.NonNegativeInt)
}).pipe(
  Schema.filter((step) => {
    const given = [step.text, step.json, step.toolCalls, step.error].filter((v) => v !== undefined).length
    return given === 1 || "a step has exactly one of text, json, toolCalls or error"
  })
)
/** One scripted answer. */
export type ScriptStepLlm = typeof ScriptStepLlm.Type

/** A provider script: answers tried in order; each answers one matching request unless it repeats. */
export const LlmScript = Schema.Struct({
  steps: Schema.Array(ScriptStepLlm)
}).annotations({ identifier: "LlmScript" })
/** A provider script. */
export type LlmScript = typeof LlmScript.Type

/** A script file does not decode; `file` and the parser's path say where. */
export class InvalidLlmScript extends Schema.TaggedError<InvalidLlmScript>()("InvalidLlmScript", {
  file: Schema.String,
  reason: Schema.String
}) {
  override get message() {
    return `invalid LLM script ${this.file}: ${this.reason}`
  }
}

/** Decodes a script (a parsed JSON value). */
export const decodeLlmScript = (
  input: unknown,
  file = "script"
): Either.Either<LlmScript, InvalidLlmScript> =>
  Schema.decodeUnknownEither(LlmScript)(input).pipe(
    Either.mapLeft(
      (error) => new InvalidLlmScript({ file, reason: ParseResult.TreeFormatter.formatErrorSync(error) })
    )
  )
