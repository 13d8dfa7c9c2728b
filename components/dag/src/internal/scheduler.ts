import { Cause, Exit, Option } from "effect"
import { NodeFailure } from "./errors.js"
import type { TaskEvent } from "./events.js"
import type { ValidDag } from "./graph.js"
import { ReadyQueue } from "./ready-queue.js"
import { ResourceTable } from "./resources.js"
import type { DagResult, NodeResult, NodeStatus } from "./result.js"

const PENDING = 0
const READY = 1
const RUNNING = 2
const SUCCEEDED = 3
const FAILED = 4
const SKIPPED = 5
const CANCELLED = 6

const STATUS_NAMES: ReadonlyArray<NodeStatus> = [
  "cancelled",
  "cancelled",
  "cancelled",
  "succeeded",
  "failed",
  "skipped",
  "cancelled"
]

/**
 * The executor's state machine, synchronous and effect-free: in-degree counters, the ready queue, resources,
 * statuses and the pending event buffer. `runDag` drives it; every transition is O(1) amortised plus O(log n) for
 * the ready queue, and nothing is ever rescanned. Statuses move only forward:
 * pending → ready → running → succeeded | failed | cancelled, and pending → skipped | cancelled.
 */
export class DagScheduler<O> {
  private readonly n: number
  private readonly status: Uint8Array
  private readonly waiting: Int32Array
  private readonly attempts: Int32Array
  private readonly startedAt: Float64Array
  private readonly finishedAt: Float64Array
  private readonly outputs: Array<O | undefined>
  private readonly failures: Array<NodeFailure | undefined>
  private readonly skippedVia: Int32Array
  private readonly ready: ReadyQueue
  private readonly resources: ResourceTable
  private events: Array<TaskEvent> = []
  private running = 0
  private finished = 0
  private stopped = false

  constructor(
    private readonly dag: ValidDag,
    private readonly concurrency: number,
    private readonly recordEvents: boolean,
    private readonly now: () => number
  ) {
    const n = dag.ids.length
    this.n = n
    this.status = new Uint8Array(n)
    this.waiting = dag.dependencyCount.slice()
    this.attempts = new Int32Array(n)
    this.startedAt = new Float64Array(n)
    this.finishedAt = new Float64Array(n)
    this.outputs = new Array(n)
    this.failures = new Array(n)
    this.skippedVia = new Int32Array(n).fill(-1)
    const priority = new Float64Array(n)
    for (let i = 0; i < n; i++) priority[i] = dag.spec.nodes[i]!.priority ?? 0
    this.ready = new ReadyQueue(priority)
    this.resources = new ResourceTable(dag.spec.nodes, priority)
  }

  /** Once stopped (the run is being cancelled), nothing more is dispatched. */
  stop(): void {
    this.stopped = true
  }

  /** True once `stop` was called. */
  get isStopped(): boolean {
    return this.stopped
  }

  /**
   * Takes back a dispatched node whose executor never ran (the run stopped before its fiber began): it releases
   * its resources and is ready again, with no attempt counted.
   */
  unstart(i: number): void {
    this.running--
    this.status[i] = READY
    this.attempts[i] = 0
    this.resources.release(i, this.ready)
  }

  /** True once every node has reached a final status. */
  get done(): boolean {
    return this.finished === this.n
  }

  /** Nodes currently running. */
  get runningCount(): number {
    return this.running
  }

  /** Records node `i` as succeeded in an earlier run (before `start`): no attempt, no event. */
  restore(i: number, output: O): void {
    this.status[i] = SUCCEEDED
    this.outputs[i] = output
    this.finished++
    const { dependentsStart, dependents } = this.dag
    for (let e = dependentsStart[i]!; e < dependentsStart[i + 1]!; e++) this.waiting[dependents[e]!]!--
  }

  /** Marks the pending nodes whose dependencies have all succeeded ready and returns the nodes to launch now. */
  start(): Array<number> {
    for (let i = 0; i < this.n; i++)
      if (this.waiting[i] === 0 && this.status[i] === PENDING) this.markReady(i)
    return this.dispatch()
  }

  /** Records a retry of node `i` after `failure`; the next attempt starts after `delayMs`. */
  retrying(i: number, failure: NodeFailure, delayMs: number): void {
    if (!this.recordEvents) return
    this.events.push({
      type: "task/retried",
      nodeId: this.dag.ids[i]!,
      attempt: this.attempts[i]!,
      delayMs,
      failureClass: failure.failureClass,
      reason: failure.reason
    })
  }

  /** Records that node `i` starts its next attempt; returns the attempt number. */
  nextAttempt(i: number): number {
    const attempt = ++this.attempts[i]!
    if (this.recordEvents) this.events.push({ type: "task/started", nodeId: this.dag.ids[i]!, attempt })
    return attempt
  }

  /**
   * Records node `i`'s final exit: success unblocks its dependents; a failure (or an interruption of the node
   * alone) skips its transitive dependents. Call `dispatch` afterwards to learn what to launch.
   */
  complete(i: number, exit: Exit.Exit<O, NodeFailure>): void {
    this.running--
    this.finished++
    const at = this.now()
    this.finishedAt[i] = at
    this.resources.release(i, this.ready)
    const nodeId = this.dag.ids[i]!
    const durationMs = at - this.startedAt[i]!
    if (Exit.isSuccess(exit)) {
      this.status[i] = SUCCEEDED
      this.outputs[i] = exit.value
      if (this.recordEvents) {
        this.events.push({ type: "task/succeeded", nodeId, attempt: this.attempts[i]!, durationMs })
      }
      const { dependentsStart, dependents } = this.dag
      for (let e = dependentsStart[i]!; e < dependentsStart[i + 1]!; e++) {
        const w = dependents[e]!
        if (--this.waiting[w]! === 0 && this.status[w] === PENDING) this.markReady(w)
      }
      return
    }
    const failure = Cause.failureOption(exit.cause)
    if (Option.isNone(failure) && Cause.isInterruptedOnly(exit.cause)) {
      this.status[i] = CANCELLED
      if (this.recordEvents) this.events.push({ type: "task/cancelled", nodeId, attempt: this.attempts[i]! })
    } else {
      const f = Option.getOrElse(
        failure,
        () => new NodeFailure({ failureClass: "unknown", reason: Cause.pretty(exit.cause) })
      )
      this.status[i] = FAILED
      this.failures[i] = f
      if (this.recordEvents) {
        this.events.push({
          type: "task/failed",
          nodeId,
          attempt: this.attempts[i]!,
          failureClass: f.failureClass,
          reason: f.reason,
          durationMs
        })
      }
    }
    this.skipDependents(i)
  }

  /** Cancels every node that has not finished (running ones must already have been interrupted). */
  cancelRemaining(): void {
    const at = this.now()
    for (let i = 0; i < this.n; i++) {
      const s = this.status[i]!
      if (s !== PENDING && s !== READY && s !== RUNNING) continue
      if (s === RUNNING) this.finishedAt[i] = at
      this.status[i] = CANCELLED
      this.finished++
      if (this.recordEvents) {
        this.events.push({ type: "task/cancelled", nodeId: this.dag.ids[i]!, attempt: this.attempts[i]! })
      }
    }
    this.running = 0
  }

  /** True when node `i` is running (its final exit not yet recorded). */
  isRunning(i: number): boolean {
    return this.status[i] === RUNNING
  }

  /** Removes and returns the events recorded since the last call, in order. */
  takeEvents(): Array<TaskEvent> {
    const out = this.events
    this.events = []
    return out
  }

  /** The run's result as it stands. */
  result(cancelled: boolean, startedAt: number, finishedAt: number): DagResult<O> {
    const counts: Record<NodeStatus, number> = { succeeded: 0, failed: 0, skipped: 0, cancelled: 0 }
    const nodes = new Map<string, NodeResult<O>>()
    for (let i = 0; i < this.n; i++) {
      const id = this.dag.ids[i]!
      const status = STATUS_NAMES[this.status[i]!]!
      counts[status]++
      const failure = this.failures[i]
      const attempts = this.attempts[i]!
      nodes.set(id, {
        id,
        status,
        attempts,
        ...(status === "succeeded" ? { output: this.outputs[i] as O } : {}),
        ...(failure !== undefined
          ? { failure: { failureClass: failure.failureClass, reason: failure.reason } }
          : {}),
        ...(status === "skipped" ? { causeChain: this.causeChainOf(i) } : {}),
        ...(attempts > 0
          ? {
              startedAt: this.startedAt[i]!,
              finishedAt: this.finishedAt[i]!,
              durationMs: this.finishedAt[i]! - this.startedAt[i]!
            }
          : {})
      })
    }
    const status = cancelled ? "cancelled" : counts.succeeded === this.n ? "succeeded" : "failed"
    return { status, nodes, counts, startedAt, finishedAt, durationMs: finishedAt - startedAt }
  }

  private markReady(i: number): void {
    this.status[i] = READY
    this.ready.push(i)
    if (this.recordEvents) this.events.push({ type: "task/ready", nodeId: this.dag.ids[i]! })
  }

  /** Marks nodes running while slots, readiness and resources allow, and returns them (none once stopped). */
  dispatch(): Array<number> {
    const launch: Array<number> = []
    while (!this.stopped && this.running < this.concurrency) {
      const i = this.ready.pop()
      if (i < 0) break
      if (!this.resources.tryAcquire(i, this.ready)) continue
      this.status[i] = RUNNING
      this.running++
      this.attempts[i] = 1
      this.startedAt[i] = this.now()
      launch.push(i)
      if (this.recordEvents) this.events.push({ type: "task/started", nodeId: this.dag.ids[i]!, attempt: 1 })
    }
    return launch
  }

  /** Breadth-first, so each skipped node's cause chain is a shortest path from the failed node. */
  private skipDependents(failed: number): void {
    const { dependentsStart, dependents, ids } = this.dag
    const frontier = [failed]
    for (let head = 0; head < frontier.length; head++) {
      const v = frontier[head]!
      for (let e = dependentsStart[v]!; e < dependentsStart[v + 1]!; e++) {
        const w = dependents[e]!
        if (this.status[w] !== PENDING) continue
        this.status[w] = SKIPPED
        this.skippedVia[w] = v
        this.finished++
        frontier.push(w)
        if (this.recordEvents)
          this.events.push({ type: "task/skipped", nodeId: ids[w]!, causeChain: this.causeChainOf(w) })
      }
    }
  }

  private causeChainOf(i: number): Array<string> {
    const chain: Array<string> = []
    for (let v = this.skippedVia[i]!; v >= 0; v = this.skippedVia[v]!) chain.push(this.dag.ids[v]!)
    return chain.reverse()
  }
}
