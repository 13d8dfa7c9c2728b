import * as Args from "@effect/cli/Args"
import * as Command from "@effect/cli/Command"
import * as Options from "@effect/cli/Options"
import { Effect } from "effect"
import { dbOption, jsonOption } from "./eventsOptions.js"
import { nowOption } from "./keys.js"

/** The handlers (evidence, signing, the store) load only when an evidence command runs. */
const handlers = Effect.promise(() => import("./evidenceHandlers.js"))

const runArg = Args.text({ name: "run" }).pipe(Args.withDescription("Run id (see: gauntlet runs list)"))

const dirOption = Options.text("dir").pipe(
  Options.optional,
  Options.withDescription(
    "Evidence directory (default: evidence/ next to the --db store, i.e. .gauntlet/evidence)"
  )
)

const keyOption = Options.text("key").pipe(
  Options.repeated,
  Options.withDescription(
    "Trusted public key file (.pub.json descriptor or PEM; repeatable). Default: the installation key <state dir>/keys/installation.pub.json"
  )
)

const rootOption = Options.text("root").pipe(
  Options.optional,
  Options.withDescription("Verify against a trust root (role evidence) instead of keys")
)

const verifying = { db: dbOption, dir: dirOption, keys: keyOption, root: rootOption, now: nowOption }

const show = Command.make(
  "show",
  { run: runArg, db: dbOption, dir: dirOption, json: jsonOption },
  (options) => Effect.flatMap(handlers, (h) => h.evidenceShow(options))
).pipe(
  Command.withDescription(
    "Show a run's evidence: outcome, phases, gates, LLM ledger, approvals (not verified)."
  )
)

const verify = Command.make("verify", { run: runArg, ...verifying, json: jsonOption }, (options) =>
  Effect.flatMap(handlers, (h) => h.evidenceVerify(options))
).pipe(
  Command.withDescription(
    "Verify a run's evidence bundle offline: every signature, digest and the anchor to the run's event chain (when the store is there); names the first broken link (exit 18)."
  )
)

const exportCommand = Command.make(
  "export",
  {
    run: runArg,
    ...verifying,
    format: Options.choice("format", ["json", "md", "html"]).pipe(
      Options.withDefault("json" as const),
      Options.withDescription("json, md or self-contained html (default json)")
    ),
    out: Options.text("out").pipe(
      Options.optional,
      Options.withDescription("Write to this file instead of stdout")
    )
  },
  (options) => Effect.flatMap(handlers, (h) => h.evidenceExport(options))
).pipe(
  Command.withDescription("Export a run's evidence (with its verification verdict) as json, md or html.")
)

/** `gauntlet evidence …`: signed evidence bundles of runs. */
export const evidenceCommand = Command.make("evidence").pipe(
  Command.withDescription(
    "Evidence bundles (N6): DSSE-signed in-toto statements written on every terminal run."
  ),
  Command.withSubcommands([show, verify, exportCommand])
)
