import type { LlmContentPart, LlmMessage, LlmRequest, LlmToolChoice } from "@gauntlet/llm"
import { Either } from "effect"
import type OpenAI from "openai"
import type { MaxTokensField } from "./config.js"

type ChatMessage = OpenAI.Chat.Completions.ChatCompletionMessageParam
type UserPart = OpenAI.Chat.Completions.ChatCompletionContentPart

/** Why a request cannot be expressed in Chat Completions (a `bad-request`). */
export interface UnmappableRequest {
  readonly detail: string
}

const partsOf = (message: LlmMessage): ReadonlyArray<LlmContentPart> =>
  typeof message.content === "string" ? [{ type: "text", text: message.content }] : message.content

const userMessage = (
  parts: ReadonlyArray<LlmContentPart>,
  at: string
): Either.Either<ChatMessage, UnmappableRequest> => {
  const content: Array<UserPart> = []
  for (const [index, part] of parts.entries()) {
    if (part.type === "text") content.push({ type: "text", text: part.text })
    else if (part.type === "image") {
      content.push({ type: "image_url", image_url: { url: `data:${part.mediaType};base64,${part.data}` } })
    } else
      return Either.left({
        detail: `${at}.content[${index}]: a ${part.type} part may not appear in a user message`
      })
  }
  const onlyText = content.every((part) => part.type === "text")
  return Either.right({
    role: "user",
    content: onlyText ? content.map((part) => (part.type === "text" ? part.text : "")).join("") : content
  })
}

const assistantMessage = (
  parts: ReadonlyArray<LlmContentPart>,
  at: string
): Either.Either<ChatMessage, UnmappableRequest> => {
  let text = ""
  const toolCalls: Array<OpenAI.Chat.Completions.ChatCompletionMessageFunctionToolCall> = []
  for (const [index, part] of parts.entries()) {
    if (part.type === "text") text += part.text
    else if (part.type === "tool-call") {
      toolCalls.push({
        id: part.id,
        type: "function",
        function: {
          name: part.name,
          arguments:
            typeof part.arguments === "string" ? part.arguments : JSON.stringify(part.arguments ?? {})
        }
      })
    } else
      return Either.left({
        detail: `${at}.content[${index}]: a ${part.type} part may not appear in an assistant message`
      })
  }
  return Either.right({
    role: "assistant",
    content: text === "" && toolCalls.length > 0 ? null : text,
    ...(toolCalls.length === 0 ? {} : { tool_calls: toolCalls })
  })
}

const toolMessages = (
  parts: ReadonlyArray<LlmContentPart>,
  at: string
): Either.Either<Array<ChatMessage>, UnmappableRequest> => {
  const messages: Array<ChatMessage> = []
  for (const [index, part] of parts.entries()) {
    if (part.type !== "tool-result") {
      return Either.left({
        detail: `${at}.content[${index}]: a tool message holds only tool results, not ${part.type}`
      })
    }
    messages.push({ role: "tool", tool_call_id: part.toolCallId, content: part.content })
  }
  return Either.right(messages)
}

const toMessages = (request: LlmRequest): Either.Either<Array<ChatMessage>, UnmappableRequest> => {
  const out: Array<ChatMessage> =
    request.system === undefined ? [] : [{ role: "system", content: request.system }]
  for (const [index, message] of request.messages.entries()) {
    const at = `messages[${index}]`
    const parts = partsOf(message)
    const mapped =
      message.role === "user"
        ? Either.map(userMessage(parts, at), (one) => [one])
        : message.role === "assistant"
          ? Either.map(assistantMessage(parts, at), (one) => [one])
          : toolMessages(parts, at)
    if (Either.isLeft(mapped)) return Either.left(mapped.left)
    out.push(...mapped.right)
  }
  return Either.right(out)
}

const toToolChoice = (choice: LlmToolChoice): OpenAI.Chat.Completions.ChatCompletionToolChoiceOption =>
  typeof choice === "object" ? { type: "function", function: { name: choice.name } } : choice

/**
 * Maps a provider request to Chat Completions parameters: system message, messages (`tool` messages split into one
 * per result, images as data URLs), the output bound (`max_completion_tokens` or `max_tokens`), sampling, `stop`,
 * function tools, `tool_choice` and `response_format: json_schema`.
 */
export const toOpenAiParams = (
  request: LlmRequest,
  maxTokensField: MaxTokensField
): Either.Either<OpenAI.Chat.Completions.ChatCompletionCreateParamsNonStreaming, UnmappableRequest> =>
  Either.map(toMessages(request), (messages) => {
    const format = request.responseFormat
    return {
      model: request.model,
      messages,
      [maxTokensField]: request.maxOutputTokens,
      ...(request.temperature === undefined ? {} : { temperature: request.temperature }),
      ...(request.topP === undefined ? {} : { top_p: request.topP }),
      ...(request.stop === undefined ? {} : { stop: [...request.stop] }),
      ...(request.tools === undefined || request.tools.length === 0
        ? {}
        : {
            tools: request.tools.map((tool) => ({
              type: "function" as const,
              function: {
                name: tool.name,
                ...(tool.description === undefined ? {} : { description: tool.description }),
                parameters: { ...tool.inputSchema }
              }
            }))
          }),
      ...(request.toolChoice === undefined ? {} : { tool_choice: toToolChoice(request.toolChoice) }),
      ...(format === undefined || format.type === "text"
        ? {}
        : {
            response_format: {
              type: "json_schema" as const,
              json_schema: { name: format.name, schema: { ...format.schema }, strict: format.strict ?? true }
            }
          })
    }
  })
