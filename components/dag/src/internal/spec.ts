import { Schema } from "effect"

/** A node id: a non-empty string without leading or trailing whitespace. */
export const NodeId = Schema.String.pipe(
  Schema.minLength(1),
  Schema.filter((s) => s.trim() === s || "a node id has no leading or trailing whitespace"),
  Schema.annotations({ identifier: "NodeId", description: "unique id of a node within its DAG" })
)

/**
 * Retry policy of a node: at most `maxAttempts` attempts in total (the first included), waiting an exponential
 * delay (`baseDelayMs`·2^n, jittered ±20%, capped at `maxDelayMs`) between them. Only failures whose class has the
 * `retryable` disposition are retried.
 */
export const RetryPolicy = Schema.Struct({
  maxAttempts: Schema.Int.pipe(Schema.greaterThanOrEqualTo(1)),
  baseDelayMs: Schema.Number.pipe(Schema.finite(), Schema.nonNegative()),
  maxDelayMs: Schema.Number.pipe(Schema.finite(), Schema.nonNegative())
})
  .pipe(Schema.filter((p) => p.maxDelayMs >= p.baseDelayMs || "maxDelayMs must be at least baseDelayMs"))
  .annotations({ identifier: "RetryPolicy", title: "Retry policy (exponential backoff with jitter, capped)" })

/** A retry policy. */
export type RetryPolicy = typeof RetryPolicy.Type

/**
 * One node of a DAG. `dependsOn` lists node ids that must succeed before this node starts. `locks` are named
 * exclusive resource locks (`"repo-write"`): two nodes sharing a lock never run at the same time. `files` are
 * exclusive file globs (picomatch syntax): two nodes whose globs can match a common path never run at the same
 * time. Higher `priority` starts first among ready nodes (default 0; ties keep declaration order). `timeoutMs`
 * bounds each attempt; the attempt is interrupted when it elapses.
 */
export const DagNode = Schema.Struct({
  id: NodeId,
  dependsOn: Schema.Array(Schema.String),
  locks: Schema.optional(Schema.Array(Schema.String.pipe(Schema.minLength(1)))),
  files: Schema.optional(Schema.Array(Schema.String.pipe(Schema.minLength(1)))),
  priority: Schema.optional(Schema.Number.pipe(Schema.finite())),
  retry: Schema.optional(RetryPolicy),
  timeoutMs: Schema.optional(Schema.Number.pipe(Schema.finite(), Schema.positive()))
}).annotations({ identifier: "DagNode", title: "DAG node" })

/** A DAG node. */
export type DagNode = typeof DagNode.Type

/** A DAG: its nodes in declaration order (the order breaks priority ties). */
export const DagSpec = Schema.Struct({
  nodes: Schema.Array(DagNode)
}).annotations({ identifier: "DagSpec", title: "DAG specification" })

/** A DAG specification. */
export type DagSpec = typeof DagSpec.Type
