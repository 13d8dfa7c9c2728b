import { Ids } from "@gauntlet/canonical"
import type { GoldenAdapter } from "@gauntlet/conformance"
import { type DagNode, type DagResult, decodeDagSpec, NodeFailure, runDag, validateDag } from "@gauntlet/dag"
import { resumeDagDurably, runDagDurably } from "@gauntlet/dag-journal"
import { EventLogMemory } from "@gauntlet/event-store-memory"
import { coreEventTypes, EventLog, EventTypes } from "@gauntlet/event-stream"
import { FailureClass } from "@gauntlet/failure"
import { RunStore } from "@gauntlet/run-store"
import { RunStoreMemory } from "@gauntlet/run-store-memory"
import {
  Chunk,
  Clock,
  Duration,
  Effect,
  Fiber,
  Layer,
  ParseResult,
  Schema,
  Stream,
  TestClock,
  TestContext
} from "effect"

/**
 * Golden adapter for area `dag` (spec N2 "Task DAGs"). The input's `op` names the operation:
 * - `validate` `{ dag }` (untrusted JSON) → `{ valid: true, nodes }` or the first error as data:
 *   `{ error: "InvalidDagSpec", pointer }` (the reason text is the implementation's), `{ error: "EmptyGraph" }`,
 *   `{ error: "DuplicateNodeId", id, pointer, firstPointer }`, `{ error: "UnknownDependency", node, dependency,
 *   pointer }`, `{ error: "CycleDetected", cycle }`;
 * - `run` `{ dag, concurrency?, failures?, durations?, completed? }` → `{ status, started, nodes }`: the run's
 *   status, every attempt start as `id#attempt@ms` in start order (`ms`: virtual time since the run began), and per
 *   node `{ status, attempts, failureClass?, causeChain? }`. `failures` maps a node id to `{ failureClass, reason?,
 *   times? }`: its first `times` attempts (default: all) fail with that class. `durations` maps a node id to how many
 *   virtual milliseconds each of its attempts takes (default 0). `completed` lists nodes restored as succeeded
 *   (resume). The run is driven by the test clock, so the order and times are fully determined by the rules.
 * - `journal` `{ dag, concurrency?, failures?, resume? }` → `{ events, nodes }`: a durable run on the memory
 *   stores; `events` are the stored events' `{ type, payload }` in seq order, `nodes` the node rows' `{ status,
 *   attempts }` by id. With `resume: true` the run is then resumed once with `failures` no longer applied, and
 *   `executions` counts how often each node ran over both runs.
 * A malformed case input fails the case with a message naming what is wrong.
 */

const Failures = Schema.Record({
  key: Schema.String,
  value: Schema.Struct({
    failureClass: FailureClass,
    reason: Schema.optional(Schema.String),
    times: Schema.optional(Schema.Int)
  })
})

const Concurrency = Schema.optionalWith(Schema.Int.pipe(Schema.positive()), { default: () => 1 })

const DagCaseInput = Schema.Union(
  Schema.Struct({ op: Schema.Literal("validate"), dag: Schema.Unknown }),
  Schema.Struct({
    op: Schema.Literal("run"),
    dag: Schema.Unknown,
    concurrency: Concurrency,
    failures: Schema.optional(Failures),
    durations: Schema.optional(
      Schema.Record({ key: Schema.String, value: Schema.Int.pipe(Schema.nonNegative()) })
    ),
    completed: Schema.optional(Schema.Array(Schema.String))
  }),
  Schema.Struct({
    op: Schema.Literal("journal"),
    dag: Schema.Unknown,
    concurrency: Concurrency,
    failures: Schema.optional(Failures),
    resume: Schema.optional(Schema.Boolean)
  })
)
type DagCaseInput = typeof DagCaseInput.Type

/** Each issue as `<JSON pointer>: <message>`. */
const describeIssues = (error: ParseResult.ParseError): string =>
  ParseResult.ArrayFormatter.formatErrorSync(error)
    .map((issue) => `/${issue.path.map(String).join("/")}: ${issue.message}`)
    .join("; ")

/** A validation error as case data (reasons of `InvalidDagSpec` are left out: their text is not normative). */
const errorAsData = (error: { readonly _tag: string } & Record<string, unknown>): unknown => {
  switch (error._tag) {
    case "InvalidDagSpec":
      return { error: error._tag, pointer: error.pointer }
    case "EmptyGraph":
      return { error: error._tag }
    case "DuplicateNodeId":
      return { error: error._tag, id: error.id, pointer: error.pointer, firstPointer: error.firstPointer }
    case "UnknownDependency":
      return { error: error._tag, node: error.node, dependency: error.dependency, pointer: error.pointer }
    case "CycleDetected":
      return { error: error._tag, cycle: error.cycle }
    case "InvalidRunOption":
      return { error: error._tag, option: error.option }
    default:
      return { error: error._tag }
  }
}

type Failures = typeof Failures.Type

/**
 * An executor that takes `durations[id]` virtual ms per attempt, fails the nodes named in `failures` (their first
 * `times` attempts) and records every start as `id#attempt@ms`.
 */
const scriptedExecutor =
  (failures: Failures | undefined, started: Array<string>, durations: Record<string, number> = {}) =>
  (node: DagNode, attempt: number) =>
    Effect.gen(function* () {
      const now = yield* Clock.currentTimeMillis
      started.push(`${node.id}#${attempt}@${now}`)
      const duration = durations[node.id] ?? 0
      if (duration > 0) yield* Effect.sleep(Duration.millis(duration))
      const failure = failures?.[node.id]
      if (failure !== undefined && (failure.times === undefined || attempt <= failure.times)) {
        return yield* new NodeFailure({
          failureClass: failure.failureClass,
          reason: failure.reason ?? `${node.id} failed`
        })
      }
      return null
    })

const nodeView = <O>(result: DagResult<O>) => {
  const nodes: Record<string, unknown> = {}
  for (const [id, n] of result.nodes) {
    nodes[id] = {
      status: n.status,
      attempts: n.attempts,
      ...(n.failure === undefined ? {} : { failureClass: n.failure.failureClass }),
      ...(n.causeChain === undefined ? {} : { causeChain: n.causeChain })
    }
  }
  return nodes
}

/** Enough virtual time for every attempt of every node to run one after the other (delays in cases are 0). */
const virtualBudget = (dag: { readonly nodes: ReadonlyArray<DagNode> }, durations: Record<string, number>) =>
  dag.nodes.reduce((sum, n) => sum + (durations[n.id] ?? 0) * (n.retry?.maxAttempts ?? 1), 1)

const runCase = (input: Extract<DagCaseInput, { op: "run" }>) =>
  Effect.gen(function* () {
    const dag = yield* decodeDagSpec(input.dag)
    const started: Array<string> = []
    const durations = input.durations ?? {}
    const fiber = yield* Effect.fork(
      runDag({
        dag,
        concurrency: input.concurrency,
        execute: scriptedExecutor(input.failures, started, durations),
        ...(input.completed === undefined
          ? {}
          : { completed: new Map(input.completed.map((id) => [id, null])) })
      })
    )
    yield* TestClock.adjust(Duration.millis(virtualBudget(dag, durations)))
    const result = yield* Fiber.join(fiber)
    return { status: result.status, started, nodes: nodeView(result) }
  })

const memoryStores = Layer.provideMerge(RunStoreMemory.layer, EventLogMemory.layer).pipe(
  Layer.provide(Layer.merge(EventTypes.layer(coreEventTypes), Ids.layerDeterministic()))
)

const journalCase = (input: Extract<DagCaseInput, { op: "journal" }>) =>
  Effect.gen(function* () {
    const dag = yield* decodeDagSpec(input.dag)
    const runId = "golden-dag"
    const started: Array<string> = []
    const executions: Record<string, number> = {}
    const counted = (failures: Failures | undefined) => (node: DagNode, attempt: number) =>
      Effect.suspend(() => {
        executions[node.id] = (executions[node.id] ?? 0) + 1
        return scriptedExecutor(failures, started)(node, attempt)
      })
    const options = { runId, dag, concurrency: input.concurrency }
    yield* runDagDurably({ ...options, execute: counted(input.failures) })
    if (input.resume === true) yield* resumeDagDurably({ ...options, execute: counted(undefined) })
    const log = yield* EventLog
    const events = Chunk.toReadonlyArray(yield* Stream.runCollect(log.read(runId))).map(
      ({ type, payload }) => ({
        type,
        payload
      })
    )
    const rows = yield* Effect.flatMap(RunStore, (store) => store.nodes(runId))
    const nodes: Record<string, unknown> = {}
    for (const row of rows) nodes[row.nodeId] = { status: row.status, attempts: row.attempts }
    return input.resume === true ? { events, nodes, executions } : { events, nodes }
  }).pipe(Effect.provide(memoryStores))

const evaluate = (input: DagCaseInput): Effect.Effect<unknown, unknown> => {
  switch (input.op) {
    case "validate":
      return Effect.map(Effect.flatMap(decodeDagSpec(input.dag), validateDag), (valid) => ({
        valid: true,
        nodes: valid.spec.nodes.length
      }))
    case "run":
      return runCase(input)
    case "journal":
      return journalCase(input)
  }
}

const run = (input: unknown): Effect.Effect<unknown, string> =>
  Schema.decodeUnknown(DagCaseInput)(input).pipe(
    Effect.mapError((error) => `invalid golden input for area dag: ${describeIssues(error)}`),
    Effect.flatMap((decoded) =>
      evaluate(decoded).pipe(
        Effect.catchAll((error) =>
          typeof error === "object" && error !== null && "_tag" in error
            ? Effect.succeed(errorAsData(error as { readonly _tag: string } & Record<string, unknown>))
            : Effect.fail(`area dag: unexpected failure ${String(error)}`)
        ),
        Effect.provide(TestContext.TestContext)
      )
    )
  )

/** The `dag` area: DAG validation, scheduling order, skip propagation and the durable journal. */
export const adapter: GoldenAdapter = { area: "dag", run }
