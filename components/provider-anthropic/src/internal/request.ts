import type Anthropic from "@anthropic-ai/sdk"
import type { LlmContentPart, LlmMessage, LlmRequest, LlmToolChoice } from "@gauntlet/llm"
import { Either } from "effect"

type MessageParam = Anthropic.MessageParam
type BlockParam = Anthropic.ContentBlockParam

/** Why a request cannot be expressed in the Messages API (a `bad-request`: the same request fails everywhere). */
export interface UnmappableRequest {
  readonly detail: string
}

const partToBlock = (
  part: LlmContentPart,
  role: LlmMessage["role"],
  at: string
): Either.Either<BlockParam, UnmappableRequest> => {
  switch (part.type) {
    case "text":
      return Either.right({ type: "text", text: part.text })
    case "image":
      if (role !== "user") return Either.left({ detail: `${at}: an image may only appear in a user message` })
      return Either.right({
        type: "image",
        source: {
          type: "base64",
          media_type: part.mediaType as "image/png",
          data: part.data
        }
      })
    case "tool-call":
      if (role !== "assistant") {
        return Either.left({ detail: `${at}: a tool call may only appear in an assistant message` })
      }
      return Either.right({
        type: "tool_use",
        id: part.id,
        name: part.name,
        input: (part.arguments ?? {}) as Record<string, unknown>
      })
    case "tool-result":
      if (role !== "tool")
        return Either.left({ detail: `${at}: a tool result may only appear in a tool message` })
      return Either.right({
        type: "tool_result",
        tool_use_id: part.toolCallId,
        content: part.content,
        ...(part.isError === undefined ? {} : { is_error: part.isError })
      })
  }
}

/** Our messages as Messages API turns: `tool` messages become user turns; adjacent turns of one role merge. */
const toMessages = (
  messages: ReadonlyArray<LlmMessage>
): Either.Either<Array<MessageParam>, UnmappableRequest> => {
  const turns: Array<{ role: "user" | "assistant"; content: Array<BlockParam> }> = []
  for (const [index, message] of messages.entries()) {
    const role = message.role === "assistant" ? "assistant" : "user"
    const parts: ReadonlyArray<LlmContentPart> =
      typeof message.content === "string" ? [{ type: "text", text: message.content }] : message.content
    const blocks: Array<BlockParam> = []
    for (const [partIndex, part] of parts.entries()) {
      const block = partToBlock(part, message.role, `messages[${index}].content[${partIndex}]`)
      if (Either.isLeft(block)) return Either.left(block.left)
      blocks.push(block.right)
    }
    const last = turns.at(-1)
    if (last !== undefined && last.role === role) last.content.push(...blocks)
    else turns.push({ role, content: blocks })
  }
  return Either.right(turns)
}

const toToolChoice = (choice: LlmToolChoice): Anthropic.ToolChoice =>
  typeof choice === "object"
    ? { type: "tool", name: choice.name }
    : choice === "required"
      ? { type: "any" }
      : choice === "none"
        ? { type: "none" }
        : { type: "auto" }

/**
 * Maps a provider request to Messages API parameters: `system`, turns, `max_tokens`, sampling, `stop_sequences`,
 * tools (`input_schema`), `tool_choice` and JSON-schema structured output (`output_config.format`).
 */
export const toAnthropicParams = (
  request: LlmRequest
): Either.Either<Anthropic.MessageCreateParamsNonStreaming, UnmappableRequest> =>
  Either.map(toMessages(request.messages), (messages) => {
    const format = request.responseFormat
    return {
      model: request.model,
      max_tokens: request.maxOutputTokens,
      messages,
      ...(request.system === undefined ? {} : { system: request.system }),
      ...(request.temperature === undefined ? {} : { temperature: request.temperature }),
      ...(request.topP === undefined ? {} : { top_p: request.topP }),
      ...(request.stop === undefined ? {} : { stop_sequences: [...request.stop] }),
      ...(request.tools === undefined || request.tools.length === 0
        ? {}
        : {
            tools: request.tools.map((tool) => ({
              name: tool.name,
              ...(tool.description === undefined ? {} : { description: tool.description }),
              input_schema: { type: "object" as const, ...tool.inputSchema }
            }))
          }),
      ...(request.toolChoice === undefined ? {} : { tool_choice: toToolChoice(request.toolChoice) }),
      ...(format === undefined || format.type === "text"
        ? {}
        : { output_config: { format: { type: "json_schema" as const, schema: { ...format.schema } } } })
    }
  })
