import { Schema } from "effect"

const NonEmpty = Schema.String.pipe(Schema.minLength(1))
const Tokens = Schema.Int.pipe(Schema.nonNegative())

/** A JSON object (tool input schemas, structured-output schemas, tool arguments). */
export const JsonObject = Schema.Record({ key: Schema.String, value: Schema.Unknown })

/** Text in a message. */
export const TextPart = Schema.Struct({ type: Schema.Literal("text"), text: Schema.String })

/** An image in a user message: base64 bytes and their media type (`image/png`, …). Needs a `vision` model. */
export const ImagePart = Schema.Struct({
  type: Schema.Literal("image"),
  mediaType: NonEmpty,
  data: Schema.String
})

/** A tool call the model made (in an assistant message or a response): its id, tool name and JSON arguments. */
export const ToolCallPart = Schema.Struct({
  type: Schema.Literal("tool-call"),
  id: NonEmpty,
  name: NonEmpty,
  arguments: Schema.Unknown
})

/** The result of a tool call, sent back in a `tool` message. */
export const ToolResultPart = Schema.Struct({
  type: Schema.Literal("tool-result"),
  toolCallId: NonEmpty,
  content: Schema.String,
  isError: Schema.optional(Schema.Boolean)
})

/** One part of a message's content. */
export const LlmContentPart = Schema.Union(TextPart, ImagePart, ToolCallPart, ToolResultPart).annotations({
  identifier: "LlmContentPart"
})
/** One part of a message's content. */
export type LlmContentPart = typeof LlmContentPart.Type

/** Who speaks a message. System instructions go in `LlmRequest.system`, not in a message. */
export const LlmRole = Schema.Literal("user", "assistant", "tool")
/** Who speaks a message. */
export type LlmRole = typeof LlmRole.Type

/** A conversation message: plain text, or parts (text, images, tool calls, tool results). */
export const LlmMessage = Schema.Struct({
  role: LlmRole,
  content: Schema.Union(Schema.String, Schema.Array(LlmContentPart))
}).annotations({ identifier: "LlmMessage" })
/** A conversation message. */
export type LlmMessage = typeof LlmMessage.Type

/** A tool the model may call: name, description and the JSON Schema of its input. */
export const LlmTool = Schema.Struct({
  name: NonEmpty,
  description: Schema.optional(Schema.String),
  inputSchema: JsonObject
}).annotations({ identifier: "LlmTool" })
/** A tool the model may call. */
export type LlmTool = typeof LlmTool.Type

/** Whether and which tool the model must call. */
export const LlmToolChoice = Schema.Union(
  Schema.Literal("auto", "none", "required"),
  Schema.Struct({ name: NonEmpty })
)
/** Whether and which tool the model must call. */
export type LlmToolChoice = typeof LlmToolChoice.Type

/** The shape of the answer: free text, or JSON matching a JSON Schema (structured output; needs `jsonSchema`). */
export const LlmResponseFormat = Schema.Union(
  Schema.Struct({ type: Schema.Literal("text") }),
  Schema.Struct({
    type: Schema.Literal("json-schema"),
    name: NonEmpty,
    schema: JsonObject,
    strict: Schema.optional(Schema.Boolean)
  })
).annotations({ identifier: "LlmResponseFormat" })
/** The shape of the answer. */
export type LlmResponseFormat = typeof LlmResponseFormat.Type

/**
 * A model call as a provider receives it. `model` is the PROVIDER's model name (`claude-sonnet-4-5`, `gpt-4.1-mini`,
 * `gemini-2.5-flash`, `qwen2.5-coder:7b`); the chokepoint maps catalog ids (`anthropic/claude-sonnet-4-5`) to it.
 * `maxOutputTokens` is required: it bounds the worst case the budget reserves. `promptTemplateId` names the prompt
 * template (stage-cache key; providers ignore it).
 */
export const LlmRequest = Schema.Struct({
  model: NonEmpty,
  system: Schema.optional(Schema.String),
  messages: Schema.Array(LlmMessage).pipe(Schema.minItems(1)),
  maxOutputTokens: Schema.Int.pipe(Schema.positive()),
  temperature: Schema.optional(Schema.Number.pipe(Schema.between(0, 2))),
  topP: Schema.optional(Schema.Number.pipe(Schema.between(0, 1))),
  stop: Schema.optional(Schema.Array(Schema.String)),
  tools: Schema.optional(Schema.Array(LlmTool)),
  toolChoice: Schema.optional(LlmToolChoice),
  responseFormat: Schema.optional(LlmResponseFormat),
  promptTemplateId: Schema.optional(NonEmpty)
}).annotations({ identifier: "LlmRequest" })
/** A model call as a provider receives it. */
export type LlmRequest = typeof LlmRequest.Type

/**
 * Tokens a call used. `inputTokens` counts every prompt token including cached ones; `cachedInputTokens` is the part
 * served from the provider's prompt cache (billed at the cached price); `reasoningTokens` is part of `outputTokens`.
 */
export const LlmUsage = Schema.Struct({
  inputTokens: Tokens,
  outputTokens: Tokens,
  cachedInputTokens: Schema.optional(Tokens),
  reasoningTokens: Schema.optional(Tokens)
}).annotations({ identifier: "LlmUsage" })
/** Tokens a call used. */
export type LlmUsage = typeof LlmUsage.Type

/** Why the model stopped. */
export const LlmFinishReason = Schema.Literal("stop", "length", "tool-calls", "content-filter", "other")
/** Why the model stopped. */
export type LlmFinishReason = typeof LlmFinishReason.Type

/**
 * A provider's answer. `content` holds text and tool-call parts in order; `text` is the concatenated text. `model`
 * is the model that answered (as the provider names it). `scripted: true` marks answers of the scripted provider.
 */
export const LlmResponse = Schema.Struct({
  model: NonEmpty,
  content: Schema.Array(Schema.Union(TextPart, ToolCallPart)),
  text: Schema.String,
  finishReason: LlmFinishReason,
  usage: LlmUsage,
  providerRequestId: Schema.optional(Schema.String),
  scripted: Schema.optional(Schema.Literal(true))
}).annotations({ identifier: "LlmResponse" })
/** A provider's answer. */
export type LlmResponse = typeof LlmResponse.Type

/**
 * One chunk of a streamed answer. Deltas arrive in order; a stream ends with exactly one `done` chunk holding the
 * assembled response (with usage). A stream that ends without `done` was cut: the chokepoint fails it as `external`.
 */
export const LlmStreamChunk = Schema.Union(
  Schema.Struct({ type: Schema.Literal("text-delta"), text: Schema.String }),
  Schema.Struct({
    type: Schema.Literal("tool-call-delta"),
    index: Schema.Int.pipe(Schema.nonNegative()),
    id: Schema.optional(Schema.String),
    name: Schema.optional(Schema.String),
    argumentsDelta: Schema.String
  }),
  Schema.Struct({ type: Schema.Literal("done"), response: LlmResponse })
).annotations({ identifier: "LlmStreamChunk" })
/** One chunk of a streamed answer. */
export type LlmStreamChunk = typeof LlmStreamChunk.Type

/** The concatenated text of response parts. */
export const textOf = (content: ReadonlyArray<LlmContentPart>): string =>
  content.map((part) => (part.type === "text" ? part.text : "")).join("")
