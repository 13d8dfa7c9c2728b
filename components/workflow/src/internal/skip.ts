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
