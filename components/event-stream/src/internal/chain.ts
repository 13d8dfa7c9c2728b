import { canonicalize, sha256Digest } from "@gauntlet/canonical"
import type { RunEvent } from "./envelope.js"

/** An envelope with everything but its own hash. */
export type UnsealedEvent = Omit<RunEvent, "hash">

/** A sealed event together with the exact canonical text its hash was computed over (what stores keep). */
export interface SealedEvent {
  readonly event: RunEvent
  /** RFC 8785 text of the envelope without `hash`; `hash = sha256(UTF-8(canonical))`. */
  readonly canonical: string
}

/** Computes the event's hash over the RFC 8785 form of the envelope without `hash` (N3 chain rule). */
export const sealEvent = (unsealed: UnsealedEvent): SealedEvent => {
  const canonical = canonicalize(unsealed)
  return { event: { ...unsealed, hash: sha256Digest(canonical) }, canonical }
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
