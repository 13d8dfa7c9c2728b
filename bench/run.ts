/**
 * @module bench/run
 * Benchmark dispatcher: `npm run bench -- <name>` runs one benchmark, which prints one JSON line per figure
 * (`{"bench","metric","value","unit"}`) on stdout. An unknown or missing name lists the benchmarks and exits 2.
 */

const BENCHES: Record<
  string,
  { readonly description: string; readonly load: () => Promise<{ main: () => Promise<void> }> }
> = {
  dag: {
    description:
      "durable DAG runs on SQLite (completions/s, overhead, peak RSS, resume latency) and runDag in memory",
    load: () => import("./dag.js")
  },
  policy: {
    description:
      "all standard policy packs over 1,000 files / 100,000 added lines; verifying a signed pack against a trust root",
    load: () => import("./policy.js")
  },
  evidence: {
    description:
      "evidence bundle of a 10,000-event run with 200 artifacts: build, sign, write, read and verify",
    load: () => import("./evidence.js")
  },
  events: {
    description: "SQLite event log: batched and single appends, replay + chain verification, cold starts",
    load: () => import("./events.js")
  },
  models: {
    description:
      "model router p99, 1,000 cassette replays, chokepoint overhead over a raw OpenAI SDK call (loopback)",
    load: () => import("./models.js")
  }
}

const name = process.argv[2]
const bench = name === undefined ? undefined : BENCHES[name]
if (bench === undefined) {
  process.stderr.write(
    `${name === undefined ? "no benchmark named" : `unknown benchmark "${name}"`}; available:\n`
  )
  for (const [key, value] of Object.entries(BENCHES)) process.stderr.write(`  ${key}  ${value.description}\n`)
  process.exit(2)
}
await (await bench.load()).main()
