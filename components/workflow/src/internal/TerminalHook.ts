import { Context, Effect, Layer } from "effect"
import type { RunOutcome } from "./outcome.js"

/** What runs when a run reaches a terminal state (completed, failed — incl. budget exhaustion and rejection — or cancelled). */
export interface TerminalHookShape {
  /** Called once per terminal state, after its checkpoint is committed. Failures are logged, never fatal to the run. */
  readonly onTerminal: (outcome: RunOutcome) => Effect.Effect<void>
}

/** The terminal hook: evidence bundles plug in here. */
export class TerminalHook extends Context.Tag("@gauntlet/workflow/TerminalHook")<
  TerminalHook,
  TerminalHookShape
>() {
  /** Does nothing. */
  static readonly none: Layer.Layer<TerminalHook> = Layer.succeed(TerminalHook, {
    onTerminal: () => Effect.void
  })

  /** A hook from a function. */
  static readonly layer = (
    onTerminal: (outcome: RunOutcome) => Effect.Effect<void>
  ): Layer.Layer<TerminalHook> => Layer.succeed(TerminalHook, { onTerminal })
}
