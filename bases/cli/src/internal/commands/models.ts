import * as Command from "@effect/cli/Command"
import * as Options from "@effect/cli/Options"
import { Effect } from "effect"
import { jsonOption } from "./eventsOptions.js"

const list = Command.make(
  "list",
  {
    available: Options.boolean("available").pipe(Options.withDescription("Only the models usable now")),
    json: jsonOption
  },
  (options) =>
    Effect.flatMap(
      Effect.promise(() => import("./modelsHandlers.js")),
      (h) => h.modelsList(options)
    )
).pipe(
  Command.withDescription(
    "List the model catalog with prices (USD per million tokens), context window, tier and availability computed from the configured providers (environment)."
  )
)

/** `gauntlet models …`: the model registry. */
export const modelsCommand = Command.make("models").pipe(
  Command.withDescription("The model registry (N7): catalog, prices, capabilities, availability."),
  Command.withSubcommands([list])
)
