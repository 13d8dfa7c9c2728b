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
  const verifyStart = performance.now()
  const verdict = yield* log.verifyChain(runId)
  const verifyMs = performance.now() - verifyStart
  const readStart = performance.now()
  const read = yield* Stream.runFold(log.read(runId), 0, (n) => n + 1)
  const readMs = performance.now() - readStart
  return { verdict, verifyMs, read, readMs }
})

const result = await Effect.runPromise(program.pipe(Effect.provide(benchLogLayer(filename))))
process.stdout.write(
  `${JSON.stringify({
    ok: result.verdict.ok,
    verified: result.verdict.count,
    verifyMs: result.verifyMs,
    read: result.read,
    readMs: result.readMs,
    maxRssKb: process.resourceUsage().maxRSS
  })}\n`
)
