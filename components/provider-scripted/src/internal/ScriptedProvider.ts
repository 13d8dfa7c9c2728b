import { FileSystem } from "@effect/platform"
import {
  type LlmProvider,
  LlmProviderError,
  type LlmRequest,
  type LlmResponse,
  type LlmStreamChunk,
  textOf
} from "@gauntlet/llm"
import type { ModelEntry, ModelPricing } from "@gauntlet/models"
import { Duration, Effect, Either, Ref, Stream } from "effect"
import { decodeLlmScript, InvalidLlmScript, type LlmScript, type ScriptStepLlm } from "./script.js"

/** The provider id of the scripted provider, and the prefix of every model id it answers as. */
export const SCRIPTED_PROVIDER = "scripted"

/** A scripted provider, with the requests it received (to assert that a call was, or was never, made). */
export interface ScriptedProvider extends LlmProvider {
  readonly requests: Effect.Effect<ReadonlyArray<LlmRequest>>
}

/** A catalog entry for a scripted model `scripted/<name>` (free unless priced: budget tests give it prices). */
export const scriptedModelEntry = (
  name = "default",
  pricing: ModelPricing = { inputPerMTok: 0, outputPerMTok: 0, cachedInputPerMTok: 0 },
  limits: { readonly contextWindow?: number; readonly maxOutputTokens?: number } = {}
): ModelEntry => ({
  id: `${SCRIPTED_PROVIDER}/${name}`,
  provider: SCRIPTED_PROVIDER,
  providerModel: name,
  displayName: `Scripted ${name} (not a model: answers from a script)`,
  contextWindow: limits.contextWindow ?? 1_000_000,
  maxOutputTokens: limits.maxOutputTokens ?? 100_000,
  pricing,
  capabilities: { tools: true, jsonSchema: true, vision: true, reasoning: true },
  tier: "economy",
  quality: 50
})

const lastUserText = (request: LlmRequest): string => {
  const user = [...request.messages].reverse().find((m) => m.role === "user")
  if (user === undefined) return ""
  return typeof user.content === "string" ? user.content : textOf(user.content)
}

const matches = (step: ScriptStepLlm, request: LlmRequest): boolean => {
  const match = step.match
  if (match === undefined) return true
  if (match.model !== undefined && match.model !== request.model) return false
  if (match.promptTemplateId !== undefined && match.promptTemplateId !== request.promptTemplateId)
    return false
  if (match.contains !== undefined && !lastUserText(request).includes(match.contains)) return false
  return true
}

const tokensOf = (text: string): number => Math.ceil(text.length / 4)

const responseOf = (step: ScriptStepLlm, request: LlmRequest): LlmResponse => {
  const text = step.text ?? (step.json === undefined ? "" : JSON.stringify(step.json))
  const toolCalls = (step.toolCalls ?? []).map((call) => ({ type: "tool-call" as const, ...call }))
  const content = [...(text === "" ? [] : [{ type: "text" as const, text }]), ...toolCalls]
  const prompt = JSON.stringify([request.system ?? "", request.messages])
  return {
    model: `${SCRIPTED_PROVIDER}/${request.model}`,
    content,
    text,
    finishReason: step.finishReason ?? (toolCalls.length > 0 ? "tool-calls" : "stop"),
    usage: step.usage ?? {
      inputTokens: tokensOf(prompt),
      outputTokens: Math.min(
        request.maxOutputTokens,
        tokensOf(text) + (toolCalls.length === 0 ? 0 : tokensOf(JSON.stringify(toolCalls)))
      )
    },
    scripted: true
  }
}

/** Splits a text into stream deltas of at most 16 characters. */
const deltasOf = (text: string): ReadonlyArray<string> => {
  const out: Array<string> = []
  for (let i = 0; i < text.length; i += 16) out.push(text.slice(i, i + 16))
  return out
}

/**
 * A deterministic provider (id `scripted`) answering from a script: each request takes the first unused step that
 * matches it (repeating steps stay). Responses are labelled: model `scripted/<name>` and `scripted: true`. A request
 * no step matches fails as `bad-request`, naming the model and the last user message.
 */
export const makeScriptedProvider = (script: LlmScript): Effect.Effect<ScriptedProvider> =>
  Effect.gen(function* () {
    const used = yield* Ref.make<ReadonlySet<number>>(new Set())
    const seen = yield* Ref.make<ReadonlyArray<LlmRequest>>([])
    const take = (request: LlmRequest) =>
      Effect.gen(function* () {
        yield* Ref.update(seen, (list) => [...list, request])
        const index = yield* Ref.modify(used, (set) => {
          const found = script.steps.findIndex(
            (step, i) => (step.repeat === true || !set.has(i)) && matches(step, request)
          )
          return [found, found < 0 ? set : new Set([...set, found])] as const
        })
        const step = script.steps[index]
        if (step === undefined) {
          return yield* Effect.fail(
            new LlmProviderError({
              provider: SCRIPTED_PROVIDER,
              model: request.model,
              kind: "bad-request",
              detail: `no scripted step left matches this request (last user message: ${JSON.stringify(lastUserText(request).slice(0, 80))})`
            })
          )
        }
        if (step.delayMs !== undefined) yield* Effect.sleep(Duration.millis(step.delayMs))
        if (step.error !== undefined) {
          return yield* Effect.fail(
            new LlmProviderError({
              provider: SCRIPTED_PROVIDER,
              model: request.model,
              kind: step.error.kind,
              detail: step.error.detail ?? `scripted ${step.error.kind}`,
              ...(step.error.status === undefined ? {} : { status: step.error.status }),
              ...(step.error.retryAfterMs === undefined ? {} : { retryAfterMs: step.error.retryAfterMs })
            })
          )
        }
        return step
      })
    const cut = (request: LlmRequest, after: number) =>
      new LlmProviderError({
        provider: SCRIPTED_PROVIDER,
        model: request.model,
        kind: "stream-cut",
        detail: `scripted stream cut after ${after} chunk(s)`
      })
    const complete: LlmProvider["complete"] = (request) =>
      Effect.flatMap(take(request), (step) =>
        step.cutAfterChunks === undefined
          ? Effect.succeed(responseOf(step, request))
          : Effect.fail(cut(request, step.cutAfterChunks))
      )
    const stream: LlmProvider["stream"] = (request) =>
      Stream.unwrap(
        Effect.map(take(request), (step) => {
          const response = responseOf(step, request)
          const chunks: Array<LlmStreamChunk> = [
            ...deltasOf(response.text).map((text) => ({ type: "text-delta" as const, text })),
            ...response.content.flatMap((part, index) =>
              part.type === "tool-call"
                ? [
                    {
                      type: "tool-call-delta" as const,
                      index,
                      id: part.id,
                      name: part.name,
                      argumentsDelta: JSON.stringify(part.arguments)
                    }
                  ]
                : []
            )
          ]
          // A cut stream ends early WITHOUT an error: the consumer must notice the missing final chunk.
          return step.cutAfterChunks === undefined
            ? Stream.fromIterable([...chunks, { type: "done" as const, response }])
            : Stream.fromIterable(chunks.slice(0, step.cutAfterChunks))
        })
      )
    return { id: SCRIPTED_PROVIDER, complete, stream, requests: Ref.get(seen) }
  })

/** Reads a JSON script file and builds the provider; errors name the file. */
export const loadScriptedProvider = (file: string) =>
  Effect.gen(function* () {
    const fs = yield* FileSystem.FileSystem
    const text = yield* fs
      .readFileString(file)
      .pipe(
        Effect.mapError((error) => new InvalidLlmScript({ file, reason: `cannot read: ${error.message}` }))
      )
    const parsed = yield* Either.try({
      try: () => JSON.parse(text) as unknown,
      catch: (error) =>
        new InvalidLlmScript({
          file,
          reason: `not JSON: ${error instanceof Error ? error.message : String(error)}`
        })
    })
    return yield* makeScriptedProvider(yield* decodeLlmScript(parsed, file))
  })
