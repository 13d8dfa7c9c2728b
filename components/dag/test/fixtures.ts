import type { FailureClass } from "@gauntlet/failure"
import { type Duration, Effect, Fiber, FastCheck as fc, TestClock } from "effect"
import { type DagNode, NodeFailure, type RetryPolicy, runDag, type TaskEvent } from "../src/index.js"

/** A node with the given id and dependencies, plus optional fields. */
export const node = (
  id: string,
  dependsOn: ReadonlyArray<string> = [],
  extra: Partial<DagNode> = {}
): DagNode => ({
  id,
  dependsOn,
  ...extra
})

/** A failure of the given class. */
export const fail = (failureClass: FailureClass, reason = `${failureClass} failure`) =>
  Effect.fail(new NodeFailure({ failureClass, reason }))

/** Records every event and checks that `onEvent` is never called re-entrantly. */
export const eventRecorder = () => {
  const events: Array<TaskEvent> = []
  let inFlight = 0
  let maxInFlight = 0
  const onEvent = (event: TaskEvent) =>
    Effect.gen(function* () {
      inFlight++
      maxInFlight = Math.max(maxInFlight, inFlight)
      yield* Effect.yieldNow()
      events.push(event)
      inFlight--
    })
  return {
    events,
    onEvent,
    maxInFlight: () => maxInFlight,
    of: (type: TaskEvent["type"]) => events.filter((e) => e.type === type)
  }
}

/**
 * A random DAG scenario: node i depends only on earlier nodes (acyclic by construction), takes a few scheduler
 * yields to run, may fail terminally, may hold one of two locks and some exclusive file globs, and has a priority.
 */
export interface Scenario {
  readonly deps: ReadonlyArray<ReadonlyArray<number>>
  readonly fails: ReadonlyArray<boolean>
  readonly yields: ReadonlyArray<number>
  readonly locks: ReadonlyArray<ReadonlyArray<string>>
  readonly files: ReadonlyArray<ReadonlyArray<string>>
  readonly priorities: ReadonlyArray<number>
  readonly concurrency: number
}

export const scenario: fc.Arbitrary<Scenario> = fc.integer({ min: 1, max: 30 }).chain((n) =>
  fc.record({
    deps: fc.tuple(
      ...Array.from({ length: n }, (_, i) =>
        i === 0 ? fc.constant<Array<number>>([]) : fc.uniqueArray(fc.nat({ max: i - 1 }), { maxLength: 3 })
      )
    ),
    fails: fc.array(
      fc.nat({ max: 6 }).map((x) => x === 0),
      { minLength: n, maxLength: n }
    ),
    yields: fc.array(fc.nat({ max: 6 }), { minLength: n, maxLength: n }),
    locks: fc.array(fc.subarray(["repo-write", "db"]), { minLength: n, maxLength: n }),
    files: fc.array(
      fc.subarray(["src/**", "src/a.ts", "docs/*.md", "**/*.json", "test/x.ts"], { maxLength: 2 }),
      {
        minLength: n,
        maxLength: n
      }
    ),
    priorities: fc.array(fc.integer({ min: 0, max: 3 }), { minLength: n, maxLength: n }),
    concurrency: fc.integer({ min: 1, max: 6 })
  })
)

/** The outcome the executor must produce for a scenario: run in declaration (= topological) order. */
export const expectedStatuses = (s: Scenario): Array<"succeeded" | "failed" | "skipped"> => {
  const out: Array<"succeeded" | "failed" | "skipped"> = []
  s.deps.forEach((ds, i) => {
    out[i] = ds.every((d) => out[d] === "succeeded") ? (s.fails[i] ? "failed" : "succeeded") : "skipped"
  })
  return out
}

/** Runs one node whose attempts behave per `attempt`, recording each attempt's start time on the TestClock. */
export const runOne = <O>(
  spec: DagNode,
  attempt: (n: number) => Effect.Effect<O, NodeFailure>,
  options: { readonly defaultRetry?: RetryPolicy; readonly advance?: Duration.DurationInput } = {}
) =>
  Effect.gen(function* () {
    const starts: Array<number> = []
    const recorder = eventRecorder()
    const fiber = yield* Effect.fork(
      runDag({
        dag: { nodes: [spec] },
        concurrency: 1,
        onEvent: recorder.onEvent,
        ...(options.defaultRetry ? { defaultRetry: options.defaultRetry } : {}),
        execute: (_, n) =>
          Effect.gen(function* () {
            starts.push(yield* TestClock.currentTimeMillis)
            return yield* attempt(n)
          })
      })
    )
    yield* TestClock.adjust(options.advance ?? "1 hour")
    const result = yield* Fiber.join(fiber)
    const gaps = starts.slice(1).map((t, k) => t - starts[k]!)
    return { result, node: result.nodes.get(spec.id)!, starts, gaps, events: recorder.events }
  })

/** A retry policy (defaults: 100ms base, 10s cap). */
export const retry = (maxAttempts: number, baseDelayMs = 100, maxDelayMs = 10_000): RetryPolicy => ({
  maxAttempts,
  baseDelayMs,
  maxDelayMs
})
