import { Schema } from "effect"

/** `sha256:<64 lowercase hex>` as stored in `prevHash` and `hash`. */
export const HashString = Schema.String.pipe(
  Schema.pattern(/^sha256:[0-9a-f]{64}$/),
  Schema.annotations({ identifier: "HashString", description: "sha256:<lowercase hex> over RFC 8785 bytes" })
)

/** An event type: `<domain>/<name>`, lowercase, dot and dash allowed (`workflow/started`, `pack.run/failed`). */
export const EventType = Schema.String.pipe(
  Schema.pattern(/^[a-z][a-z0-9.-]*\/[a-z][a-z0-9.-]*$/),
  Schema.annotations({ identifier: "EventType", description: "namespaced event type, e.g. workflow/started" })
)

/** ISO-8601 UTC timestamp with a `Z` suffix. */
export const IsoTime = Schema.String.pipe(
  Schema.pattern(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,9})?Z$/),
  Schema.annotations({ identifier: "IsoTime" })
)

/** A run id (UUIDv7 for runs the kernel starts; any non-empty string up to 200 chars is accepted). */
export const RunId = Schema.String.pipe(Schema.minLength(1), Schema.maxLength(200))

/**
 * The stored envelope (N3-R1). `hash = sha256(JCS(envelope without hash))`; `prevHash` is the previous event's
 * `hash` in the same run, `null` for `seq` 1.
 */
export const RunEvent = Schema.Struct({
  id: Schema.String,
  runId: RunId,
  seq: Schema.Int.pipe(Schema.greaterThanOrEqualTo(1)),
  type: EventType,
  time: IsoTime,
  actor: Schema.String.pipe(Schema.minLength(1)),
  causationId: Schema.NullOr(Schema.String),
  correlationId: Schema.String,
  payload: Schema.Record({ key: Schema.String, value: Schema.Unknown }),
  prevHash: Schema.NullOr(HashString),
  hash: HashString
}).annotations({ identifier: "RunEvent", title: "Gauntlet event envelope (N3)" })

/** A stored, hash-chained event. */
export type RunEvent = typeof RunEvent.Type

/** What a writer supplies; the log assigns `seq`, `prevHash`, `hash`, and defaults `id`, `time`, `correlationId`. */
export const EventDraft = Schema.Struct({
  runId: RunId,
  type: EventType,
  actor: Schema.String.pipe(Schema.minLength(1)),
  payload: Schema.Record({ key: Schema.String, value: Schema.Unknown }),
  causationId: Schema.optional(Schema.NullOr(Schema.String)),
  correlationId: Schema.optional(Schema.String),
  id: Schema.optional(Schema.String),
  time: Schema.optional(IsoTime)
}).annotations({ identifier: "EventDraft" })

/** An event before the log has placed it. */
export type EventDraft = typeof EventDraft.Type

/**
 * Delivered to one live subscriber in place of events its buffer had to drop (overflow policy: drop oldest).
 * Not part of any run's chain: it has no seq and no hash.
 */
export interface StreamOverflow {
  readonly type: "stream/overflow"
  /** How many events were dropped since the subscriber last received one. */
  readonly dropped: number
  /** Seq and run of the first dropped event, for a reader that wants to re-read them with `read`. */
  readonly firstDropped: { readonly runId: string; readonly seq: number }
}

/** What a live subscription yields: stored events, or overflow notices. */
export type LiveItem = RunEvent | StreamOverflow
