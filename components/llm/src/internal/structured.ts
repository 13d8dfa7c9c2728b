import { Effect, Either, JSONSchema, ParseResult, Schema } from "effect"
import { LlmOutputInvalid } from "./errors.js"
import { Llm, type LlmCallContext, type LlmCallOptions, type LlmCompletion } from "./Llm.js"
import type { LlmRequest } from "./messages.js"

/** The expected output of a structured call: a schema name and an Effect Schema (sent as JSON Schema). */
export interface StructuredOutput<A, I> {
  readonly name: string
  readonly schema: Schema.Schema<A, I>
}

/** A decoded structured answer and every completion it took (one, or two after a repair). */
export interface StructuredCompletion<A> {
  readonly value: A
  readonly completions: ReadonlyArray<LlmCompletion>
}

/** Decodes an answer's text as JSON and then with the schema; the error names the JSON problem or the schema paths. */
export const decodeAnswer = <A, I>(schema: Schema.Schema<A, I>, text: string): Either.Either<A, string> => {
  const json = Either.try({
    try: () => JSON.parse(stripFence(text)) as unknown,
    catch: (error) => `not JSON: ${error instanceof Error ? error.message : String(error)}`
  })
  return Either.flatMap(json, (value) =>
    Schema.decodeUnknownEither(schema)(value).pipe(
      Either.mapLeft((error) => ParseResult.TreeFormatter.formatErrorSync(error))
    )
  )
}

/** Removes one surrounding Markdown code fence (```json … ```), which models add despite instructions. */
const stripFence = (text: string): string => {
  const fenced = /^\s*```(?:json)?\s*\n([\s\S]*?)\n?```\s*$/.exec(text)
  return fenced?.[1] ?? text
}

/**
 * A structured call (spec N7-R14): the request is sent with the schema as a JSON-Schema response format; an answer
 * that does not decode gets ONE repair attempt with the decode error fed back; a second failure is
 * `LlmOutputInvalid` (class `agent-error`).
 */
export const completeStructured = <A, I>(
  request: LlmRequest,
  context: LlmCallContext,
  output: StructuredOutput<A, I>,
  options: LlmCallOptions = {}
) =>
  Effect.gen(function* () {
    const llm = yield* Llm
    const withFormat: LlmRequest = {
      ...request,
      responseFormat: {
        type: "json-schema",
        name: output.name,
        schema: JSONSchema.make(output.schema) as unknown as Record<string, unknown>
      }
    }
    const first = yield* llm.complete(withFormat, context, options)
    const decoded = decodeAnswer(output.schema, first.response.text)
    if (Either.isRight(decoded)) return { value: decoded.right, completions: [first] }
    const repair: LlmRequest = {
      ...withFormat,
      messages: [
        ...withFormat.messages,
        { role: "assistant", content: first.response.text },
        {
          role: "user",
          content: `Your answer does not match the JSON schema "${output.name}":\n${decoded.left}\nAnswer again with only a JSON value that matches the schema.`
        }
      ]
    }
    const second = yield* llm.complete(repair, context, options)
    const repaired = decodeAnswer(output.schema, second.response.text)
    if (Either.isRight(repaired)) return { value: repaired.right, completions: [first, second] }
    return yield* Effect.fail(
      new LlmOutputInvalid({ model: second.model, schema: output.name, reason: repaired.left, attempts: 2 })
    )
  })
