import { canonicalize } from "@gauntlet/canonical"
import type { SkipPredicate } from "./definition.js"

const MISSING = Symbol("missing")

/** The value at an RFC 6901 pointer, or `MISSING`. */
const at = (value: unknown, pointer: string): unknown => {
  if (pointer === "") return value
  let current = value
  for (const raw of pointer.slice(1).split("/")) {
    const key = raw.replaceAll("~1", "/").replaceAll("~0", "~")
    if (Array.isArray(current)) {
      if (!/^(0|[1-9][0-9]*)$/.test(key) || Number(key) >= current.length) return MISSING
      current = current[Number(key)]
    } else if (typeof current === "object" && current !== null && Object.hasOwn(current, key)) {
      current = (current as Record<string, unknown>)[key]
    } else {
      return MISSING
    }
  }
  return current
}

/** Evaluates a `skipIf` predicate over the run input (JSON equality is canonical-JSON equality). */
export const evaluateSkip = (predicate: SkipPredicate, input: unknown): boolean => {
  if ("all" in predicate) return predicate.all.every((p) => evaluateSkip(p, input))
  if ("any" in predicate) return predicate.any.some((p) => evaluateSkip(p, input))
  if ("not" in predicate) return !evaluateSkip(predicate.not, input)
  const value = at(input, predicate.pointer)
  if ("exists" in predicate) return (value !== MISSING) === predicate.exists
  return value !== MISSING && canonicalize(value) === canonicalize(predicate.equals)
}

const isRecord = (u: unknown): u is Record<string, unknown> =>
  typeof u === "object" && u !== null && !Array.isArray(u)

const SHAPES = "{ pointer, equals } | { pointer, exists } | { all } | { any } | { not }"

/**
 * Checks an untrusted `skipIf` value and names the first problem precisely (a union schema would report the first
 * alternative's complaint): `{ pointer, reason }` with the pointer under `at`, or undefined when it is well formed.
 */
export const checkSkipPredicate = (
  value: unknown,
  at: string
): { readonly pointer: string; readonly reason: string } | undefined => {
  if (!isRecord(value)) return { pointer: at, reason: `a skipIf predicate is an object: ${SHAPES}` }
  const keys = Object.keys(value).sort().join(",")
  if (keys === "all" || keys === "any") {
    const list = value[keys]
    if (!Array.isArray(list)) return { pointer: `${at}/${keys}`, reason: "expected an array of predicates" }
    for (const [i, item] of list.entries()) {
      const problem = checkSkipPredicate(item, `${at}/${keys}/${i}`)
      if (problem !== undefined) return problem
    }
    return undefined
  }
  if (keys === "not") return checkSkipPredicate(value.not, `${at}/not`)
  if (keys === "equals,pointer" || keys === "exists,pointer") {
    const pointer = value.pointer
    if (typeof pointer !== "string" || (pointer !== "" && !pointer.startsWith("/"))) {
      return { pointer: `${at}/pointer`, reason: 'a JSON pointer is "" or starts with "/"' }
    }
    if (keys === "exists,pointer" && typeof value.exists !== "boolean") {
      return { pointer: `${at}/exists`, reason: "expected true or false" }
    }
    return undefined
  }
  return {
    pointer: at,
    reason: `unexpected members ${JSON.stringify(Object.keys(value))}; expected ${SHAPES}`
  }
}
