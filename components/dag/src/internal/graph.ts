import { Effect } from "effect"
import {
  CycleDetected,
  type DagValidationError,
  DuplicateNodeId,
  EmptyGraph,
  UnknownDependency
} from "./errors.js"
import { checkNodeFields } from "./node-fields.js"
import type { DagSpec } from "./spec.js"

/**
 * A validated DAG in the compact form the executor runs on: node indexes follow declaration order, dependencies
 * are de-duplicated, and dependents are stored as a CSR adjacency (`dependents[dependentsStart[i] ..
 * dependentsStart[i + 1]]` are the nodes that depend on node `i`).
 */
export interface ValidDag {
  readonly spec: DagSpec
  /** Node ids by index (declaration order). */
  readonly ids: ReadonlyArray<string>
  /** Node index by id. */
  readonly indexOf: ReadonlyMap<string, number>
  /** Number of distinct dependencies of each node. */
  readonly dependencyCount: Int32Array
  /** CSR offsets into `dependents`, length `ids.length + 1`. */
  readonly dependentsStart: Int32Array
  /** Dependents of every node, grouped by node, in declaration order of the dependent. */
  readonly dependents: Int32Array
  /** One topological order (dependencies first; Kahn's algorithm, ties by declaration order of discovery). */
  readonly topologicalOrder: ReadonlyArray<string>
}

const pointer = (...parts: ReadonlyArray<string | number>): string =>
  parts.map((p) => `/${String(p).replaceAll("~", "~0").replaceAll("/", "~1")}`).join("")

/**
 * Validates a DAG spec and compiles it. Fails with the first problem found, checked in this order: `EmptyGraph`,
 * then per node in declaration order `InvalidDagSpec` (a field out of range) and `DuplicateNodeId`, then
 * `UnknownDependency` (declaration order), then `CycleDetected`. Iterative throughout: O(nodes + edges) time, no
 * recursion, so 100,000-node graphs are fine.
 */
export const validateDag = (spec: DagSpec): Effect.Effect<ValidDag, DagValidationError> =>
  Effect.suspend(() => {
    const result = compileDag(spec)
    return result instanceof Error ? Effect.fail(result) : Effect.succeed(result)
  })

/** The synchronous core of `validateDag`: the compiled DAG or the first validation error. */
export const compileDag = (spec: DagSpec): ValidDag | DagValidationError => {
  const nodes = spec.nodes
  const n = nodes.length
  if (n === 0) return new EmptyGraph()

  const indexOf = new Map<string, number>()
  const ids: Array<string> = new Array(n)
  for (let i = 0; i < n; i++) {
    const fieldError = checkNodeFields(nodes[i]!, i)
    if (fieldError !== undefined) return fieldError
    const id = nodes[i]!.id
    const first = indexOf.get(id)
    if (first !== undefined) {
      return new DuplicateNodeId({
        id,
        pointer: pointer("nodes", i, "id"),
        firstPointer: pointer("nodes", first, "id")
      })
    }
    indexOf.set(id, i)
    ids[i] = id
  }

  // Distinct dependency indexes per node (flattened), counting dependents per node as we go.
  const dependencyCount = new Int32Array(n)
  const dependentCount = new Int32Array(n)
  const lastSeenBy = new Int32Array(n).fill(-1)
  const depsStart = new Int32Array(n + 1)
  const deps: Array<number> = []
  for (let i = 0; i < n; i++) {
    depsStart[i] = deps.length
    const dependsOn = nodes[i]!.dependsOn
    for (let k = 0; k < dependsOn.length; k++) {
      const d = indexOf.get(dependsOn[k]!)
      if (d === undefined) {
        return new UnknownDependency({
          node: ids[i]!,
          dependency: dependsOn[k]!,
          pointer: pointer("nodes", i, "dependsOn", k)
        })
      }
      if (lastSeenBy[d] === i) continue
      lastSeenBy[d] = i
      deps.push(d)
      dependencyCount[i]!++
      dependentCount[d]!++
    }
  }
  depsStart[n] = deps.length

  const dependentsStart = new Int32Array(n + 1)
  for (let i = 0; i < n; i++) dependentsStart[i + 1] = dependentsStart[i]! + dependentCount[i]!
  const dependents = new Int32Array(deps.length)
  const fill = dependentsStart.slice(0, n)
  for (let i = 0; i < n; i++) {
    for (let e = depsStart[i]!; e < depsStart[i + 1]!; e++) {
      const d = deps[e]!
      dependents[fill[d]!++] = i
    }
  }

  // Kahn's algorithm: whatever is left unprocessed lies on or behind a cycle.
  const remaining = dependencyCount.slice()
  const order = new Int32Array(n)
  let head = 0
  let tail = 0
  for (let i = 0; i < n; i++) if (remaining[i] === 0) order[tail++] = i
  while (head < tail) {
    const v = order[head++]!
    for (let e = dependentsStart[v]!; e < dependentsStart[v + 1]!; e++) {
      const w = dependents[e]!
      if (--remaining[w]! === 0) order[tail++] = w
    }
  }
  if (tail < n) return findCycle(ids, remaining, deps, depsStart)

  const topologicalOrder: Array<string> = new Array(n)
  for (let k = 0; k < n; k++) topologicalOrder[k] = ids[order[k]!]!
  return { spec, ids, indexOf, dependencyCount, dependentsStart, dependents, topologicalOrder }
}

/**
 * Every node Kahn's algorithm left (`remaining > 0`) has at least one dependency that was also left, so walking
 * first-left dependencies from the earliest left node must revisit a node: that loop is a cycle. The cycle is
 * rotated to start at its earliest-declared node so the error is the same however the walk entered it.
 */
const findCycle = (
  ids: ReadonlyArray<string>,
  remaining: Int32Array,
  deps: ReadonlyArray<number>,
  depsStart: Int32Array
): CycleDetected => {
  const n = ids.length
  const positionInPath = new Int32Array(n).fill(-1)
  const path: Array<number> = []
  let current = remaining.findIndex((r) => r > 0)
  while (positionInPath[current] === -1) {
    positionInPath[current] = path.length
    path.push(current)
    let next = -1
    for (let e = depsStart[current]!; e < depsStart[current + 1]!; e++) {
      if (remaining[deps[e]!]! > 0) {
        next = deps[e]!
        break
      }
    }
    current = next
  }
  const loop = path.slice(positionInPath[current]!)
  let start = 0
  for (let k = 1; k < loop.length; k++) if (loop[k]! < loop[start]!) start = k
  const rotated = [...loop.slice(start), ...loop.slice(0, start)]
  return new CycleDetected({ cycle: [...rotated.map((i) => ids[i]!), ids[rotated[0]!]!] })
}
