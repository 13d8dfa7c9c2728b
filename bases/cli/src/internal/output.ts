import { Effect, Logger } from "effect"
import { OutputFailure } from "./errors.js"

const isBrokenPipe = (error: unknown): boolean =>
  typeof error === "object" && error !== null && (error as { code?: unknown }).code === "EPIPE"

/**
 * A reader that closes the pipe early (`gauntlet events list | head`) is not an error: stop quietly with exit 0,
 * as `cat` and `git log` do. Installed once by the command runner.
 */
export const exitQuietlyOnBrokenPipe = (): void => {
  process.stdout.on("error", (error) => {
    if (isBrokenPipe(error)) process.exit(0)
  })
}

/** Writes text to stdout and resumes once it is handed to the OS (back-pressure for large listings). */
const writeStdout = (text: string): Effect.Effect<void, OutputFailure> =>
  text.length === 0
    ? Effect.void
    : Effect.async<void, OutputFailure>((resume) => {
        process.stdout.write(text, (error) => {
          if (error && !isBrokenPipe(error)) resume(Effect.fail(new OutputFailure({ detail: error.message })))
          else resume(Effect.void)
        })
      })

/** Writes lines (each gets a trailing newline) in one write. */
export const writeLines = (lines: ReadonlyArray<string>): Effect.Effect<void, OutputFailure> =>
  lines.length === 0 ? Effect.void : writeStdout(`${lines.join("\n")}\n`)

/** One line to stderr, synchronously: used for the final error line right before the process exits. */
export const writeStderrLine = (line: string): void => {
  process.stderr.write(`${line}\n`)
}

/**
 * Logs go to stderr, one `gauntlet: <level>: <message>` line each, never to stdout (where they would corrupt `--json`
 * output): e.g. an evidence bundle the terminal hook could not write, which by contract never fails the run.
 */
export const stderrLogger = Logger.replace(
  Logger.defaultLogger,
  Logger.make(({ logLevel, message }) => {
    const parts = Array.isArray(message) ? message : [message]
    const text = parts.map((part) => (typeof part === "string" ? part : JSON.stringify(part))).join(" ")
    writeStderrLine(`gauntlet: ${logLevel.label.toLowerCase()}: ${text}`)
  })
)
