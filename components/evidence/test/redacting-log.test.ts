import { describe, expect, it } from "@effect/vitest"
import { Ids } from "@gauntlet/canonical"
import { EventLogMemory } from "@gauntlet/event-store-memory"
import { coreEventTypes, EventLog, EventTypes } from "@gauntlet/event-stream"
import { Effect, Layer } from "effect"
import { RedactingEventLog } from "../src/index.js"
import { eventsOf } from "./world.js"

const layer = RedactingEventLog.layer.pipe(
  Layer.provide(EventLogMemory.layer),
  Layer.provide(Layer.mergeAll(EventTypes.layer(coreEventTypes), Ids.layerDeterministic()))
)

describe("RedactingEventLog", () => {
  it.effect("stores payloads redacted (single and batch appends); the chain still verifies", () =>
    Effect.gen(function* () {
      const log = yield* EventLog
      const token = `${"ghp_"}aB3dE5gH7jK9mN1pQ3sT5vW7yZ9bC1dE3fG5`
      const stored = yield* log.append({
        runId: "r",
        type: "workflow/started",
        actor: "cli",
        payload: { workflow: "demo", intent: `use ${token} and mail ops@example.com` }
      })
      expect(stored.payload.intent).toBe("use [REDACTED:github-token] and mail [REDACTED:email]")
      yield* log.appendBatch([
        {
          runId: "r",
          type: "phase/skipped",
          actor: "engine",
          payload: { phase: "plan", reason: "password=hunter22" }
        }
      ])
      const events = yield* eventsOf("r")
      expect(events.map((e) => e.payload)).toEqual([
        { workflow: "demo", intent: "use [REDACTED:github-token] and mail [REDACTED:email]" },
        { phase: "plan", reason: "password=[REDACTED:generic-api-key]" }
      ])
      expect(JSON.stringify(events)).not.toContain(token)
      expect((yield* log.verifyChain("r")).ok).toBe(true)
    }).pipe(Effect.provide(layer))
  )
})
