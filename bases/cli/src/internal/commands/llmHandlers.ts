import { readFileSync } from "node:fs"
import { resolve } from "node:path"
import { Ids } from "@gauntlet/canonical"
import { estimatePromptTokens, Llm, routeCall } from "@gauntlet/llm"
import type { RoutingStrategy } from "@gauntlet/models"
import { Effect, Layer, Option } from "effect"
import { InvalidOptionValue } from "../errors.js"
import { InputNotFound } from "../governance/errors.js"
import { budgetOf, chokepointLayer, decideMode, type ModelFlags } from "../llm/chokepoint.js"
import { writeLines } from "../output.js"
import { creatableStores } from "../runs/session.js"

/** Options of `gauntlet llm complete`. */
interface CompleteOptions extends ModelFlags {
  readonly prompt: Option.Option<string>
  readonly promptFile: Option.Option<string>
  readonly system: Option.Option<string>
  readonly model: Option.Option<string>
  readonly strategy: RoutingStrategy
  readonly maxOutputTokens: number
  readonly db: string
  readonly json: boolean
}

/** The phase name `llm complete` calls are recorded under (events, budget scope `run/phase:complete`). */
const COMPLETE_PHASE = "complete"

const promptOf = (options: CompleteOptions) =>
  Effect.gen(function* () {
    if (Option.isSome(options.prompt) && Option.isSome(options.promptFile))
      return yield* new InvalidOptionValue({
        option: "--prompt-file",
        value: options.promptFile.value,
        reason: "give --prompt or --prompt-file, not both"
      })
    if (Option.isSome(options.prompt)) return options.prompt.value
    if (Option.isNone(options.promptFile))
      return yield* new InvalidOptionValue({
        option: "--prompt",
        value: "(none)",
        reason: "give the prompt with --prompt <text> or --prompt-file <file>"
      })
    const file = resolve(options.promptFile.value)
    return yield* Effect.try({
      try: () => readFileSync(file, "utf8"),
      catch: (error) =>
        new InputNotFound({ what: "prompt file (--prompt-file)", path: file, hint: String(error) })
    })
  })

/**
 * `gauntlet llm complete`: one model call through the chokepoint. The model is `--model` or routed (`--strategy`);
 * the run ledger is limited to `--budget-usd` (a budget too small for the worst case is refused before any network
 * traffic); `--mode`/`GAUNTLET_LLM_MODE` and `--cassette` record or replay; events go to the store under a new run id.
 */
export const llmComplete = (options: CompleteOptions) =>
  Effect.gen(function* () {
    const text = yield* promptOf(options)
    if (!Number.isInteger(options.maxOutputTokens) || options.maxOutputTokens <= 0)
      return yield* new InvalidOptionValue({
        option: "--max-output-tokens",
        value: String(options.maxOutputTokens),
        reason: "must be a positive integer"
      })
    const budgetUsd = yield* budgetOf(options)
    const { resolved, configured } = yield* decideMode(options)
    const stores = yield* creatableStores(options.db)
    const chokepoint = yield* chokepointLayer({ resolved, configured, budgetUsd })
    const runId = yield* Effect.flatMap(Ids, (ids) => ids.next).pipe(Effect.provide(Ids.layer))
    const request = {
      ...(Option.isSome(options.system) ? { system: options.system.value } : {}),
      messages: [{ role: "user" as const, content: text }],
      maxOutputTokens: options.maxOutputTokens
    }
    const completion = yield* Effect.gen(function* () {
      const decision = yield* routeCall(
        runId,
        {
          phase: COMPLETE_PHASE,
          contextTokens: estimatePromptTokens({ model: "unrouted", ...request }),
          maxOutputTokens: options.maxOutputTokens
        },
        {
          strategy: options.strategy,
          ...(Option.isSome(options.model) ? { pinnedModel: options.model.value } : {})
        }
      )
      const llm = yield* Llm
      return yield* llm.complete(
        { model: decision.model, ...request },
        { runId, phase: COMPLETE_PHASE },
        { fallbacks: decision.fallbacks }
      )
    }).pipe(Effect.provide(Layer.provideMerge(chokepoint, stores.layer)))
    const replayed = completion.source === "cassette"
    const result = {
      runId,
      store: stores.path,
      mode: resolved.mode,
      model: completion.model,
      answer: completion.response.text,
      inputTokens: completion.response.usage.inputTokens,
      outputTokens: completion.response.usage.outputTokens,
      costUsd: completion.costUsd,
      budgetUsd,
      source: completion.source,
      replayed,
      requestDigest: completion.requestDigest,
      ...(completion.response.scripted === true ? { scripted: true } : {}),
      ...(resolved.cassette === undefined ? {} : { cassette: resolve(resolved.cassette) })
    }
    if (options.json) return yield* writeLines([JSON.stringify(result)])
    yield* writeLines([
      completion.response.text,
      "",
      `model: ${result.model}${result.scripted === true ? " (scripted)" : ""}`,
      `tokens: ${result.inputTokens} in, ${result.outputTokens} out`,
      `cost: $${result.costUsd.toFixed(6)} of a $${budgetUsd} budget`,
      `source: ${result.source}${replayed ? ` (replayed from ${result.cassette})` : ""}${resolved.mode === "record" ? ` (recorded to ${result.cassette})` : ""}`,
      `run: ${runId} (events in ${stores.path})`
    ])
  })
