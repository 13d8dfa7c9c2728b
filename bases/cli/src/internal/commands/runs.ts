import * as Args from "@effect/cli/Args"
import * as Command from "@effect/cli/Command"
import * as Options from "@effect/cli/Options"
import { Effect, Option } from "effect"
import { budgetUsdOption, cassetteOption, modeOption } from "../llm/options.js"
import { dbOption, jsonOption } from "./eventsOptions.js"

/** The handlers (and the engine, stores and agents behind them) load only when a run command actually runs. */
const handlers = Effect.promise(() => import("./runsHandlers.js"))

const runArg = Args.text({ name: "run" }).pipe(Args.withDescription("Run id (see: gauntlet runs list)"))

const byOption = Options.text("by").pipe(Options.withDescription("Who decides (recorded as the actor)"))

const reasonOption = Options.text("reason").pipe(Options.withDescription("Why (recorded with the decision)"))

const run = Command.make(
  "run",
  {
    definition: Args.file({ name: "definition", exists: "yes" }).pipe(
      Args.withDescription("Workflow definition file (.json, .yaml or .yml)")
    ),
    agents: Options.file("agents", { exists: "yes" }).pipe(
      Options.repeated,
      Options.withDescription(
        'Agent file: a scripted agent script (.json/.yaml), or an LLM agent spec (.json with "kind": "llm"); repeat for several agents'
      )
    ),
    input: Options.text("input").pipe(Options.optional, Options.withDescription("Run input as JSON text")),
    inputFile: Options.file("input-file", { exists: "yes" }).pipe(
      Options.optional,
      Options.withDescription("Run input from a JSON file")
    ),
    runId: Options.text("run-id").pipe(
      Options.optional,
      Options.withDescription("Run id (default: a new UUIDv7)")
    ),
    mode: modeOption,
    cassette: cassetteOption,
    budgetUsd: budgetUsdOption,
    db: dbOption,
    json: jsonOption
  },
  (options) => Effect.flatMap(handlers, (h) => h.workflowRun(options))
).pipe(
  Command.withDescription(
    "Start a governed run of a workflow definition with scripted or LLM agents (--mode/--cassette/--budget-usd for model calls) and the built-in gates; drive it until it completes, fails, waits for approval or is stopped (SIGTERM/SIGINT: checkpoint, print how to resume, exit 0)."
  )
)

/** `gauntlet workflow …`: run workflow definitions. */
export const workflowCommand = Command.make("workflow").pipe(
  Command.withDescription("Run governed workflows (N2)."),
  Command.withSubcommands([run])
)

const list = Command.make(
  "list",
  {
    resumable: Options.boolean("resumable").pipe(
      Options.withDescription("Only runs that can be resumed (running, paused, awaiting approval)")
    ),
    db: dbOption,
    json: jsonOption
  },
  (options) => Effect.flatMap(handlers, (h) => h.runsList(options))
).pipe(Command.withDescription("List the workflow runs in the store (oldest first) with their status."))

const show = Command.make("show", { run: runArg, db: dbOption, json: jsonOption }, (options) =>
  Effect.flatMap(handlers, (h) => h.runsShow(options))
).pipe(
  Command.withDescription(
    "Show a run: status, phases with outcomes and attempts, pending approval, budget spent (checkpoint cross-checked with its events)."
  )
)

/** approve / reject: `--by` and `--reason` are required. */
const decision = { run: runArg, by: byOption, reason: reasonOption, db: dbOption, json: jsonOption }
/** pause / cancel: `--reason` is optional. */
const control = { ...decision, reason: reasonOption.pipe(Options.optional) }

const approve = Command.make("approve", decision, (options) =>
  Effect.flatMap(handlers, (h) => h.runsApprove({ ...options, reason: Option.some(options.reason) }))
).pipe(
  Command.withDescription(
    "Approve the run's pending approval (method human) and continue the run from the escalated phase."
  )
)

const reject = Command.make("reject", decision, (options) =>
  Effect.flatMap(handlers, (h) => h.runsReject({ ...options, reason: Option.some(options.reason) }))
).pipe(Command.withDescription("Reject the run's pending approval: the run fails with class policy."))

const pause = Command.make("pause", control, (options) =>
  Effect.flatMap(handlers, (h) => h.runsControl("pause")(options))
).pipe(Command.withDescription("Pause a run at its checkpoint (continue it with gauntlet resume)."))

const cancel = Command.make("cancel", control, (options) =>
  Effect.flatMap(handlers, (h) => h.runsControl("cancel")(options))
).pipe(Command.withDescription("Cancel a run: it ends cancelled and is never resumed."))

/** `gauntlet runs …`: inspect and control workflow runs. */
export const runsCommand = Command.make("runs").pipe(
  Command.withDescription("Inspect and control workflow runs: list, show, approve, reject, pause, cancel."),
  Command.withSubcommands([list, show, approve, reject, pause, cancel])
)

/** `gauntlet resume <run> [--force]`. */
export const resumeCommand = Command.make(
  "resume",
  {
    run: runArg,
    force: Options.boolean("force").pipe(
      Options.withDescription("Resume even though the definition file changed since the run started")
    ),
    db: dbOption,
    json: jsonOption
  },
  (options) => Effect.flatMap(handlers, (h) => h.resumeRun(options))
).pipe(
  Command.withDescription(
    "Continue a paused or interrupted run from its checkpoint (completed phases are never re-run); refuses unknown and finished runs and, without --force, a changed definition."
  )
)
