import { canonicalizeEx } from "json-canonicalize"

/** A JSON value as RFC 8259 defines it (what RFC 8785 canonicalizes). */
export type JsonValue =
  | null
  | boolean
  | number
  | string
  | ReadonlyArray<JsonValue>
  | { readonly [key: string]: JsonValue }

const encoder = new TextEncoder()

/**
 * RFC 8785 (JCS) canonical form of a JSON value: object keys sorted by UTF-16 code units, ECMAScript number
 * formatting, minimal string escaping, no insignificant whitespace. `undefined` object members are dropped and
 * `undefined` array items become `null` (JSON.stringify's rules); non-finite numbers throw.
 */
export const canonicalize = (value: unknown): string =>
  canonicalizeEx(value, { filterUndefined: true, undefinedInArrayToNull: true })

/** UTF-8 bytes of the canonical form: what digests and signatures are computed over. */
export const canonicalBytes = (value: unknown): Uint8Array => encoder.encode(canonicalize(value))
