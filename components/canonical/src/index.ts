/**
 * @module @gauntlet/canonical
 * The encoding every Gauntlet record uses: RFC 8785 canonical JSON, SHA-256 digests (`sha256:<hex>` and in-toto
 * DigestSets), UUIDv7 ids and ISO-8601 UTC time read from Effect's Clock.
 */

/** Digest string and DigestSet types. */
export type { Sha256Digest, Sha256DigestSet } from "./internal/digest.js"
/** SHA-256 over bytes, strings and canonical JSON; conversions between record and in-toto forms. */
export {
  digestOf,
  fromDigestSet,
  isSha256Digest,
  sha256Digest,
  sha256Hex,
  toDigestSet
} from "./internal/digest.js"
/** UUIDv7 ids: the `Ids` service (live and deterministic layers) and helpers. */
export { Ids, isUuidV7, newUuidV7 } from "./internal/ids.js"
/** A JSON value as RFC 8259 defines it. */
export type { JsonValue } from "./internal/jcs.js"
/** RFC 8785 canonical JSON text and its UTF-8 bytes. */
export { canonicalBytes, canonicalize } from "./internal/jcs.js"
/** ISO-8601 UTC time from Effect's Clock. */
export { currentIsoTime, isIsoUtc } from "./internal/time.js"
