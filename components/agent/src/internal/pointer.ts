import { ParseResult } from "effect"

/** RFC 6901 pointer of a path: `["steps", "plan", 0]` → `/steps/plan/0`. */
export const toPointer = (path: ReadonlyArray<PropertyKey>): string =>
  path.map((key) => `/${String(key).replaceAll("~", "~0").replaceAll("/", "~1")}`).join("")

/**
 * The most telling issue of a schema decode error (the deepest one: when a union's members all fail, the member
 * that matched furthest explains the mistake best; the first of equally deep ones), as a path and a reason.
 */
export const firstIssue = (
  error: ParseResult.ParseError
): { readonly path: ReadonlyArray<PropertyKey>; readonly reason: string } => {
  const issue = ParseResult.ArrayFormatter.formatErrorSync(error).reduce<
    ParseResult.ArrayFormatterIssue | undefined
  >((best, next) => (best === undefined || next.path.length > best.path.length ? next : best), undefined)
  return issue === undefined
    ? { path: [], reason: "does not match the agent script format" }
    : { path: issue.path, reason: issue.message }
}
