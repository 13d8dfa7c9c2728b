import { type Agent, AgentFailure, type AgentOutput, type PhaseContext } from "@gauntlet/agent"
import type { EventLog } from "@gauntlet/event-stream"
import { declaredClassOf } from "@gauntlet/failure"
import type { ModelRegistry, RoutingPolicy, RoutingStrategy, TaskFacts } from "@gauntlet/models"
import { Effect, Option, Ref, type Schema } from "effect"
import { Llm, type LlmCompletion } from "./Llm.js"
import type { LlmMessage } from "./messages.js"
import { routeCall } from "./routing.js"
import { completeStructured } from "./structured.js"

/** The prompt of one phase attempt. */
export interface AgentPrompt {
  readonly system?: string
  readonly messages: ReadonlyArray<LlmMessage>
  readonly maxOutputTokens: number
  readonly promptTemplateId?: string
}

/** How an LLM agent picks its model: a fixed catalog id, or routing on the task's facts (with the cascade). */
export type AgentModelChoice =
  | { readonly model: string; readonly fallbacks?: ReadonlyArray<string> }
  | {
      readonly route: (ctx: PhaseContext) => TaskFacts
      readonly strategy?: RoutingStrategy
      readonly policy?: RoutingPolicy
      readonly pinnedModel?: string
    }

/** Options of `makeLlmAgent`. */
export interface LlmAgentOptions<A, I> {
  readonly id: string
  readonly choose: AgentModelChoice
  /** Builds the prompt from the phase context (its input and the feedback of earlier attempts). */
  readonly prompt: (ctx: PhaseContext) => AgentPrompt
  /** Structured output: the answer must decode with this schema (one repair, then `agent-error`). */
  readonly output?: { readonly name: string; readonly schema: Schema.Schema<A, I> }
}

const feedbackMessage = (ctx: PhaseContext): ReadonlyArray<LlmMessage> =>
  ctx.feedback.length === 0
    ? []
    : [
        {
          role: "user",
          content: `Previous attempt failed:\n${ctx.feedback.map((f) => `- ${f.source}${f.ruleId ? ` (${f.ruleId})` : ""}: ${f.message}`).join("\n")}`
        }
      ]

/**
 * A workflow `Agent` backed by the `Llm` chokepoint (built once; it captures the chokepoint, registry and log).
 * Each invocation builds the prompt (plus earlier feedback), picks the model (fixed, or routed — after a failed
 * attempt the router escalates and never reuses the failed model), calls through the chokepoint and returns the
 * text (or decoded structured value) with the summed usage. Every failure is an `AgentFailure` carrying the
 * error's own failure class.
 */
export const makeLlmAgent = <A, I>(options: LlmAgentOptions<A, I>) =>
  Effect.gen(function* () {
    const context = yield* Effect.context<Llm | ModelRegistry | EventLog>()
    const routedByTask = yield* Ref.make(new Map<string, ReadonlyArray<{ attempt: number; model: string }>>())
    const invoke = (ctx: PhaseContext): Effect.Effect<AgentOutput, AgentFailure> =>
      Effect.gen(function* () {
        const prompt = options.prompt(ctx)
        const taskKey = `${ctx.runId}/${ctx.phase}/${ctx.taskId ?? ""}`
        let model: string
        let fallbacks: ReadonlyArray<string> = []
        if ("model" in options.choose) {
          model = options.choose.model
          fallbacks = options.choose.fallbacks ?? []
        } else {
          const routed = (yield* Ref.get(routedByTask)).get(taskKey) ?? []
          const failedModels = routed.filter((r) => r.attempt < ctx.attempt).map((r) => r.model)
          const decision = yield* routeCall(ctx.runId, options.choose.route(ctx), {
            attempt: ctx.attempt,
            failedModels,
            ...(options.choose.strategy === undefined ? {} : { strategy: options.choose.strategy }),
            ...(options.choose.policy === undefined ? {} : { policy: options.choose.policy }),
            ...(options.choose.pinnedModel === undefined ? {} : { pinnedModel: options.choose.pinnedModel })
          })
          model = decision.model
          fallbacks = decision.fallbacks
          const chosen = { attempt: ctx.attempt, model }
          yield* Ref.update(routedByTask, (map) =>
            new Map(map).set(taskKey, [...(map.get(taskKey) ?? []), chosen])
          )
        }
        const request = {
          model,
          ...(prompt.system === undefined ? {} : { system: prompt.system }),
          messages: [...prompt.messages, ...feedbackMessage(ctx)],
          maxOutputTokens: prompt.maxOutputTokens,
          ...(prompt.promptTemplateId === undefined ? {} : { promptTemplateId: prompt.promptTemplateId })
        }
        const callContext = { runId: ctx.runId, phase: ctx.phase, attempt: ctx.attempt }
        const answered: { output: unknown; completions: ReadonlyArray<LlmCompletion> } =
          options.output === undefined
            ? yield* Effect.map(
                Llm.pipe(Effect.flatMap((llm) => llm.complete(request, callContext, { fallbacks }))),
                (c) => ({
                  output: c.response.text,
                  completions: [c]
                })
              )
            : yield* Effect.map(
                completeStructured(request, callContext, options.output, { fallbacks }),
                (s) => ({
                  output: s.value,
                  completions: s.completions
                })
              )
        const last = answered.completions.at(-1)
        return {
          output: answered.output,
          artifacts: [],
          usage: {
            inputTokens: answered.completions.reduce((n, c) => n + c.response.usage.inputTokens, 0),
            outputTokens: answered.completions.reduce((n, c) => n + c.response.usage.outputTokens, 0),
            costUsd: Math.round(answered.completions.reduce((n, c) => n + c.costUsd, 0) * 1e6) / 1e6,
            ...(last === undefined ? {} : { model: last.model })
          }
        }
      }).pipe(
        Effect.catchAll((error) =>
          Effect.fail(
            new AgentFailure({
              agentId: options.id,
              phase: ctx.phase,
              reason: error.message,
              failureClass: Option.getOrElse(declaredClassOf(error), () => "unknown" as const),
              attempt: ctx.attempt,
              ...(ctx.taskId === undefined ? {} : { taskId: ctx.taskId })
            })
          )
        ),
        Effect.provide(context)
      )
    return { id: options.id, invoke } satisfies Agent
  })
