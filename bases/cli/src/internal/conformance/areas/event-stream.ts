import { Ids } from "@gauntlet/canonical"
import type { GoldenAdapter } from "@gauntlet/conformance"
import { EventLogMemory } from "@gauntlet/event-store-memory"
import { EventLogSqlite } from "@gauntlet/event-store-sqlite"
import {
  type AppendError,
  coreEventTypes,
  type EventDraft,
  EventLog,
  EventTypes,
  type StoredChainRow,
  sealEvent,
  type UnsealedEvent,
  verifyRows
} from "@gauntlet/event-stream"
import { Effect, Layer, TestContext } from "effect"

/**
 * Golden adapter for area `event-stream` (spec N3). Inputs (`op` selects the operation):
 * - `{ "op": "seal", "event": <envelope without hash> }` → `{ "canonical": "<RFC 8785 text>", "hash": "sha256:…" }`;
 * - `{ "op": "verify", "runId": "…", "rows": [{ "seq", "hash", "canonical" }] }` → the chain verdict
 *   (`{ ok: true, count, firstHash, lastHash, lastSeq }` or `{ ok: false, count, brokenSeq, reason }`; the free-text
 *   `detail` is implementation-specific and left out);
 * - `{ "op": "append", "steps": [{ "drafts": [...], "single"?: bool, "expectedSeq"?: n }] }` → one result per step
 *   against a fresh log with the kernel catalogue: `{ "events": [{ seq, prevHash, hash }] }` or the error as data
 *   (`SeqConflict` with seqs, `InvalidEvent` with type, runId and pointer, `UnknownEventType` with type and runId);
 *   error `reason` texts are implementation-specific and left out. Drafts should give `id` and `time`. Every append
 *   case runs on the memory store AND the SQLite store (in memory); if they disagree the answer is
 *   `{ "error": "StoresDisagree", "memory": …, "sqlite": … }`, so the case fails showing both (N3-R16).
 * A malformed case input fails the case (`InvalidEventStreamInput`).
 */

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === "object" && value !== null && !Array.isArray(value)

const invalid = (expected: string, input: unknown) =>
  Effect.fail(`InvalidEventStreamInput: expected ${expected}, got ${JSON.stringify(input)}`)

const isRow = (row: unknown): row is StoredChainRow =>
  isRecord(row) &&
  typeof row.seq === "number" &&
  typeof row.hash === "string" &&
  typeof row.canonical === "string"

const errorAsData = (error: AppendError): Record<string, unknown> => {
  switch (error._tag) {
    case "SeqConflict":
      return {
        error: error._tag,
        runId: error.runId,
        expectedSeq: error.expectedSeq,
        actualSeq: error.actualSeq
      }
    case "InvalidEvent":
      return { error: error._tag, type: error.type, runId: error.runId, pointer: error.pointer }
    case "UnknownEventType":
      return { error: error._tag, type: error.type, runId: error.runId }
    case "StoreFailure":
      return { error: error._tag, reason: error.reason }
  }
}

interface AppendStep {
  readonly drafts: ReadonlyArray<EventDraft>
  readonly single: boolean
  readonly expectedSeq: number | undefined
}

const parseSteps = (steps: unknown): ReadonlyArray<AppendStep> | undefined => {
  if (!Array.isArray(steps)) return undefined
  const parsed: Array<AppendStep> = []
  for (const step of steps) {
    if (!isRecord(step) || !Array.isArray(step.drafts)) return undefined
    if (step.expectedSeq !== undefined && typeof step.expectedSeq !== "number") return undefined
    parsed.push({
      drafts: step.drafts as ReadonlyArray<EventDraft>,
      single: step.single === true,
      expectedSeq: step.expectedSeq as number | undefined
    })
  }
  return parsed
}

const kernelTypes = Layer.merge(EventTypes.layer(coreEventTypes), Ids.layerDeterministic())

/** The stores every append case runs against (N3-R16): their answers must agree, and the memory one is reported. */
const stores = [
  { name: "memory", layer: EventLogMemory.layer.pipe(Layer.provide(kernelTypes)) },
  { name: "sqlite", layer: EventLogSqlite.layerFile(":memory:").pipe(Layer.provide(kernelTypes)) }
] as const

const runStepsOn = (layer: Layer.Layer<EventLog, unknown>, steps: ReadonlyArray<AppendStep>) =>
  Effect.gen(function* () {
    const log = yield* EventLog
    const results: Array<unknown> = []
    for (const step of steps) {
      const options = step.expectedSeq === undefined ? {} : { expectedSeq: step.expectedSeq }
      const appended = step.single
        ? Effect.map(log.append(step.drafts[0]!, options), (event) => [event])
        : log.appendBatch(step.drafts, options)
      results.push(
        yield* appended.pipe(
          Effect.map((events) => ({
            events: events.map(({ seq, prevHash, hash }) => ({ seq, prevHash, hash }))
          })),
          Effect.catchAll((error) => Effect.succeed(errorAsData(error)))
        )
      )
    }
    return results
  }).pipe(
    Effect.provide(layer),
    Effect.provide(TestContext.TestContext),
    Effect.mapError((error) => `the event store did not open: ${String(error)}`)
  )

/** Runs the steps on every store; a disagreement is answered as data so the case fails with both answers shown. */
const runSteps = (steps: ReadonlyArray<AppendStep>) =>
  Effect.gen(function* () {
    const answers: Record<string, unknown> = {}
    for (const store of stores) answers[store.name] = yield* runStepsOn(store.layer, steps)
    const reference = JSON.stringify(answers.memory)
    const agree = Object.values(answers).every((answer) => JSON.stringify(answer) === reference)
    return agree ? answers.memory : { error: "StoresDisagree", ...answers }
  })

const run = (input: unknown): Effect.Effect<unknown, string> => {
  if (!isRecord(input)) return invalid("an object with an op", input)
  switch (input.op) {
    case "seal": {
      if (!isRecord(input.event)) return invalid('{ "op": "seal", "event": object }', input)
      const event = input.event as unknown as UnsealedEvent
      return Effect.try({
        try: () => {
          const { canonical, event: sealed } = sealEvent(event)
          return { canonical, hash: sealed.hash }
        },
        catch: (error) => `InvalidEventStreamInput: ${String(error)}`
      })
    }
    case "verify": {
      const rows = input.rows
      if (typeof input.runId !== "string" || !Array.isArray(rows) || !rows.every(isRow)) {
        return invalid('{ "op": "verify", "runId": string, "rows": [{ seq, hash, canonical }] }', input)
      }
      const runId = input.runId
      return Effect.sync(() => {
        const verdict = verifyRows(runId, rows)
        if (verdict.ok) return verdict
        const { detail: _detail, ...rest } = verdict
        return rest
      })
    }
    case "append": {
      const steps = parseSteps(input.steps)
      if (!steps || steps.some((step) => step.single && step.drafts.length !== 1)) {
        return invalid(
          '{ "op": "append", "steps": [{ "drafts": [...], "single"?: bool, "expectedSeq"?: number }] }',
          input
        )
      }
      return runSteps(steps)
    }
    default:
      return invalid('op "seal", "verify" or "append"', input)
  }
}

/** The `event-stream` area: sealing, chain verification and validated appends (N3). */
export const adapter: GoldenAdapter = { area: "event-stream", run }
