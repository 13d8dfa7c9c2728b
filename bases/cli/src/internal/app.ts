import * as Command from "@effect/cli/Command"
import * as NodeFileSystem from "@effect/platform-node/NodeFileSystem"
import * as NodePath from "@effect/platform-node/NodePath"
import * as NodeTerminal from "@effect/platform-node/NodeTerminal"
import { Cause, Effect, Exit, Layer } from "effect"
import { conformanceCommand } from "./commands/conformance.js"
import { eventsCommand } from "./commands/events.js"
import { evidenceCommand } from "./commands/evidence.js"
import { keysCommand, trustCommand } from "./commands/keys.js"
import { llmCommand } from "./commands/llm.js"
import { modelsCommand } from "./commands/models.js"
import { packCommand } from "./commands/pack.js"
import { resumeCommand, runsCommand, workflowCommand } from "./commands/runs.js"
import { CLI_EXIT_CODES, exitStatusOf } from "./exitStatus.js"
import { exitQuietlyOnBrokenPipe, stderrLogger, writeStderrLine } from "./output.js"
import { withPlainConsoleWhenPiped } from "./plainConsole.js"
import { installSignalHandlers } from "./signals.js"

/** The root `gauntlet` command and its subcommand tree. */
export const gauntletCommand = Command.make("gauntlet").pipe(
  Command.withDescription(
    "Gauntlet: a governed workflow kernel. Run governed workflows, inspect and control runs, read and verify event logs and evidence, author and verify signed policy packs, manage keys and trust roots, list models, call models (live, recorded, replayed), run conformance."
  ),
  Command.withSubcommands([
    workflowCommand,
    runsCommand,
    resumeCommand,
    eventsCommand,
    evidenceCommand,
    packCommand,
    keysCommand,
    trustCommand,
    modelsCommand,
    llmCommand,
    conformanceCommand
  ])
)

/** What @effect/cli needs from the platform (the full NodeContext is not loaded), and logs on stderr. */
const platform = Layer.mergeAll(NodeFileSystem.layer, NodePath.layer, NodeTerminal.layer, stderrLogger)

/**
 * Parses `argv` (the full `process.argv`), runs the command and resolves to the process exit code. Every failure is
 * normalised by `exitStatusOf` into one stderr line and one code; nothing is thrown, no stack trace is printed.
 */
export const runCommand = (argv: ReadonlyArray<string>, version: string): Effect.Effect<number> =>
  Command.run(gauntletCommand, { name: "gauntlet", version })(argv).pipe(
    withPlainConsoleWhenPiped,
    Effect.provide(platform),
    Effect.exit,
    Effect.flatMap((exit) =>
      Effect.sync(() => {
        if (Exit.isSuccess(exit)) return CLI_EXIT_CODES.ok
        const status = exitStatusOf(exit.cause)
        if (status.message !== "") writeStderrLine(`gauntlet: ${status.message}`)
        if (process.env.GAUNTLET_DEBUG === "1") writeStderrLine(Cause.pretty(exit.cause))
        return status.exitCode
      })
    )
  )

/**
 * The process entry: runs `argv` and exits with the normalised code. SIGTERM/SIGINT go to a command that drains
 * gracefully (`workflow run`, `resume`, `runs approve`: see `signals.ts`); any other command is interrupted (130).
 */
export const runCli = (argv: ReadonlyArray<string>, version: string): void => {
  exitQuietlyOnBrokenPipe()
  const keepAlive = setInterval(() => {}, 2 ** 31 - 1)
  const fiber = Effect.runFork(runCommand(argv, version))
  const uninstall = installSignalHandlers(() => fiber.unsafeInterruptAsFork(fiber.id()))
  fiber.addObserver((exit) => {
    uninstall()
    clearInterval(keepAlive)
    const code = Exit.isSuccess(exit)
      ? exit.value
      : Cause.isInterruptedOnly(exit.cause)
        ? CLI_EXIT_CODES.interrupted
        : exitStatusOf(exit.cause).exitCode
    // Success ends naturally (stdout drains); anything else exits now, as NodeRuntime.runMain does.
    if (code === 0) process.exitCode = 0
    else process.exit(code)
  })
}
