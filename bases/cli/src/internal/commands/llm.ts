import * as Command from "@effect/cli/Command"
import * as Options from "@effect/cli/Options"
import { Effect } from "effect"
import { budgetUsdOption, cassetteOption, modeOption } from "../llm/options.js"
import { dbOption } from "./eventsOptions.js"

const complete = Command.make(
  "complete",
  {
    prompt: Options.text("prompt").pipe(Options.optional, Options.withDescription("The user prompt")),
    promptFile: Options.file("prompt-file").pipe(
      Options.optional,
      Options.withDescription("Read the user prompt from this file")
    ),
    system: Options.text("system").pipe(Options.optional, Options.withDescription("A system prompt")),
    model: Options.text("model").pipe(
      Options.optional,
      Options.withDescription("Catalog model id (see: gauntlet models list); default: routed by --strategy")
    ),
    strategy: Options.choice("strategy", ["automatic", "cost", "quality", "local-only"]).pipe(
      Options.withDefault("automatic" as const),
      Options.withDescription("Routing strategy when no --model is given (default automatic)")
    ),
    maxOutputTokens: Options.integer("max-output-tokens").pipe(
      Options.withDefault(1024),
      Options.withDescription(
        "Most tokens the answer may use (default 1024); the budget reserves this worst case"
      )
    ),
    budgetUsd: budgetUsdOption,
    mode: modeOption,
    cassette: cassetteOption,
    db: dbOption,
    json: Options.boolean("json").pipe(Options.withDescription("Print one JSON object instead of text"))
  },
  (options) =>
    Effect.flatMap(
      Effect.promise(() => import("./llmHandlers.js")),
      (h) => h.llmComplete(options)
    )
).pipe(
  Command.withDescription(
    "One model call through the budgeted chokepoint: prints the answer, model, tokens, cost and whether it was replayed; events are stored under a new run id."
  )
)

/** `gauntlet llm …`: model calls through the chokepoint (N7). */
export const llmCommand = Command.make("llm").pipe(
  Command.withDescription("Model calls through the budgeted chokepoint (N7): live, recorded or replayed."),
  Command.withSubcommands([complete])
)
