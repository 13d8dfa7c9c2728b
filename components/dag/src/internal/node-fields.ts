import { Schema } from "effect"
import { InvalidDagSpec } from "./errors.js"
import { type DagNode, RetryPolicy } from "./spec.js"

const isRetryPolicy = Schema.is(RetryPolicy)

const invalid = (i: number, field: string, reason: string) =>
  new InvalidDagSpec({ pointer: `/nodes/${i}/${field}`, reason })

const badStrings = (values: ReadonlyArray<unknown> | undefined): number => {
  if (values === undefined) return -1
  return values.findIndex((v) => typeof v !== "string" || v.length === 0)
}

/**
 * The field constraints of `DagNode` that the graph algorithms rely on, checked without a full schema decode (a
 * decode of 100,000 nodes costs more than running them): a non-empty id, string dependencies, non-empty lock and
 * glob names, a finite priority, a positive timeout and a valid retry policy. `decodeDagSpec` checks the same and
 * more for untrusted JSON; this guards typed callers.
 */
export const checkNodeFields = (node: DagNode, i: number): InvalidDagSpec | undefined => {
  if (typeof node.id !== "string" || node.id.length === 0)
    return invalid(i, "id", "must be a non-empty string")
  if (!Array.isArray(node.dependsOn)) return invalid(i, "dependsOn", "must be an array of node ids")
  const dep = node.dependsOn.findIndex((d) => typeof d !== "string")
  if (dep >= 0) return invalid(i, `dependsOn/${dep}`, "must be a node id")
  const lock = badStrings(node.locks)
  if (lock >= 0) return invalid(i, `locks/${lock}`, "must be a non-empty string")
  const file = badStrings(node.files)
  if (file >= 0) return invalid(i, `files/${file}`, "must be a non-empty glob")
  if (node.priority !== undefined && !Number.isFinite(node.priority)) {
    return invalid(i, "priority", "must be a finite number")
  }
  if (node.timeoutMs !== undefined && !(Number.isFinite(node.timeoutMs) && node.timeoutMs > 0)) {
    return invalid(i, "timeoutMs", "must be a positive number of milliseconds")
  }
  if (node.retry !== undefined && !isRetryPolicy(node.retry)) {
    return invalid(i, "retry", "must be a RetryPolicy (maxAttempts >= 1, 0 <= baseDelayMs <= maxDelayMs)")
  }
  return undefined
}
