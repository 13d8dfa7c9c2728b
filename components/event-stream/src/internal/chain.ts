import { hash } from "node:crypto"
import type { RunEvent } from "./envelope.js"
import { canonicalJson, locateNonJson } from "./json.js"

/** An envelope with everything but its own hash. */
export type UnsealedEvent = Omit<RunEvent, "hash">

/** A sealed event together with the exact canonical text its hash was computed over (what stores keep). */
export interface SealedEvent {
  readonly event: RunEvent
  /** RFC 8785 text of the envelope without `hash`; `hash = sha256(UTF-8(canonical))`. */
  readonly canonical: string
}

/** `sha256:<hex>` of a string's UTF-8 bytes (or of raw bytes), via node:crypto's one-shot hash. */
export const eventDigest = (data: string | Uint8Array): string => `sha256:${hash("sha256", data, "hex")}`

const str = JSON.stringify

/** A one-entry memo of a string's JSON text: within a batch, run, correlation, actor and type repeat. */
const memoJson = () => {
  let last: string | undefined
  let lastText = ""
  return (value: string): string => {
    if (value !== last) {
      last = value
      lastText = str(value)
    }
    return lastText
  }
}
const actorJson = memoJson()
const correlationJson = memoJson()
const runJson = memoJson()
const typeJson = memoJson()
const timeJson = memoJson()

/**
 * RFC 8785 text of an envelope whose payload text is already canonical. The ten envelope keys are written in
 * their RFC 8785 order (UTF-16 code-unit order): actor, causationId, correlationId, id, payload, prevHash, runId,
 * seq, time, type. Strings use ECMAScript JSON string serialization, which RFC 8785 §3.2.2.2 adopts.
 */
const envelopeText = (unsealed: UnsealedEvent, payloadText: string): string =>
  `{"actor":${actorJson(unsealed.actor)},"causationId":${unsealed.causationId === null ? "null" : str(unsealed.causationId)},"correlationId":${correlationJson(unsealed.correlationId)},"id":${str(unsealed.id)},"payload":${payloadText},"prevHash":${unsealed.prevHash === null ? "null" : str(unsealed.prevHash)},"runId":${runJson(unsealed.runId)},"seq":${unsealed.seq},"time":${timeJson(unsealed.time)},"type":${typeJson(unsealed.type)}}`

/** Seals an envelope whose payload text is already canonical (the append hot path: one object, no spread). */
export const sealWithPayloadText = (unsealed: UnsealedEvent, payloadText: string): SealedEvent => {
  const canonical = envelopeText(unsealed, payloadText)
  const event: RunEvent = {
    id: unsealed.id,
    runId: unsealed.runId,
    seq: unsealed.seq,
    type: unsealed.type,
    time: unsealed.time,
    actor: unsealed.actor,
    causationId: unsealed.causationId,
    correlationId: unsealed.correlationId,
    payload: unsealed.payload,
    prevHash: unsealed.prevHash,
    hash: eventDigest(canonical)
  }
  return { event, canonical }
}

/**
 * Computes the event's hash over the RFC 8785 form of the envelope without `hash` (N3 chain rule). Throws a
 * `TypeError` naming the location when the payload is not JSON (stores validate before they seal).
 */
export const sealEvent = (unsealed: UnsealedEvent): SealedEvent => {
  const payloadText = canonicalJson(unsealed.payload)
  if (payloadText === undefined) {
    const where = locateNonJson(unsealed.payload)
    throw new TypeError(
      `payload is not JSON at /payload${where?.pointer ?? ""}: ${where?.reason ?? "not JSON"}`
    )
  }
  return sealWithPayloadText(unsealed, payloadText)
}

/** How a chain breaks, in the order the verifier checks them. */
export type ChainBreak =
  /** The stored bytes are not a parseable envelope of this run. */
  | "malformed"
  /** A seq is missing or out of order (deleted or reordered rows). */
  | "seq-gap"
  /** The stored hash is not the SHA-256 of the stored bytes (an edited row). */
  | "hash-mismatch"
  /** `prevHash` does not equal the previous event's hash (a row replaced or re-hashed). */
  | "prev-mismatch"

/** The outcome of verifying one run's chain. */
export type ChainVerification =
  | {
      readonly ok: true
      readonly runId: string
      /** Events verified. */
      readonly count: number
      /** Hash of the first and the last event (null for an empty run): the anchors evidence bundles record. */
      readonly firstHash: string | null
      readonly lastHash: string | null
      readonly lastSeq: number
    }
  | {
      readonly ok: false
      readonly runId: string
      /** Events verified before the break. */
      readonly count: number
      /** The first seq at which the chain does not hold. */
      readonly brokenSeq: number
      readonly reason: ChainBreak
      readonly detail: string
    }

/** A stored row as the verifier sees it: seq and hash columns and the canonical bytes. */
export interface StoredChainRow {
  readonly seq: number
  readonly hash: string
  readonly canonical: string | Uint8Array
}
