/**
 * The event hot path's JSON writer: RFC 8785 text of a payload in ONE walk that also rejects non-JSON values and
 * compares the value with its schema-decoded twin to detect excess properties. Its output is property-tested to be
 * byte-identical to `canonicalize` from `@gauntlet/canonical` (json-canonicalize); see docs/adr for why it exists.
 */

/** Thrown (without a location) when the walk meets a value that is not JSON; `locateNonJson` finds where. */
const NOT_JSON: unique symbol = Symbol("NotJson")

/** The result of writing a payload. */
export interface PayloadText {
  /** RFC 8785 text of the value. */
  readonly text: string
  /** False when the decoded twin differs in shape (an excess property somewhere): re-check with the exact decoder. */
  readonly sameShape: boolean
  /** True when the text would parse to a different value (an `undefined` member was dropped or a `-0` written as 0). */
  readonly lossy: boolean
}

// Walk state, reset by `writePayload` before each walk. The walk is synchronous and does not call toJSON, so
// module-level state is safe here and keeps the walk allocation-free.
let sameShape = true
let lossy = false

/** `"key":` texts, cached: payload keys repeat from event to event (bounded so hostile keys cannot grow it). */
const keyTexts = new Map<string, string>()

const keyText = (key: string): string => {
  let text = keyTexts.get(key)
  if (text === undefined) {
    text = `${JSON.stringify(key)}:`
    if (keyTexts.size < 4096) keyTexts.set(key, text)
  }
  return text
}

/** Own enumerable string keys, counted without allocating (plain objects only, so for-in sees only own keys). */
const countKeys = (record: object): number => {
  let count = 0
  for (const _key in record) count++
  return count
}

/**
 * Sorts keys in place by UTF-16 code units, as `Array.prototype.sort` does: insertion sort for the small key sets
 * payloads have (no scratch allocation, which the built-in sort makes per call), the built-in sort beyond that.
 */
const sortKeys = (keys: Array<string>): void => {
  if (keys.length > 16) {
    keys.sort()
    return
  }
  for (let i = 1; i < keys.length; i++) {
    const key = keys[i] as string
    let j = i - 1
    while (j >= 0 && (keys[j] as string) > key) {
      keys[j + 1] = keys[j] as string
      j--
    }
    keys[j + 1] = key
  }
}

const isPlainObject = (value: object): boolean => {
  const proto = Object.getPrototypeOf(value)
  return proto === Object.prototype || proto === null
}

const write = (value: unknown, twin: unknown): string => {
  switch (typeof value) {
    case "string":
      return JSON.stringify(value)
    case "number":
      if (!Number.isFinite(value)) throw NOT_JSON
      if (value === 0 && 1 / value < 0) lossy = true
      return JSON.stringify(value)
    case "boolean":
      return value ? "true" : "false"
    case "object": {
      if (value === null) return "null"
      if (Array.isArray(value)) {
        const items = value as ReadonlyArray<unknown>
        const same = twin === value
        if (!same && (!Array.isArray(twin) || twin.length !== items.length)) sameShape = false
        const twins = same ? items : Array.isArray(twin) ? (twin as ReadonlyArray<unknown>) : items
        let out = "["
        for (let i = 0; i < items.length; i++) {
          const item = items[i]
          if (item === undefined) throw NOT_JSON
          out += i === 0 ? write(item, twins[i]) : `,${write(item, twins[i])}`
        }
        return `${out}]`
      }
      if (!isPlainObject(value)) throw NOT_JSON
      const record = value as Readonly<Record<string, unknown>>
      const keys = Object.keys(record)
      const same = twin === value
      let twinRecord: Readonly<Record<string, unknown>> = record
      if (!same) {
        if (typeof twin === "object" && twin !== null && !Array.isArray(twin)) {
          twinRecord = twin as Readonly<Record<string, unknown>>
          if (!isPlainObject(twinRecord) || countKeys(twinRecord) !== keys.length) sameShape = false
        } else sameShape = false
      }
      sortKeys(keys)
      let out = "{"
      let first = true
      for (const key of keys) {
        const member = record[key]
        if (member === undefined) {
          lossy = true
          continue
        }
        out += first ? keyText(key) : `,${keyText(key)}`
        out += write(member, twinRecord[key])
        first = false
      }
      return `${out}}`
    }
    default:
      throw NOT_JSON
  }
}

/**
 * Writes a payload's RFC 8785 text, comparing it with `twin` (its schema-decoded form, or the value itself when
 * there is nothing to compare). Returns `undefined` when the value is not JSON; `locateNonJson` then says where.
 */
export const writePayload = (value: unknown, twin: unknown): PayloadText | undefined => {
  sameShape = true
  lossy = false
  try {
    const text = write(value, twin)
    return { text, sameShape, lossy }
  } catch (error) {
    if (error === NOT_JSON || error instanceof RangeError) return undefined
    throw error
  }
}

/** RFC 8785 text of a JSON value, or `undefined` when it is not JSON. */
export const canonicalJson = (value: unknown): string | undefined => writePayload(value, value)?.text

const escapeToken = (token: string): string => token.replace(/~/g, "~0").replace(/\//g, "~1")

/** A JSON pointer (RFC 6901) from path segments. */
export const toPointer = (segments: ReadonlyArray<PropertyKey>): string => {
  let out = ""
  for (const segment of segments) out += `/${escapeToken(String(segment))}`
  return out
}

const describe = (value: unknown): string => {
  switch (typeof value) {
    case "number":
      return `${value} is not a JSON number`
    case "undefined":
      return "undefined is not a JSON value (array items must be defined)"
    case "function":
      return "a function is not a JSON value"
    case "bigint":
      return `bigint ${value} is not a JSON number`
    case "symbol":
      return "a symbol is not a JSON value"
    default: {
      const name = (value as object).constructor?.name ?? "object"
      return `a ${name} instance is not a plain JSON object`
    }
  }
}

/** Finds the first non-JSON value (or a cycle) in `value`: a pointer relative to it and a reason. */
export const locateNonJson = (
  value: unknown
): { readonly pointer: string; readonly reason: string } | undefined => {
  const ancestors: Array<object> = []
  const visit = (
    node: unknown,
    path: ReadonlyArray<string>
  ): { pointer: string; reason: string } | undefined => {
    if (node === null || typeof node === "string" || typeof node === "boolean") return undefined
    if (typeof node === "number") {
      return Number.isFinite(node) ? undefined : { pointer: toPointer(path), reason: describe(node) }
    }
    if (typeof node !== "object") return { pointer: toPointer(path), reason: describe(node) }
    if (ancestors.includes(node)) return { pointer: toPointer(path), reason: "circular reference" }
    if (!Array.isArray(node) && !isPlainObject(node))
      return { pointer: toPointer(path), reason: describe(node) }
    ancestors.push(node)
    try {
      if (Array.isArray(node)) {
        for (let i = 0; i < node.length; i++) {
          const found = visit(node[i], [...path, String(i)])
          if (found) return found
        }
        return undefined
      }
      const record = node as Readonly<Record<string, unknown>>
      for (const key of Object.keys(record).sort()) {
        if (record[key] === undefined) continue
        const found = visit(record[key], [...path, key])
        if (found) return found
      }
      return undefined
    } finally {
      ancestors.pop()
    }
  }
  try {
    return visit(value, [])
  } catch (error) {
    if (error instanceof RangeError) return { pointer: "", reason: "nesting is too deep to be a JSON value" }
    throw error
  }
}
