import {
  Cause,
  Deferred,
  Duration,
  Effect,
  ExecutionStrategy,
  Exit,
  Option,
  Predicate,
  ScheduleDecision,
  ScheduleIntervals,
  Schema,
  Scope
} from "effect"
import { type DagValidationError, InvalidRunOption, NodeFailure } from "./errors.js"
import type { TaskEvent } from "./events.js"
import { type ValidDag, validateDag } from "./graph.js"
import type { DagResult } from "./result.js"
import { NO_RETRY, retrySchedule } from "./retry.js"
import { DagScheduler } from "./scheduler.js"
import { type DagNode, type DagSpec, RetryPolicy } from "./spec.js"
import { toNodeFailure } from "./to-node-failure.js"

/** What `runDag` needs. `R` is whatever the executor, the event sink and the cancel signal require. */
export interface RunDagOptions<O, R> {
  readonly dag: DagSpec
  /**
   * Runs one attempt of a node (attempts count from 1). Fail with `NodeFailure` carrying the failure's class
   * (`toNodeFailure` classifies anything thrown); a defect is classified the same way. The attempt must be
   * interruptible: a timeout or a cancellation interrupts it, and interruption must release what it holds (see the
   * README: a subprocess is killed with its process group).
   */
  readonly execute: (node: DagNode, attempt: number) => Effect.Effect<O, NodeFailure, R>
  /** At most this many nodes run at once: an integer ≥ 1, or `Infinity`. */
  readonly concurrency: number
  /**
   * Receives every task event, one call at a time, in the order the transitions happened. A node's attempt does
   * not start before its `task/started` event has been handled.
   */
  readonly onEvent?: (event: TaskEvent) => Effect.Effect<void, never, R>
  /**
   * A synchronous event sink: receives every task event, in order, with the same guarantee as `onEvent` (a node's
   * attempt does not start before its `task/started` event was handed over), but costs no effect per event (the
   * durable-run hot path). It must not throw (a throw is a defect that ends the run). When both sinks are given,
   * each event goes to `onEventSync` first, then to `onEvent`.
   */
  readonly onEventSync?: (event: TaskEvent) => void
  /**
   * When this effect completes (in any way), the run is cancelled: running nodes are interrupted, the rest never start. Pass a
   * `Deferred` for a strict cut: it is polled before every start, so no attempt begins once it is done. Any other
   * effect takes hold at the next scheduling turn.
   */
  readonly cancel?: Effect.Effect<unknown, never, R>
  /** Retry policy for nodes that declare none (default: one attempt, no retry). */
  readonly defaultRetry?: RetryPolicy
  /**
   * Nodes that already succeeded in an earlier run (restored from a checkpoint), with their outputs: they are not
   * run again, emit no events, and are reported as succeeded with 0 attempts. Every dependency of a completed node
   * must be completed too.
   */
  readonly completed?: ReadonlyMap<string, O>
}

const isRetryPolicy = Schema.is(RetryPolicy)

const checkOptions = (
  concurrency: number,
  defaultRetry: RetryPolicy
): Effect.Effect<void, InvalidRunOption> => {
  if (!(concurrency === Number.POSITIVE_INFINITY || (Number.isInteger(concurrency) && concurrency >= 1))) {
    return Effect.fail(
      new InvalidRunOption({
        option: "concurrency",
        reason: `must be an integer >= 1 or Infinity, got ${concurrency}`
      })
    )
  }
  if (!isRetryPolicy(defaultRetry)) {
    return Effect.fail(
      new InvalidRunOption({
        option: "defaultRetry",
        reason: "must be a RetryPolicy (maxAttempts >= 1, 0 <= baseDelayMs <= maxDelayMs)"
      })
    )
  }
  return Effect.void
}

/** Marks checkpointed nodes succeeded, refusing unknown ids and a completed node with an uncompleted dependency. */
const restoreCompleted = <O>(
  dag: ValidDag,
  scheduler: DagScheduler<O>,
  completed: ReadonlyMap<string, O>
): Effect.Effect<void, InvalidRunOption> => {
  for (const id of completed.keys()) {
    const i = dag.indexOf.get(id)
    if (i === undefined) {
      return Effect.fail(new InvalidRunOption({ option: "completed", reason: `no node "${id}" in the DAG` }))
    }
    const missing = dag.spec.nodes[i]!.dependsOn.find((d) => !completed.has(d))
    if (missing !== undefined) {
      return Effect.fail(
        new InvalidRunOption({
          option: "completed",
          reason: `node "${id}" is completed but its dependency "${missing}" is not`
        })
      )
    }
  }
  for (const [id, output] of completed) scheduler.restore(dag.indexOf.get(id)!, output)
  return Effect.void
}

/**
 * Runs a DAG. A node starts the moment its last dependency succeeds (event-driven: the fiber that finishes a node
 * starts its newly ready successors; there are no batch barriers and no polling), highest `priority` first among
 * ready nodes (ties in declaration order), at most `concurrency` at once, never two nodes holding the same lock or
 * overlapping file globs. A failed node marks every transitive dependent `skipped` with its cause chain while
 * independent branches keep running. A failure is retried per the node's policy only when its class is
 * `retryable`. Each attempt is bounded by the node's `timeoutMs` (class `timeout`). Interrupting `runDag`
 * interrupts every running node; `cancel` does the same but returns a result with status `cancelled`.
 * Fails only on an invalid DAG or option: node failures are reported in the result.
 */
export const runDag = <O, R = never>(
  options: RunDagOptions<O, R>
): Effect.Effect<DagResult<O>, DagValidationError | InvalidRunOption, R> =>
  Effect.gen(function* () {
    const { concurrency, defaultRetry = NO_RETRY, execute, onEvent, onEventSync } = options
    yield* checkOptions(concurrency, defaultRetry)
    const dag = yield* validateDag(options.dag)
    const nodes = dag.spec.nodes
    const clock = yield* Effect.clock
    const now = () => clock.unsafeCurrentTimeMillis()
    const runStartedAt = now()
    const scheduler = new DagScheduler<O>(
      dag,
      concurrency,
      onEvent !== undefined || onEventSync !== undefined,
      now
    )
    if (options.completed !== undefined) yield* restoreCompleted(dag, scheduler, options.completed)
    const emitLock = yield* Effect.makeSemaphore(1)
    const finished = yield* Deferred.make<"finished" | "cancelled">()

    // Emits everything recorded so far, in order; callers wait, so events precede what they announce. With only a
    // synchronous sink, emitting is one plain call (no lock: nothing can interleave a synchronous loop).
    const emitSync = (): void => {
      for (const e of scheduler.takeEvents()) onEventSync!(e)
    }
    const flush: Effect.Effect<void, never, R> =
      onEvent === undefined
        ? onEventSync === undefined
          ? Effect.void
          : Effect.sync(emitSync)
        : Effect.uninterruptible(
            emitLock.withPermits(1)(
              Effect.suspend(() =>
                Effect.forEach(
                  scheduler.takeEvents(),
                  (e: TaskEvent) => {
                    onEventSync?.(e)
                    return onEvent(e)
                  },
                  { discard: true }
                )
              )
            )
          )
    /** True when `flush` is synchronous: the worker's hot path then calls `emitSync` directly. */
    const syncOnly = onEvent === undefined && onEventSync !== undefined

    // One attempt: the executor, bounded by the node's timeout, with defects classified by @gauntlet/failure.
    const attemptOnce = (node: DagNode, attempt: number): Effect.Effect<O, NodeFailure, R> => {
      const run = Effect.suspend(() => execute(node, attempt)).pipe(
        // Guards against executors (say, untyped JS) that fail with something other than a NodeFailure.
        Effect.mapError((error: unknown) => toNodeFailure(error)),
        Effect.catchAllDefect((defect) => Effect.fail(toNodeFailure(defect, "executor defect: ")))
      )
      const timeoutMs = node.timeoutMs
      return timeoutMs === undefined
        ? run
        : Effect.timeoutFail(run, {
            duration: Duration.millis(timeoutMs),
            onTimeout: () =>
              new NodeFailure({
                failureClass: "timeout",
                reason: `attempt ${attempt} of node "${node.id}" timed out after ${timeoutMs}ms`
              })
          })
    }

    // Every attempt of a node, retrying retryable failures on the policy's schedule.
    const runNode = (i: number): Effect.Effect<Exit.Exit<O, NodeFailure>, never, R> => {
      const policy = nodes[i]!.retry ?? defaultRetry
      // One attempt only (the common case): its exit is the node's, with no continuation to run.
      if (policy.maxAttempts <= 1) return Effect.exit(attemptOnce(nodes[i]!, 1))
      return Effect.flatMap(Effect.exit(attemptOnce(nodes[i]!, 1)), (first) => {
        if (Exit.isSuccess(first)) return Effect.succeed(first)
        return Effect.gen(function* () {
          const schedule = retrySchedule(policy)
          let state: unknown = schedule.initial
          let exit: Exit.Exit<O, NodeFailure> = first
          while (Exit.isFailure(exit)) {
            const failure = Cause.failureOption(exit.cause)
            if (Option.isNone(failure)) return exit
            const at = now()
            const [nextState, , decision] = yield* schedule.step(at, failure.value, state)
            if (ScheduleDecision.isDone(decision)) return exit
            state = nextState
            const scheduled = ScheduleIntervals.start(decision.intervals) - at
            const delayMs = Math.max(0, scheduled, failure.value.retryAfterMs ?? 0)
            scheduler.retrying(i, failure.value, delayMs)
            yield* flush
            if (delayMs > 0) yield* Effect.sleep(Duration.millis(delayMs))
            if (cancelling !== undefined && (yield* cancelling)) return yield* Effect.interrupt
            const attempt = scheduler.nextAttempt(i)
            yield* flush
            exit = yield* Effect.exit(attemptOnce(nodes[i]!, attempt))
          }
          return exit
        })
      })
    }

    // Whether the run is being cancelled, checked before anything starts. A Deferred signal is polled, so nothing
    // starts once it is done; any other signal effect is given a turn first (its watcher sets the stop flag).
    const cancel = options.cancel
    const cancelling: Effect.Effect<boolean> | undefined =
      cancel === undefined
        ? undefined
        : Predicate.hasProperty(cancel, Deferred.DeferredTypeId)
          ? Effect.map(Deferred.isDone(cancel as unknown as Deferred.Deferred<unknown, unknown>), (done) => {
              if (done) scheduler.stop()
              return scheduler.isStopped
            })
          : Effect.zipRight(
              Effect.yieldNow(),
              Effect.sync(() => scheduler.isStopped)
            )

    const workers = yield* Scope.make(ExecutionStrategy.parallel)

    // A worker runs a node, records its exit, launches what became startable (keeping the first for itself) and
    // repeats; it ends when its completion starts nothing. Bookkeeping is synchronous, so it is atomic.
    const worker = (first: number): Effect.Effect<void, never, R> =>
      Effect.gen(function* () {
        let i = first
        // A worker forked before a cancel signal but scheduled after it must not start its node.
        if (cancelling !== undefined && (yield* cancelling)) {
          scheduler.unstart(i)
          return
        }
        for (;;) {
          const exit = yield* runNode(i)
          scheduler.complete(i, exit)
          // A cancel signalled while that node ran takes effect before anything else starts.
          if (cancelling !== undefined) yield* cancelling
          const launch = scheduler.dispatch()
          if (syncOnly) emitSync()
          else yield* flush
          if (scheduler.done) {
            yield* Deferred.succeed(finished, "finished")
            return
          }
          if (launch.length === 0) {
            if (scheduler.runningCount === 0 && !scheduler.isStopped) {
              yield* Deferred.die(
                finished,
                new Error("runDag: unfinished nodes but nothing running or ready")
              )
            }
            return
          }
          for (let k = 1; k < launch.length; k++) yield* Effect.forkIn(worker(launch[k]!), workers)
          i = launch[0]!
        }
      }).pipe(
        // A defect in a worker (a throwing event sink, a broken invariant) ends the run instead of hanging it.
        Effect.catchAllCause((cause) =>
          Cause.isInterruptedOnly(cause) ? Effect.void : Deferred.failCause(finished, cause)
        )
      )

    return yield* Effect.gen(function* () {
      if (cancel !== undefined) {
        const stop = Effect.sync(() => scheduler.stop())
        yield* Effect.forkIn(
          // However the signal ends (even interrupted), the run stops: it must never wait for nothing.
          Effect.exit(cancel).pipe(
            Effect.zipRight(stop),
            Effect.zipRight(Deferred.succeed(finished, "cancelled"))
          ),
          workers
        )
        yield* cancelling!
      }
      const launch = scheduler.start()
      yield* flush
      if (scheduler.done) yield* Deferred.succeed(finished, "finished") // everything was restored
      for (const i of launch) yield* Effect.forkIn(worker(i), workers)
      const outcome = yield* Deferred.await(finished)
      yield* Scope.close(workers, Exit.void)
      const cancelled = outcome === "cancelled" && !scheduler.done
      if (cancelled) scheduler.cancelRemaining()
      // Emits what interrupted workers recorded but did not get to emit, then the cancellations.
      yield* flush
      return scheduler.result(cancelled, runStartedAt, now())
    }).pipe(Effect.onExit(() => Scope.close(workers, Exit.void)))
  })
