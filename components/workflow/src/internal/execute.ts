import { Deferred, Effect, Exit, Ref } from "effect"
import type { RunCheckpoint } from "./checkpoint.js"
import type { CompiledWorkflow } from "./compile.js"
import type { Control, ControlRequest, EngineDeps } from "./deps.js"
import { RunActive } from "./errors.js"
import type { RunOutcome } from "./outcome.js"
import type { RunHandle } from "./recorder.js"
import { driveRun } from "./run-loop.js"

/** A handle on a stored run at a known checkpoint version. */
export const makeHandle = (options: {
  readonly runId: string
  readonly compiled: CompiledWorkflow
  readonly checkpoint: RunCheckpoint
  readonly version: number
}): Effect.Effect<RunHandle> =>
  Effect.gen(function* () {
    return {
      runId: options.runId,
      compiled: options.compiled,
      checkpoint: yield* Ref.make(options.checkpoint),
      version: yield* Ref.make(options.version)
    }
  })

/** Registers the run as executing here (refusing a second execution), drives it, and unregisters it on any exit. */
export const execute = (deps: EngineDeps, handle: RunHandle) =>
  Effect.gen(function* () {
    const control: Control = {
      pause: yield* Ref.make<ControlRequest | undefined>(undefined),
      cancel: yield* Deferred.make<ControlRequest>(),
      done: yield* Deferred.make<RunOutcome, unknown>()
    }
    const registered = yield* Ref.modify(deps.active, (active) =>
      active.has(handle.runId)
        ? [false, active]
        : [true, new Map([...active, [handle.runId, control]]) as ReadonlyMap<string, Control>]
    )
    if (!registered) return yield* new RunActive({ runId: handle.runId })
    return yield* driveRun(deps, handle, control).pipe(
      Effect.onExit((exit) =>
        Effect.zipRight(
          Ref.update(deps.active, (active) => {
            const next = new Map(active)
            next.delete(handle.runId)
            return next
          }),
          Exit.isSuccess(exit)
            ? Deferred.succeed(control.done, exit.value)
            : Deferred.failCause(control.done, exit.cause)
        )
      )
    )
  })

/** Whether the run executes in this engine now. */
export const controlOf = (deps: EngineDeps, runId: string) =>
  Ref.get(deps.active).pipe(Effect.map((active) => active.get(runId)))
