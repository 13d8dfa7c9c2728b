/**
 * No-op throughput of `runDag`: 100,000 nodes in memory, printed as JSON (completions per second).
 * Run: `npx tsx components/dag/bench/throughput.ts [nodes] [concurrency] [shape] [events]` where shape is
 * `chain-fanout` (default: each node depends on up to two earlier nodes), `independent`, `chain`, `one-lock`
 * (independent nodes all holding `repo-write`) or `ten-dirs` (independent nodes on ten glob sets), and `events`
 * attaches a no-op `onEvent` (3 events per node) to include event emission in the measurement.
 */
import { Effect } from "effect"
import { type DagNode, runDag } from "../src/index.js"

const nodes = Number(process.argv[2] ?? 100_000)
const concurrency = Number(process.argv[3] ?? 64)
const shape = process.argv[4] ?? "chain-fanout"
const withEvents = process.argv[5] === "events"

const makeNodes = (): Array<DagNode> => {
  const out: Array<DagNode> = []
  for (let i = 0; i < nodes; i++) {
    const dependsOn =
      shape === "independent"
        ? []
        : shape === "chain"
          ? i > 0
            ? [`n${i - 1}`]
            : []
          : i > 0
            ? [`n${(i * 7919) % i}`, `n${Math.floor(i / 2)}`].filter(
                (d, k, all) => all.indexOf(d) === k && d !== `n${i}`
              )
            : []
    if (shape === "one-lock") out.push({ id: `n${i}`, dependsOn: [], locks: ["repo-write"] })
    else if (shape === "ten-dirs") out.push({ id: `n${i}`, dependsOn: [], files: [`src/d${i % 10}/**`] })
    else out.push({ id: `n${i}`, dependsOn })
  }
  return out
}

const program = Effect.gen(function* () {
  const dag = { nodes: makeNodes() }
  const t0 = performance.now()
  let events = 0
  const onEvent = () =>
    Effect.sync(() => {
      events++
    })
  const result = yield* runDag({
    dag,
    concurrency,
    execute: () => Effect.void,
    ...(withEvents ? { onEvent } : {})
  })
  const ms = performance.now() - t0
  return {
    bench: "dag-no-op-throughput",
    shape,
    nodes,
    concurrency,
    events,
    status: result.status,
    succeeded: result.counts.succeeded,
    ms: Math.round(ms),
    completionsPerSecond: Math.round((nodes / ms) * 1000)
  }
})

Effect.runPromise(program).then((r) => console.log(JSON.stringify(r)))
