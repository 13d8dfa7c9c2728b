import { EventLog } from "@gauntlet/event-stream"
import { redactDraft } from "@gauntlet/redaction"
import { Effect, Layer } from "effect"

/**
 * An `EventLog` that redacts every draft's payload (`redactDraft` of `@gauntlet/redaction`) before it is validated,
 * hashed and stored, so secrets and personal data never reach the log (N6-R20). Everything else is the wrapped
 * log's. Use it in place of the store's layer: `RedactingEventLog.layer.pipe(Layer.provide(EventLogSqlite.layer…))`.
 */
export const RedactingEventLog = {
  /** Wraps the `EventLog` it is provided with. */
  layer: Layer.effect(
    EventLog,
    Effect.map(EventLog, (log) => ({
      ...log,
      append: (draft, options) => log.append(redactDraft(draft).draft, options),
      appendBatch: (drafts, options) =>
        log.appendBatch(
          drafts.map((d) => redactDraft(d).draft),
          options
        )
    }))
  )
} as const
