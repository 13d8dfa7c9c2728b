/**
 * @module bench/events-replay
 * Child process of the events benchmark: opens the store file fresh, replays one run through `read` and verifies
 * its chain with `verifyChain`, then prints one JSON object with the timings and its peak RSS.
 */
import { EventLog } from "@gauntlet/event-stream"
import { Effect, Stream } from "effect"
import { benchLogLayer } from "./event-types.js"

const [filename, runId] = process.argv.slice(2)
if (filename === undefined || runId === undefined) {
  process.stderr.write("usage: events-replay.ts <file> <runId>\n")
  process.exit(2)
}

const program = Effect.gen(function* () {
  const log = yield* EventLog
  let wall = performance.now()
  let cpu = process.cpuUsage()
  const verdict = yield* log.verifyChain(runId)
  const verifyMs = performance.now() - wall
  const verifyCpu = process.cpuUsage(cpu)
  wall = performance.now()
  cpu = process.cpuUsage()
  const read = yield* Stream.runCount(log.read(runId))
  const readMs = performance.now() - wall
  const readCpu = process.cpuUsage(cpu)
  return {
    verdict,
    verifyMs,
    verifyCpuMs: (verifyCpu.user + verifyCpu.system) / 1000,
    read,
    readMs,
    readCpuMs: (readCpu.user + readCpu.system) / 1000
  }
})

const result = await Effect.runPromise(program.pipe(Effect.provide(benchLogLayer(filename))))
process.stdout.write(
  `${JSON.stringify({
    ok: result.verdict.ok,
    verified: result.verdict.count,
    verifyMs: result.verifyMs,
    verifyCpuMs: result.verifyCpuMs,
    read: result.read,
    readMs: result.readMs,
    readCpuMs: result.readCpuMs,
    maxRssKb: process.resourceUsage().maxRSS
  })}\n`
)
