import { FailureClass, RetryDisposition } from "@gauntlet/failure"
import { Schema } from "effect"

/** The DAG has no nodes. */
export class EmptyGraph extends Schema.TaggedError<EmptyGraph>()("EmptyGraph", {}) {
  override get message() {
    return "the DAG has no nodes (/nodes is empty)"
  }
}

/** Two nodes share an id; `pointer` names the later declaration (`/nodes/3/id`), `firstPointer` the earlier. */
export class DuplicateNodeId extends Schema.TaggedError<DuplicateNodeId>()("DuplicateNodeId", {
  id: Schema.String,
  pointer: Schema.String,
  firstPointer: Schema.String
}) {
  override get message() {
    return `duplicate node id "${this.id}" at ${this.pointer} (first declared at ${this.firstPointer})`
  }
}

/** A node depends on an id that no node declares; `pointer` names the entry (`/nodes/3/dependsOn/1`). */
export class UnknownDependency extends Schema.TaggedError<UnknownDependency>()("UnknownDependency", {
  node: Schema.String,
  dependency: Schema.String,
  pointer: Schema.String
}) {
  override get message() {
    return `node "${this.node}" depends on unknown node "${this.dependency}" at ${this.pointer}`
  }
}

/**
 * The dependencies form a cycle. `cycle` lists its ids in dependency order (each id depends on the next), starting
 * at the cycle's earliest-declared node and repeating it at the end: `["a", "b", "a"]` means a → b → a.
 */
export class CycleDetected extends Schema.TaggedError<CycleDetected>()("CycleDetected", {
  cycle: Schema.Array(Schema.String)
}) {
  override get message() {
    return `dependency cycle: ${this.cycle.join(" -> ")}`
  }
}

/** The input is not a DAG spec at all (wrong shape or bad field value); `pointer` is a JSON pointer into it. */
export class InvalidDagSpec extends Schema.TaggedError<InvalidDagSpec>()("InvalidDagSpec", {
  pointer: Schema.String,
  reason: Schema.String
}) {
  override get message() {
    return `invalid DAG spec at ${this.pointer || "/"}: ${this.reason}`
  }
}

/** Every error `validateDag` can fail with. */
export type DagValidationError =
  | EmptyGraph
  | InvalidDagSpec
  | DuplicateNodeId
  | UnknownDependency
  | CycleDetected

/**
 * How a node attempt failed. Executors fail with it (`toNodeFailure` builds one from anything thrown); the runtime
 * also raises it for a timeout (`timeout`) and for a defect of the executor (classified by `@gauntlet/failure`).
 * The class's disposition decides whether the attempt is retried; `disposition`, when a classifier set it, can only
 * make that stricter (an HTTP 404 is `tool-error` but `terminal`). `retryAfterMs` (a server's `Retry-After`) is a
 * floor for the delay before the next attempt.
 */
export class NodeFailure extends Schema.TaggedError<NodeFailure>()("NodeFailure", {
  failureClass: FailureClass,
  reason: Schema.String,
  disposition: Schema.optional(RetryDisposition),
  retryAfterMs: Schema.optional(Schema.NonNegativeInt)
}) {
  override get message() {
    return `${this.failureClass}: ${this.reason}`
  }
}

/** A `runDag` option is out of range (`concurrency` not an integer ≥ 1, an invalid `defaultRetry`). */
export class InvalidRunOption extends Schema.TaggedError<InvalidRunOption>()("InvalidRunOption", {
  option: Schema.String,
  reason: Schema.String
}) {
  override get message() {
    return `invalid runDag option ${this.option}: ${this.reason}`
  }
}
