import type { EntryRefusal } from "./errors.js"

/** Characters a pack path may use: portable, ASCII, no spaces (so a path is the same on every platform). */
const PORTABLE_SEGMENT = /^[A-Za-z0-9._@+-]+$/

/** Longest path a plain ustar header holds without an extended (pax) header: 155-byte prefix + "/" + 100-byte name. */
const USTAR_MAX_PATH = 256

/**
 * Checks one archive path (files as `a/b.json`, directories with or without a trailing `/`) and returns why it is
 * refused, or `undefined` when it is a safe relative path. Used by both `build` and `extract`.
 */
export const pathRefusal = (
  name: string
): { readonly reason: EntryRefusal; readonly detail: string } | undefined => {
  if (name.length === 0) return { reason: "invalid-path", detail: "empty path" }
  if (name.startsWith("/") || name.startsWith("\\") || /^[A-Za-z]:/.test(name))
    return { reason: "absolute-path", detail: "paths must be relative to the pack root" }
  if (name.includes("\\")) return { reason: "invalid-path", detail: "backslash in path" }
  const trimmed = name.endsWith("/") ? name.slice(0, -1) : name
  const segments = trimmed.split("/")
  if (segments.includes(".."))
    return { reason: "parent-traversal", detail: "a '..' segment escapes the pack root" }
  for (const segment of segments) {
    if (segment === "" || segment === ".")
      return { reason: "invalid-path", detail: "empty or '.' path segment (not a normalised path)" }
    if (!PORTABLE_SEGMENT.test(segment))
      return {
        reason: "invalid-path",
        detail: `segment "${segment}" uses characters outside [A-Za-z0-9._@+-]`
      }
  }
  if (!fitsUstarHeader(trimmed))
    return {
      reason: "invalid-path",
      detail: `does not fit a plain ustar header (at most ${USTAR_MAX_PATH} bytes)`
    }
  return undefined
}

/** True when the path splits into a ustar prefix (<= 155 bytes) and name (<= 100 bytes) at a `/`, as tar-stream does. */
const fitsUstarHeader = (path: string): boolean => {
  if (path.length > USTAR_MAX_PATH) return false
  let name = path
  let prefix = ""
  while (name.length > 100) {
    const slash = name.indexOf("/")
    if (slash === -1) return false
    prefix = prefix === "" ? name.slice(0, slash) : `${prefix}/${name.slice(0, slash)}`
    name = name.slice(slash + 1)
  }
  return prefix.length <= 155
}
