import { Either, ParseResult, Schema } from "effect"
import { type SealedEvent, sealWithPayloadText } from "./chain.js"
import type { RunHead } from "./EventLog.js"
import { EventDraft } from "./envelope.js"
import { InvalidEvent, SeqConflict, UnknownEventType } from "./errors.js"
import { locateNonJson, toPointer, writePayload } from "./json.js"
import type { EventTypeRegistry, RegisteredEventType } from "./registry.js"

/** What a store hands `prepareBatch`: the run's head as it read it, the drafts, and its id and time sources. */
export interface PrepareBatchInput {
  readonly registry: EventTypeRegistry
  /** The run's head inside the store's write transaction (seq 0 and null hash for a new run). */
  readonly head: RunHead
  /** Drafts as the caller passed them (validated here, so they may come from untyped callers). */
  readonly drafts: ReadonlyArray<EventDraft>
  /** ISO-8601 UTC time for drafts without `time`. */
  readonly now: string
  /** A fresh event id for drafts without `id` (called once per such draft, in order). */
  readonly nextId: () => string
  /** Optimistic concurrency: when set and different from `head.seq`, fails with `SeqConflict`. */
  readonly expectedSeq?: number
  /** True for a single `append`: pointers are `/payload/…` instead of `/<index>/payload/…`. */
  readonly single?: boolean
}

/** Every way `prepareBatch` can refuse a batch. */
export type PrepareError = UnknownEventType | InvalidEvent | SeqConflict

const TYPE_NAME = /^[a-z][a-z0-9.-]*\/[a-z][a-z0-9.-]*$/
const ISO_UTC = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,9})?Z$/
const DRAFT_KEYS = new Set([
  "runId",
  "type",
  "actor",
  "payload",
  "causationId",
  "correlationId",
  "id",
  "time"
])
const decodeDraftExact = Schema.decodeUnknownEither(EventDraft, { onExcessProperty: "error" })

const optionalString = (value: unknown): boolean => value === undefined || typeof value === "string"

/** The hand-written twin of `EventDraft` (property-tested equal to it), plus: the payload is not an array. */
const isWellFormedDraft = (u: unknown): u is EventDraft => {
  if (typeof u !== "object" || u === null || Array.isArray(u)) return false
  const d = u as Record<string, unknown>
  const { runId, type, actor, payload, causationId, time } = d
  if (typeof runId !== "string" || runId.length < 1 || runId.length > 200) return false
  if (typeof type !== "string" || !TYPE_NAME.test(type)) return false
  if (typeof actor !== "string" || actor.length < 1) return false
  if (typeof payload !== "object" || payload === null || Array.isArray(payload)) return false
  if (causationId !== undefined && causationId !== null && typeof causationId !== "string") return false
  if (!optionalString(d.correlationId) || !optionalString(d.id)) return false
  if (time !== undefined && (typeof time !== "string" || !ISO_UTC.test(time))) return false
  for (const key of Object.keys(d)) if (!DRAFT_KEYS.has(key)) return false
  return true
}

const firstIssue = (error: ParseResult.ParseError): { pointer: string; reason: string } => {
  const issue = ParseResult.ArrayFormatter.formatErrorSync(error)[0]
  return issue
    ? { pointer: toPointer(issue.path), reason: issue.message }
    : { pointer: "", reason: "does not match its schema" }
}

const stringField = (u: unknown, key: string): string | undefined => {
  if (typeof u !== "object" || u === null) return undefined
  const value = (u as Record<string, unknown>)[key]
  return typeof value === "string" ? value : undefined
}

const draftIssue = (u: unknown): { pointer: string; reason: string } => {
  const decoded = decodeDraftExact(u)
  if (Either.isLeft(decoded)) return firstIssue(decoded.left)
  return { pointer: "/payload", reason: "the payload must be a JSON object, not an array" }
}

/** Checks one payload against its type; returns its canonical text and the value to store, or the issue. */
const checkPayload = (
  registered: RegisteredEventType,
  payload: Readonly<Record<string, unknown>>
): { text: string; payload: Readonly<Record<string, unknown>> } | { pointer: string; reason: string } => {
  // The compiled predicate proves exact validity without the decoders (a `false` proves nothing).
  if (registered.check?.(payload) === true) {
    const written = writePayload(payload, payload)
    if (written !== undefined) {
      return {
        text: written.text,
        payload: written.lossy ? (JSON.parse(written.text) as Record<string, unknown>) : payload
      }
    }
  }
  let twin: unknown = payload
  if (registered.fast) {
    const decoded = registered.decode(payload)
    if (Either.isLeft(decoded)) {
      const exact = registered.decodeExact(payload)
      return firstIssue(Either.isLeft(exact) ? exact.left : decoded.left)
    }
    twin = decoded.right
  }
  const written = writePayload(payload, twin)
  if (written === undefined) {
    const where = locateNonJson(payload)
    return { pointer: where?.pointer ?? "", reason: where?.reason ?? "the payload is not JSON" }
  }
  if (!registered.fast || !written.sameShape) {
    const exact = registered.decodeExact(payload)
    if (Either.isLeft(exact)) return firstIssue(exact.left)
  }
  return {
    text: written.text,
    payload: written.lossy ? (JSON.parse(written.text) as Record<string, unknown>) : payload
  }
}

/**
 * Validates a batch for ONE run and seals it onto the run's chain (the append hot path, shared by every store).
 * Checks, in order: `expectedSeq` against the head, then each draft in index order — its envelope (`EventDraft`),
 * its run (the head's run), its type (the registry), its payload (the type's schema, JSON values only). Assigns
 * seq, prevHash, id, time, correlationId (default: the run id) and causationId (default: null), then seals.
 */
export const prepareBatch = (
  input: PrepareBatchInput
): Either.Either<ReadonlyArray<SealedEvent>, PrepareError> => {
  const { registry, head, drafts, now, nextId, expectedSeq, single } = input
  if (expectedSeq !== undefined && expectedSeq !== head.seq) {
    return Either.left(new SeqConflict({ runId: head.runId, expectedSeq, actualSeq: head.seq }))
  }
  const sealed: Array<SealedEvent> = new Array(drafts.length)
  let prevHash = head.hash
  for (let index = 0; index < drafts.length; index++) {
    const draft: unknown = drafts[index]
    const at = single === true ? "" : `/${index}`
    if (!isWellFormedDraft(draft)) {
      const issue = draftIssue(draft)
      return Either.left(
        new InvalidEvent({
          type: stringField(draft, "type") ?? "",
          runId: stringField(draft, "runId") ?? head.runId,
          pointer: `${at}${issue.pointer}`,
          reason: issue.reason
        })
      )
    }
    const { runId, type } = draft
    if (runId !== head.runId) {
      const reason =
        index === 0
          ? `the store read the head of run ${head.runId}, but the draft is for run ${runId}`
          : `a batch appends to one run: draft 0 is for run ${head.runId}, this draft is for run ${runId}`
      return Either.left(new InvalidEvent({ type, runId, pointer: `${at}/runId`, reason }))
    }
    const registered = registry.get(type)
    if (registered === undefined) return Either.left(new UnknownEventType({ type, runId }))
    const checked = checkPayload(registered, draft.payload)
    if ("reason" in checked) {
      return Either.left(
        new InvalidEvent({ type, runId, pointer: `${at}/payload${checked.pointer}`, reason: checked.reason })
      )
    }
    const event = sealWithPayloadText(
      {
        id: draft.id ?? nextId(),
        runId,
        seq: head.seq + index + 1,
        type,
        time: draft.time ?? now,
        actor: draft.actor,
        causationId: draft.causationId ?? null,
        correlationId: draft.correlationId ?? runId,
        payload: checked.payload,
        prevHash
      },
      checked.text
    )
    sealed[index] = event
    prevHash = event.event.hash
  }
  return Either.right(sealed)
}
