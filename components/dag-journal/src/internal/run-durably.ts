import { digestOf, type Sha256Digest, sha256Digest } from "@gauntlet/canonical"
import {
  type DagNode,
  type DagResult,
  type DagSpec,
  type DagValidationError,
  type InvalidRunOption,
  NodeFailure,
  type RetryPolicy,
  runDag,
  type TaskEvent,
  validateDag
} from "@gauntlet/dag"
import { canonicalJson, locateNonJson, type StoreFailure } from "@gauntlet/event-stream"
import {
  type DuplicateRun,
  type InvalidCheckpoint,
  type RecordError,
  RunJournal,
  RunNotFound,
  RunStore
} from "@gauntlet/run-store"
import { Deferred, Effect, Either, Option, ParseResult, Schema } from "effect"
import { RunAlreadyStarted, UndecodableNodeOutput } from "./errors.js"
import { type CommitStats, makeGroupCommitter } from "./group-commit.js"
import { type TaskDraftContext, toJournalEntry } from "./task-drafts.js"

/** What `runDagDurably` and `resumeDagDurably` need. `J` is the JSON form of the output `O` (see `outputSchema`). */
export interface DurableDagOptions<O, R, J = O> {
  /** The run whose journal receives the events and node rows. */
  readonly runId: string
  readonly dag: DagSpec
  /** Runs one attempt of a node (as in `runDag`). */
  readonly execute: (node: DagNode, attempt: number) => Effect.Effect<O, NodeFailure, R>
  /** At most this many nodes run at once: an integer ≥ 1, or `Infinity`. */
  readonly concurrency: number
  /** Retry policy for nodes that declare none (default: one attempt). */
  readonly defaultRetry?: RetryPolicy
  /** When this effect completes, the run is cancelled (running nodes interrupted); what is durable stays durable. */
  readonly cancel?: Effect.Effect<unknown, never, R>
  /** The `actor` of every event (default `"kernel"`). */
  readonly actor?: string
  /**
   * Encodes an output to the JSON stored in its node row and decodes it on resume. Without it the output is stored
   * as it is and must be JSON (or `undefined`); an output that is not fails the node with class `data-integrity`.
   */
  readonly outputSchema?: Schema.Schema<O, J>
  /** Whether `task/ready` events are journaled (default true; they carry no state resume needs). */
  readonly readyEvents?: boolean
  /** Also receives every task event (after it was enqueued for the journal, before it is durable). */
  readonly onEvent?: (event: TaskEvent) => Effect.Effect<void, never, R>
  /** The workflow id `runDagDurably` gives a run it creates (default `"dag"`). */
  readonly workflowId?: string
}

/** What a durable run returns: the DAG result, the journal's commit counters, and how many nodes were restored. */
export interface DurableDagResult<O> {
  readonly result: DagResult<O>
  readonly journal: CommitStats
  /** Nodes restored as succeeded from the checkpoint (0 for a fresh run). */
  readonly restored: number
}

/** Every error a durable run can fail with (node failures are reported in the result, not here). */
export type DurableDagError =
  | DagValidationError
  | InvalidRunOption
  | RecordError
  | StoreFailure
  | DuplicateRun
  | InvalidCheckpoint
  | RunAlreadyStarted
  | UndecodableNodeOutput

/**
 * `digestOf(dag)`, computed with the event stream's RFC 8785 writer (property-tested byte-identical to
 * `canonicalize`, without its per-value allocations: the spec of a 10,000-node DAG is hashed in a few ms); a spec
 * that writer refuses as non-JSON takes `digestOf` itself.
 */
const specDigestOf = (dag: DagSpec): Sha256Digest => {
  const text = canonicalJson(dag)
  return text === undefined ? digestOf(dag) : sha256Digest(text)
}

const issueText = (error: ParseResult.ParseError): string =>
  ParseResult.ArrayFormatter.formatErrorSync(error)
    .map((issue) => `/${issue.path.map(String).join("/")}: ${issue.message}`)
    .join("; ")

/** The JSON an output is stored as, or the node failure saying why it cannot be stored. */
const toStoredOutput = <O, J>(
  schema: Schema.Schema<O, J> | undefined,
  node: DagNode,
  output: O
): Either.Either<unknown, NodeFailure> => {
  let json: unknown = output
  if (schema !== undefined) {
    const encoded = Schema.encodeEither(schema)(output)
    if (Either.isLeft(encoded)) {
      return Either.left(
        new NodeFailure({
          failureClass: "data-integrity",
          reason: `output of node "${node.id}" does not encode: ${issueText(encoded.left)}`
        })
      )
    }
    json = encoded.right
  }
  const where = json === undefined ? undefined : locateNonJson(json)
  if (where !== undefined) {
    return Either.left(
      new NodeFailure({
        failureClass: "data-integrity",
        reason: `output of node "${node.id}" is not JSON at ${where.pointer || "/"}: ${where.reason}`
      })
    )
  }
  return Either.right(json)
}

/**
 * The durable run itself. Rule (N2-R16): a node's attempt starts only once its own `task/started` event is durable;
 * because batches commit in order, everything enqueued before it — in particular the `succeeded` rows of all its
 * dependencies — is durable too. So a crash never loses a completed node that a running node built on, and at most
 * the nodes whose `started` row is durable without a final row were in flight.
 */
const runJournaled = <O, R, J>(
  options: DurableDagOptions<O, R, J>,
  completed: ReadonlyMap<string, O>
): Effect.Effect<DurableDagResult<O>, DurableDagError, R | RunJournal> =>
  Effect.scoped(
    Effect.gen(function* () {
      const journal = yield* RunJournal
      const { runId, outputSchema } = options
      const stop = yield* Deferred.make<void>()
      const committer = yield* makeGroupCommitter(journal, runId, () =>
        Effect.asVoid(Deferred.succeed(stop, undefined))
      )
      if (options.cancel !== undefined) {
        yield* Effect.forkScoped(
          Effect.zipRight(Effect.exit(options.cancel), Deferred.succeed(stop, undefined))
        )
      }
      const dependencies = new Map<string, ReadonlyArray<string>>()
      for (const node of options.dag.nodes) dependencies.set(node.id, node.dependsOn)
      const outputs = new Map<string, unknown>()
      const startedDurable = new Map<string, Deferred.Deferred<void, RecordError>>()
      const ctx: TaskDraftContext = {
        runId,
        actor: options.actor ?? "kernel",
        dependenciesOf: (id) => dependencies.get(id) ?? [],
        outputOf: (id) => outputs.get(id)
      }
      const readyEvents = options.readyEvents ?? true
      const forward = options.onEvent

      // Synchronous: enqueueing costs no effect; `onEvent` (only when the caller forwards events) comes after it.
      const journalEvent = (event: TaskEvent): void => {
        if (readyEvents || event.type !== "task/ready") {
          const entry = toJournalEntry(ctx, event)
          const durable = committer.enqueue(entry.drafts, entry.node)
          if (event.type === "task/started") startedDurable.set(event.nodeId, durable)
          else if (event.type === "task/succeeded") {
            outputs.delete(event.nodeId)
            startedDurable.delete(event.nodeId)
          }
        }
      }

      // `runDag` calls this when the attempt starts, after its `task/started` event was enqueued.
      const execute = (node: DagNode, attempt: number): Effect.Effect<O, NodeFailure, R> => {
        const run = Effect.flatMap(options.execute(node, attempt), (output) => {
          const stored = toStoredOutput(outputSchema, node, output)
          if (Either.isLeft(stored)) return Effect.fail(stored.left)
          outputs.set(node.id, stored.right)
          return Effect.succeed(output)
        })
        const started = startedDurable.get(node.id)
        if (started === undefined) return run
        return Effect.matchCauseEffect(Deferred.await(started), {
          // The journal failed: the run is being stopped; this attempt must not run unrecorded.
          onFailure: () => Effect.interrupt,
          onSuccess: () => run
        })
      }

      const result = yield* runDag<O, R>({
        dag: options.dag,
        execute,
        concurrency: options.concurrency,
        onEventSync: journalEvent,
        ...(forward === undefined ? {} : { onEvent: forward }),
        // The Deferred itself (not `Deferred.await`): runDag polls it before every start, a strict cut with no
        // extra scheduling turn per completion.
        cancel: stop,
        completed,
        ...(options.defaultRetry === undefined ? {} : { defaultRetry: options.defaultRetry })
      })
      yield* committer.flush
      return { result, journal: committer.stats(), restored: completed.size }
    })
  )

/**
 * Runs a DAG durably (N2-R14..R16): `runDag` with every task event mapped onto the N3 catalogue and every node
 * state change written as a `NodeRecord` row, through `RunJournal.record` in group commits (completions that finish
 * while a write is in flight go into the next `record` call: one transaction for many nodes and their events).
 * Creates the run's checkpoint (status `running`, `workflowId` "dag" unless given, `specDigest` = digest of the DAG
 * spec) when it does not exist, after validating the DAG (an invalid one creates nothing); refuses a run that
 * already has node rows (`RunAlreadyStarted`: resume it).
 * Fails with the journal's error if a write fails (the DAG run is cancelled first; what was durable stays).
 */
export const runDagDurably = <O, R = never, J = O>(
  options: DurableDagOptions<O, R, J>
): Effect.Effect<DurableDagResult<O>, DurableDagError, R | RunJournal | RunStore> =>
  Effect.gen(function* () {
    // An invalid DAG is refused before the run's checkpoint is created.
    yield* validateDag(options.dag)
    const store = yield* RunStore
    const existing = yield* store.get(options.runId)
    if (Option.isNone(existing)) {
      yield* store.create({
        runId: options.runId,
        workflowId: options.workflowId ?? "dag",
        workflowVersion: "1",
        specDigest: specDigestOf(options.dag),
        status: "running",
        state: {}
      })
    } else {
      const rows = yield* store.nodes(options.runId)
      if (rows.length > 0)
        return yield* new RunAlreadyStarted({ runId: options.runId, nodeRows: rows.length })
    }
    return yield* runJournaled(options, new Map())
  })

/**
 * Resumes a durable DAG run (N2-R17): loads the run's node rows, passes every `succeeded` node with its decoded
 * output as `completed` to `runDag` (they are never executed again and emit no events), and runs the rest with
 * the same journal rules as `runDagDurably`. Nodes that were running, failed, skipped or cancelled run again from
 * attempt 1. Fails with `RunNotFound` for an unknown run, `UndecodableNodeOutput` when a stored output does not
 * decode, and `InvalidRunOption` (option `completed`) when a succeeded row names a node the DAG does not have.
 */
export const resumeDagDurably = <O, R = never, J = O>(
  options: DurableDagOptions<O, R, J>
): Effect.Effect<DurableDagResult<O>, DurableDagError | RunNotFound, R | RunJournal | RunStore> =>
  Effect.gen(function* () {
    const store = yield* RunStore
    const run = yield* store.get(options.runId)
    if (Option.isNone(run)) return yield* new RunNotFound({ runId: options.runId })
    const rows = yield* store.nodes(options.runId)
    const completed = new Map<string, O>()
    const decode =
      options.outputSchema === undefined ? undefined : Schema.decodeUnknownEither(options.outputSchema)
    for (const row of rows) {
      if (row.status !== "succeeded") continue
      if (decode === undefined) {
        completed.set(row.nodeId, row.output as O)
        continue
      }
      const decoded = decode(row.output)
      if (Either.isLeft(decoded)) {
        return yield* new UndecodableNodeOutput({
          runId: options.runId,
          nodeId: row.nodeId,
          reason: issueText(decoded.left)
        })
      }
      completed.set(row.nodeId, decoded.right)
    }
    return yield* runJournaled(options, completed)
  })
