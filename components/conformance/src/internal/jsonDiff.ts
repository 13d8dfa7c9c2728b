/** One place where an actual value differs from the expected one; `path` is a JSON pointer ("" = the root). */
export interface JsonDifference {
  readonly path: string
  readonly expected: string
  readonly actual: string
}

const MISSING = "(missing)"

const escapePointer = (key: string): string => key.replaceAll("~", "~0").replaceAll("/", "~1")

const isPlainObject = (value: unknown): value is Record<string, unknown> => {
  if (typeof value !== "object" || value === null || Array.isArray(value)) return false
  const proto = Object.getPrototypeOf(value)
  return proto === Object.prototype || proto === null
}

/** A short, readable rendering of a value for a diff line; non-JSON values are named by their kind. */
export const renderValue = (value: unknown): string => {
  if (value === undefined) return "undefined"
  if (typeof value === "bigint") return `${value}n (bigint)`
  if (typeof value === "function" || typeof value === "symbol") return `(${typeof value})`
  if (typeof value === "number" && !Number.isFinite(value)) return `${value} (not JSON)`
  if (typeof value === "object" && value !== null && !Array.isArray(value) && !isPlainObject(value)) {
    return `(${value.constructor?.name ?? "object"} instance, not JSON)`
  }
  const text = JSON.stringify(value)
  return text.length > 200 ? `${text.slice(0, 197)}...` : text
}

const kindOf = (value: unknown): string =>
  value === null ? "null" : Array.isArray(value) ? "array" : isPlainObject(value) ? "object" : typeof value

const diffAt = (path: string, expected: unknown, actual: unknown, out: Array<JsonDifference>): void => {
  if (Array.isArray(expected) && Array.isArray(actual)) {
    const length = Math.max(expected.length, actual.length)
    for (let i = 0; i < length; i++) {
      const here = `${path}/${i}`
      if (i >= actual.length) out.push({ path: here, expected: renderValue(expected[i]), actual: MISSING })
      else if (i >= expected.length)
        out.push({ path: here, expected: MISSING, actual: renderValue(actual[i]) })
      else diffAt(here, expected[i], actual[i], out)
    }
    return
  }
  if (isPlainObject(expected) && isPlainObject(actual)) {
    const keys = [...new Set([...Object.keys(expected), ...Object.keys(actual)])].sort()
    for (const key of keys) {
      const here = `${path}/${escapePointer(key)}`
      const inExpected = Object.hasOwn(expected, key)
      const inActual = Object.hasOwn(actual, key) && actual[key] !== undefined
      if (!inActual && inExpected)
        out.push({ path: here, expected: renderValue(expected[key]), actual: MISSING })
      else if (inActual && !inExpected)
        out.push({ path: here, expected: MISSING, actual: renderValue(actual[key]) })
      else if (inActual && inExpected) diffAt(here, expected[key], actual[key], out)
    }
    return
  }
  const sameScalar =
    kindOf(expected) === kindOf(actual) &&
    (expected === null ||
      typeof expected === "boolean" ||
      typeof expected === "number" ||
      typeof expected === "string")
      ? expected === actual
      : false
  if (!sameScalar) out.push({ path, expected: renderValue(expected), actual: renderValue(actual) })
}

/**
 * Exact structural comparison of an expected JSON value with an actual output. Object key order is irrelevant
 * (JSON objects are unordered); everything else must match exactly: types, numbers, strings, array lengths.
 * Object members whose actual value is `undefined` count as absent (JSON has no `undefined`). Returns every
 * difference, in document order; an empty array means equal.
 */
export const jsonDiff = (expected: unknown, actual: unknown): ReadonlyArray<JsonDifference> => {
  const out: Array<JsonDifference> = []
  diffAt("", expected, actual, out)
  return out
}

/** Renders differences as lines `  <pointer>: expected <e>, got <a>` (the root pointer is shown as `/`). */
export const formatDiff = (differences: ReadonlyArray<JsonDifference>): string =>
  differences
    .map((d) => `  ${d.path === "" ? "/" : d.path}: expected ${d.expected}, got ${d.actual}`)
    .join("\n")

/** True when the value is plain JSON data (what a golden file can hold), so it can be written back exactly. */
export const isJsonData = (value: unknown): boolean => {
  if (value === null || typeof value === "boolean" || typeof value === "string") return true
  if (typeof value === "number") return Number.isFinite(value)
  if (Array.isArray(value)) return value.every(isJsonData)
  if (isPlainObject(value)) return Object.values(value).every((v) => v === undefined || isJsonData(v))
  return false
}

/** Recursively sorts object keys (by UTF-16 code units) and drops `undefined` members, for stable golden files. */
export const sortKeysDeep = (value: unknown): unknown => {
  if (Array.isArray(value)) return value.map(sortKeysDeep)
  if (isPlainObject(value)) {
    const sorted: Record<string, unknown> = {}
    for (const key of Object.keys(value).sort()) {
      if (value[key] !== undefined) sorted[key] = sortKeysDeep(value[key])
    }
    return sorted
  }
  return value
}
