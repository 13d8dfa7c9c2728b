import { canonicalize } from "@gauntlet/canonical"
import type { GoldenAdapter } from "@gauntlet/conformance"
import { Effect, Schema } from "effect"

/**
 * Golden adapter for area `jcs` (spec N0, RFC 8785). Inputs:
 * - `{ "json": "<JSON text>" }`: parse the text, canonicalize it → `{ "canonical": "<text>" }`;
 * - `{ "ieee754": "<16 hex digits>" }`: the binary64 with that bit pattern, canonicalized → `{ "canonical": "<text>" }`.
 * Rejections are answered as data: `{ "error": "NonFiniteNumber", "value": "NaN" | "Infinity" | "-Infinity" }`,
 * `{ "error": "InvalidJson" }`. A malformed case input fails the case (`InvalidJcsInput`).
 */

const HEX_BITS = /^[0-9a-f]{16}$/

/** A `jcs` case whose input is neither `{ json: string }` nor `{ ieee754: <16 hex digits> }`. */
class InvalidJcsInput extends Schema.TaggedError<InvalidJcsInput>()("InvalidJcsInput", {
  input: Schema.Unknown
}) {
  override get message(): string {
    return `expected { "json": string } or { "ieee754": 16 lowercase hex digits }, got ${JSON.stringify(this.input)}`
  }
}

const doubleFromHex = (hex: string): number => {
  const view = new DataView(new ArrayBuffer(8))
  view.setBigUint64(0, BigInt(`0x${hex}`))
  return view.getFloat64(0)
}

/** The first non-finite number inside a parsed value (JSON.parse turns `1e400` into Infinity), if any. */
const findNonFinite = (value: unknown): number | undefined => {
  if (typeof value === "number") return Number.isFinite(value) ? undefined : value
  if (typeof value !== "object" || value === null) return undefined
  for (const item of Object.values(value)) {
    const found = findNonFinite(item)
    if (found !== undefined) return found
  }
  return undefined
}

const canonicalOf = (value: unknown): unknown => {
  const nonFinite = findNonFinite(value)
  return nonFinite === undefined
    ? { canonical: canonicalize(value) }
    : { error: "NonFiniteNumber", value: String(nonFinite) }
}

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === "object" && value !== null && !Array.isArray(value)

const run = (input: unknown): Effect.Effect<unknown, InvalidJcsInput> => {
  if (isRecord(input) && typeof input.json === "string") {
    const text = input.json
    return Effect.try({ try: () => JSON.parse(text) as unknown, catch: () => "InvalidJson" }).pipe(
      Effect.map(canonicalOf),
      Effect.catchAll(() => Effect.succeed({ error: "InvalidJson" }))
    )
  }
  if (isRecord(input) && typeof input.ieee754 === "string" && HEX_BITS.test(input.ieee754)) {
    const bits = input.ieee754
    return Effect.sync(() => canonicalOf(doubleFromHex(bits)))
  }
  return Effect.fail(new InvalidJcsInput({ input }))
}

/** The `jcs` area: RFC 8785 canonical JSON of JSON texts and of IEEE-754 bit patterns. */
export const adapter: GoldenAdapter = { area: "jcs", run }
