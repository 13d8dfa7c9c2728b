import { digestOf, type Sha256Digest } from "@gauntlet/canonical"
import type { FailureClass } from "./classes.js"
import { normalizeLocation, normalizeMessage } from "./normalize.js"

/** What a fingerprint is computed over. */
export interface FingerprintInput {
  readonly failureClass: FailureClass
  readonly message: string
  readonly location?: string | undefined
}

/** The version of the fingerprint scheme; it is hashed in, so a future scheme never collides with this one. */
export const FINGERPRINT_SCHEME = "gauntlet.failure-fingerprint/1"

/**
 * The fingerprint of a failure (spec N1-R11): `sha256:<hex>` of the RFC 8785 canonical JSON of
 * `{ scheme, failureClass, message: normalizeMessage(message), location: normalizeLocation(location) or "" }`.
 * Equal for the same failure met in another run; different when the class or the message's words differ.
 */
export const fingerprintOf = (input: FingerprintInput): Sha256Digest =>
  digestOf({
    scheme: FINGERPRINT_SCHEME,
    failureClass: input.failureClass,
    message: normalizeMessage(input.message),
    location: input.location === undefined ? "" : normalizeLocation(input.location)
  })
