import type { LlmContentPart, LlmMessage, LlmRequest, LlmToolChoice } from "@gauntlet/llm"
import type { Content, GenerateContentConfig, Part, ToolConfig } from "@google/genai"
import { FunctionCallingConfigMode } from "@google/genai"
import { Either } from "effect"

/** Why a request cannot be expressed in the Gemini API (a `bad-request`). */
export interface UnmappableRequest {
  readonly detail: string
}

/** What `generateContent` needs besides the abort signal: model, contents and config. */
export interface GoogleCall {
  readonly model: string
  readonly contents: Array<Content>
  readonly config: GenerateContentConfig
}

const partsOf = (message: LlmMessage): ReadonlyArray<LlmContentPart> =>
  typeof message.content === "string" ? [{ type: "text", text: message.content }] : message.content

/** A function response must name its function: found from the earlier tool call with the same id. */
const toPart = (
  part: LlmContentPart,
  role: LlmMessage["role"],
  at: string,
  toolNames: ReadonlyMap<string, string>
): Either.Either<Part, UnmappableRequest> => {
  switch (part.type) {
    case "text":
      return Either.right({ text: part.text })
    case "image":
      if (role !== "user") return Either.left({ detail: `${at}: an image may only appear in a user message` })
      return Either.right({ inlineData: { mimeType: part.mediaType, data: part.data } })
    case "tool-call":
      if (role !== "assistant")
        return Either.left({ detail: `${at}: a tool call may only appear in an assistant message` })
      return Either.right({
        functionCall: {
          id: part.id,
          name: part.name,
          args: (part.arguments ?? {}) as Record<string, unknown>
        }
      })
    case "tool-result": {
      if (role !== "tool")
        return Either.left({ detail: `${at}: a tool result may only appear in a tool message` })
      const name = toolNames.get(part.toolCallId)
      if (name === undefined) {
        return Either.left({
          detail: `${at}: tool result for ${part.toolCallId} answers no earlier tool call`
        })
      }
      const response = part.isError === true ? { error: part.content } : { output: part.content }
      return Either.right({ functionResponse: { id: part.toolCallId, name, response } })
    }
  }
}

const toContents = (
  messages: ReadonlyArray<LlmMessage>
): Either.Either<Array<Content>, UnmappableRequest> => {
  const toolNames = new Map<string, string>()
  const contents: Array<{ role: "user" | "model"; parts: Array<Part> }> = []
  for (const [index, message] of messages.entries()) {
    const role = message.role === "assistant" ? "model" : "user"
    const parts: Array<Part> = []
    for (const [partIndex, part] of partsOf(message).entries()) {
      if (part.type === "tool-call") toolNames.set(part.id, part.name)
      const mapped = toPart(part, message.role, `messages[${index}].content[${partIndex}]`, toolNames)
      if (Either.isLeft(mapped)) return Either.left(mapped.left)
      parts.push(mapped.right)
    }
    const last = contents.at(-1)
    if (last !== undefined && last.role === role) last.parts.push(...parts)
    else contents.push({ role, parts })
  }
  return Either.right(contents)
}

const toToolConfig = (choice: LlmToolChoice): ToolConfig =>
  typeof choice === "object"
    ? { functionCallingConfig: { mode: FunctionCallingConfigMode.ANY, allowedFunctionNames: [choice.name] } }
    : {
        functionCallingConfig: {
          mode:
            choice === "required"
              ? FunctionCallingConfigMode.ANY
              : choice === "none"
                ? FunctionCallingConfigMode.NONE
                : FunctionCallingConfigMode.AUTO
        }
      }

/**
 * Maps a provider request to a Gemini call: `systemInstruction`, contents (`assistant` → `model`, tool results as
 * `functionResponse` parts in a user turn, adjacent turns of one role merged), `maxOutputTokens`, sampling,
 * `stopSequences`, function declarations (`parametersJsonSchema`), `toolConfig` and structured output
 * (`responseMimeType: application/json` + `responseJsonSchema`).
 */
export const toGoogleCall = (request: LlmRequest): Either.Either<GoogleCall, UnmappableRequest> =>
  Either.map(toContents(request.messages), (contents) => {
    const format = request.responseFormat
    const config: GenerateContentConfig = {
      maxOutputTokens: request.maxOutputTokens,
      ...(request.system === undefined ? {} : { systemInstruction: request.system }),
      ...(request.temperature === undefined ? {} : { temperature: request.temperature }),
      ...(request.topP === undefined ? {} : { topP: request.topP }),
      ...(request.stop === undefined ? {} : { stopSequences: [...request.stop] }),
      ...(request.tools === undefined || request.tools.length === 0
        ? {}
        : {
            tools: [
              {
                functionDeclarations: request.tools.map((tool) => ({
                  name: tool.name,
                  ...(tool.description === undefined ? {} : { description: tool.description }),
                  parametersJsonSchema: tool.inputSchema
                }))
              }
            ]
          }),
      ...(request.toolChoice === undefined ? {} : { toolConfig: toToolConfig(request.toolChoice) }),
      ...(format === undefined || format.type === "text"
        ? {}
        : { responseMimeType: "application/json", responseJsonSchema: format.schema })
    }
    return { model: request.model, contents, config }
  })
