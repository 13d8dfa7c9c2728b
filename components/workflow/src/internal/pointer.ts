import { ParseResult } from "effect"

/** RFC 6901 pointer of a path of keys and indexes (`~` → `~0`, `/` → `~1`). */
const toPointer = (path: ReadonlyArray<PropertyKey>): string =>
  path.map((key) => `/${String(key).replaceAll("~", "~0").replaceAll("/", "~1")}`).join("")

/** The first issue of a decode error as a pointer and a reason. */
export const firstIssue = (error: ParseResult.ParseError): { pointer: string; reason: string } => {
  const issue = ParseResult.ArrayFormatter.formatErrorSync(error)[0]
  return issue
    ? { pointer: toPointer(issue.path), reason: issue.message }
    : { pointer: "", reason: "does not match its schema" }
}
