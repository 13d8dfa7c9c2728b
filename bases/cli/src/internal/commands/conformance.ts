import * as Command from "@effect/cli/Command"
import * as Options from "@effect/cli/Options"
import { Effect } from "effect"

const dirOption = Options.directory("dir").pipe(
  Options.withDefault("golden"),
  Options.withDescription("Golden directory holding <area>/<case>.json files (default: golden)")
)

const certifiedOption = Options.boolean("certified").pipe(
  Options.withDescription("Certified mode: a case without an adapter fails the run instead of being skipped")
)

const jsonOption = Options.boolean("json").pipe(
  Options.withDescription("Print the whole report as one JSON document instead of one line per case")
)

const run = Command.make("run", { dir: dirOption, certified: certifiedOption, json: jsonOption }, (options) =>
  Effect.flatMap(
    Effect.promise(() => import("./conformanceHandlers.js")),
    (h) => h.runSuite(options)
  )
).pipe(
  Command.withDescription(
    "Run the golden conformance suite through the kernel's adapters (UPDATE_GOLDEN=1 rewrites expectations, never in CI)."
  )
)

/** `gauntlet conformance …`: the golden conformance suite. */
export const conformanceCommand = Command.make("conformance").pipe(
  Command.withDescription("Golden conformance suite for the normative specs (N0–N6)."),
  Command.withSubcommands([run])
)
