/**
 * Appends a few kernel events to the embedded store (.gauntlet/state.db), then verifies the run's hash chain.
 * Run: npx tsx examples/event-log/append.ts   — then: npx gauntlet events list --run <printed id>
 */
import { Ids, newUuidV7 } from "@gauntlet/canonical"
import { EventLogSqlite } from "@gauntlet/event-store-sqlite"
import { coreEventTypes, EventLog, EventTypes } from "@gauntlet/event-stream"
import { Effect, Layer } from "effect"

const runId = newUuidV7()

const program = Effect.gen(function* () {
  const log = yield* EventLog
  const started = yield* log.append({
    runId,
    type: "workflow/started",
    actor: "example",
    payload: { workflow: "example", intent: "show the event log" }
  })
  yield* log.append({
    runId,
    type: "workflow/completed",
    actor: "example",
    causationId: started.id,
    payload: { durationMs: 1 }
  })
  const verdict = yield* log.verifyChain(runId)
  yield* Effect.log(`run ${runId}: ${JSON.stringify(verdict)}`)
})

const StoreLive = EventLogSqlite.layerFile(".gauntlet/state.db").pipe(
  Layer.provide(Layer.mergeAll(EventTypes.layer(coreEventTypes), Ids.layer))
)

Effect.runPromise(program.pipe(Effect.provide(StoreLive), Effect.scoped)).catch((error) => {
  console.error(String(error))
  process.exitCode = 1
})
