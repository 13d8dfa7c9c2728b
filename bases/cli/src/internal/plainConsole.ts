import { Console, Effect } from "effect"

// CSI sequences (colours, bold) as @effect/cli's help renderer emits them.
// biome-ignore lint/suspicious/noControlCharactersInRegex: matching the ESC control character is the point.
const ANSI = /\u001b\[[0-9;]*m/g

/** Removes ANSI colour/style sequences. */
const stripAnsi = (text: string): string => text.replace(ANSI, "")

const wantsColour = (stream: NodeJS.WriteStream): boolean =>
  stream.isTTY === true && process.env.NO_COLOR === undefined && process.env.TERM !== "dumb"

const plainArgs = (args: ReadonlyArray<unknown>) =>
  args.map((a) => (typeof a === "string" ? stripAnsi(a) : a))

/**
 * Runs `effect` with a Console that drops ANSI styling from what goes to stdout (log) and stderr (error) when that
 * stream is not a colour terminal (pipes, files, `NO_COLOR`), so `gauntlet --help | less` and captured errors
 * are plain text.
 */
export const withPlainConsoleWhenPiped = <A, E, R>(
  effect: Effect.Effect<A, E, R>
): Effect.Effect<A, E, R> => {
  const plainOut = !wantsColour(process.stdout)
  const plainErr = !wantsColour(process.stderr)
  if (!plainOut && !plainErr) return effect
  return Effect.consoleWith((current) =>
    Console.withConsole(effect, {
      ...current,
      log: (...args) => (plainOut ? current.log(...plainArgs(args)) : current.log(...args)),
      error: (...args) => (plainErr ? current.error(...plainArgs(args)) : current.error(...args))
    })
  )
}
