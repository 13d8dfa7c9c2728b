import { createHash } from "node:crypto"
import { canonicalize } from "./jcs.js"

/** A digest written in records: `sha256:<64 lowercase hex digits>`. */
export type Sha256Digest = `sha256:${string}`

/** An in-toto DigestSet carrying a SHA-256 digest: `{ "sha256": "<hex>" }`. */
export interface Sha256DigestSet {
  readonly sha256: string
}

const DIGEST_PATTERN = /^sha256:[0-9a-f]{64}$/

/** Lowercase hex SHA-256 of bytes or of a string's UTF-8 encoding. */
export const sha256Hex = (data: string | Uint8Array): string =>
  createHash("sha256").update(data).digest("hex")

/** `sha256:<hex>` of raw bytes or of a string's UTF-8 encoding. */
export const sha256Digest = (data: string | Uint8Array): Sha256Digest => `sha256:${sha256Hex(data)}`

/** `sha256:<hex>` of a JSON value's RFC 8785 canonical form. */
export const digestOf = (value: unknown): Sha256Digest => sha256Digest(canonicalize(value))

/** True when the string is a well-formed `sha256:<hex>` digest. */
export const isSha256Digest = (value: string): value is Sha256Digest => DIGEST_PATTERN.test(value)

/** Converts `sha256:<hex>` into an in-toto DigestSet `{ sha256: hex }`. */
export const toDigestSet = (digest: Sha256Digest): Sha256DigestSet => ({
  sha256: digest.slice("sha256:".length)
})

/** Converts an in-toto DigestSet back into `sha256:<hex>`. */
export const fromDigestSet = (set: Sha256DigestSet): Sha256Digest => `sha256:${set.sha256}`
