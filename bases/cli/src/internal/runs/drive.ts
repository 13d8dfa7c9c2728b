import type { FileSystem } from "@effect/platform"
import type { EventLog } from "@gauntlet/event-stream"
import { RunStore } from "@gauntlet/run-store"
import { runWithGracefulShutdown, type ShutdownSignal } from "@gauntlet/supervision"
import type { RunOutcome, WorkflowEngineShape } from "@gauntlet/workflow"
import { Cause, Effect, Either, Exit, Fiber, FiberId, Option, Ref } from "effect"
import { RunFailed, RunStopped } from "../errors.js"
import { CLI_EXIT_CODES } from "../exitStatus.js"
import { writeLines } from "../output.js"
import { processSignals } from "../signals.js"
import type { EvidenceNote } from "./evidence.js"
import { approveHint, outcomeLine, resumeHint } from "./render.js"

/**
 * How long a run may drain after SIGTERM/SIGINT before it is interrupted (ms): 10 s, or
 * `GAUNTLET_SHUTDOWN_GRACE_MS`. The engine pauses the run at the next attempt boundary; an attempt still running
 * after this bound (or on a second signal) is interrupted: it stays recorded as started, is charged at its estimate
 * on resume and is re-run then. Either way the process exits 0.
 */
const DEFAULT_SHUTDOWN_GRACE_MS = 10_000

const graceMs = (): number => {
  const fromEnv = Number(process.env.GAUNTLET_SHUTDOWN_GRACE_MS)
  return Number.isSafeInteger(fromEnv) && fromEnv >= 0 && process.env.GAUNTLET_SHUTDOWN_GRACE_MS !== ""
    ? fromEnv
    : DEFAULT_SHUTDOWN_GRACE_MS
}

/** A run operation that drives the run (start, resume, approve) and the run it drives. */
export interface Drive<E> {
  readonly runId: string
  readonly engine: WorkflowEngineShape
  readonly operation: Effect.Effect<RunOutcome, E>
}

/** Where a driven run stopped, and whether a signal stopped it. */
export interface Driven<E> {
  readonly exit: Exit.Exit<RunOutcome, E>
  readonly signal: ShutdownSignal | undefined
}

/**
 * Drives a run under graceful shutdown: on the first signal the engine is asked to pause the run (it stops at the
 * next attempt boundary, with a checkpoint); if the run is not executing yet the operation is interrupted. After
 * the grace period, or on a second signal, the operation is interrupted.
 */
export const driveGracefully = <E>(drive: Drive<E>): Effect.Effect<Driven<E>> =>
  Effect.gen(function* () {
    const received = yield* Ref.make<ShutdownSignal | undefined>(undefined)
    const outcome = yield* runWithGracefulShutdown({
      source: processSignals,
      graceMs: graceMs(),
      run: (shutdown) =>
        Effect.gen(function* () {
          const fiber = yield* Effect.fork(drive.operation)
          const stopper = yield* Effect.fork(
            Effect.gen(function* () {
              const signal = yield* shutdown.requested
              yield* Ref.set(received, signal)
              const paused = yield* Effect.either(
                drive.engine.pause(
                  drive.runId,
                  "cli",
                  `${signal} received: stopping at the next attempt boundary`
                )
              )
              if (Either.isLeft(paused)) yield* Fiber.interrupt(fiber)
            })
          )
          const exit = yield* Fiber.await(fiber)
          yield* Fiber.interrupt(stopper)
          return exit
        })
    })
    const signal = yield* Ref.get(received)
    if (outcome._tag === "Forced") {
      const interrupted: Exit.Exit<RunOutcome, E> = Exit.interrupt(FiberId.none)
      return { exit: interrupted, signal: outcome.signal }
    }
    return {
      exit: outcome.value,
      signal: signal ?? (outcome._tag === "Drained" ? outcome.signal : undefined)
    }
  })

/** Options of `settle`. */
export interface SettleOptions {
  readonly path: string
  readonly json: boolean
  /** Statuses that are what the command asked for (exit 0), beside `completed`. */
  readonly expected?: ReadonlyArray<RunOutcome["status"]>
  /** The evidence bundle written when the run ended (path and verification), printed after the outcome. */
  readonly evidence?: Effect.Effect<EvidenceNote | undefined, never, EventLog | FileSystem.FileSystem>
}

/**
 * Prints where a run stopped and ends the command with the documented exit code: completed (or an expected
 * status) → 0; failed → the code of its failure class; awaiting approval, or paused by someone else → 75 with the
 * next command to run; cancelled → the `policy` code.
 */
export const settle = (outcome: RunOutcome, options: SettleOptions) =>
  Effect.gen(function* () {
    const note = options.evidence === undefined ? undefined : yield* options.evidence
    yield* writeLines(
      options.json
        ? [JSON.stringify(note === undefined ? outcome : { ...outcome, evidence: note.json })]
        : [outcomeLine(outcome), ...(note === undefined ? [] : [note.line])]
    )
    if (outcome.status === "completed" || options.expected?.includes(outcome.status) === true) return
    switch (outcome.status) {
      case "failed":
        return yield* new RunFailed({
          runId: outcome.runId,
          failureClass: outcome.failureClass ?? "unknown",
          reason: outcome.reason ?? "no reason recorded",
          ...(outcome.phase === undefined ? {} : { phase: outcome.phase })
        })
      case "awaiting-approval":
        return yield* new RunStopped({
          runId: outcome.runId,
          status: outcome.status,
          hint: `decide with: ${approveHint(outcome.runId, options.path)}`,
          exitCode: CLI_EXIT_CODES.awaitingApproval
        })
      case "cancelled":
        return yield* new RunStopped({
          runId: outcome.runId,
          status: outcome.status,
          hint: outcome.reason ?? "cancelled",
          exitCode: 14
        })
      default:
        return yield* new RunStopped({
          runId: outcome.runId,
          status: outcome.status,
          hint: `continue with: ${resumeHint(outcome.runId, options.path)}`,
          exitCode: CLI_EXIT_CODES.awaitingApproval
        })
    }
  })

/**
 * Ends a driven run: stopped by a signal before it finished → prints that the run is checkpointed and how to resume
 * it, exit 0 (whatever the interrupted operation ended with); otherwise `settle`s its outcome or fails with its error.
 */
export const finish = <E>(driven: Driven<E>, runId: string, options: SettleOptions) =>
  Effect.gen(function* () {
    const { exit, signal } = driven
    const finished =
      Exit.isSuccess(exit) &&
      (exit.value.status === "completed" ||
        exit.value.status === "failed" ||
        exit.value.status === "cancelled")
    if (signal !== undefined && !finished) {
      const status = Exit.isSuccess(exit) ? exit.value.status : "running"
      const resume = resumeHint(runId, options.path)
      yield* writeLines([
        options.json
          ? JSON.stringify({ runId, status, stoppedBy: signal, resume })
          : `run ${runId}: stopped on ${signal} (${status}, checkpointed); resume with: ${resume}`
      ])
      return
    }
    if (Exit.isFailure(exit)) yield* changedElsewhere(exit.cause, runId, options)
    yield* settle(yield* exit, options)
  })

/**
 * The run's checkpoint moved under the driving process (`CheckpointConflict`): another command paused or cancelled
 * it. Reports that (75 for a paused run, with how to continue; 14 for a cancelled one) instead of the bare conflict.
 */
const changedElsewhere = (cause: Cause.Cause<unknown>, runId: string, options: SettleOptions) =>
  Effect.gen(function* () {
    const failure = Cause.failureOption(cause)
    const conflict =
      Option.isSome(failure) &&
      typeof failure.value === "object" &&
      failure.value !== null &&
      (failure.value as { _tag?: unknown })._tag === "CheckpointConflict"
    if (!conflict) return
    const now = yield* Effect.flatMap(RunStore, (store) => store.get(runId))
    if (Option.isNone(now) || now.value.status === "running") return
    const status = now.value.status
    return yield* new RunStopped({
      runId,
      status,
      hint:
        status === "cancelled"
          ? "it was cancelled by another command while this one drove it"
          : `another command changed it while this one drove it; continue with: ${resumeHint(runId, options.path)}`,
      exitCode: status === "cancelled" ? 14 : CLI_EXIT_CODES.awaitingApproval
    })
  })
