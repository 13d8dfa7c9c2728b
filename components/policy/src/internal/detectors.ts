import { detectSecrets, redactText } from "@gauntlet/redaction"
import picomatch from "picomatch"
import type { ChangeSet, FileChange } from "./changeSet.js"
import type { PolicyContext } from "./context.js"
import { inferIntentFromCounts, intentAllows, intentCounts, resourceChangesOf } from "./intent.js"
import type { Rule } from "./pack.js"
import type { PolicyLocation } from "./result.js"
import { DEFAULT_TEST_GLOBS, deletedTestsOf, skippedTestLines } from "./tests.js"

/** One thing a detection found: the detail that completes the rule's message, and where. */
export interface Finding {
  readonly detail: string
  readonly location?: PolicyLocation
}

const matchers = new Map<string, (path: string) => boolean>()

/** A cached picomatch matcher for a glob list (dot files match). */
const globMatcher = (globs: ReadonlyArray<string>): ((path: string) => boolean) => {
  const key = JSON.stringify(globs)
  let matcher = matchers.get(key)
  if (matcher === undefined) {
    matcher = picomatch([...globs], { dot: true })
    matchers.set(key, matcher)
  }
  return matcher
}

/** The files a rule applies to: matching `appliesTo.paths` (all when absent) and none of `excludePaths`. */
export const filesFor = (rule: Rule, change: ChangeSet): ReadonlyArray<FileChange> => {
  const include = rule.appliesTo?.paths === undefined ? undefined : globMatcher(rule.appliesTo.paths)
  const exclude =
    rule.appliesTo?.excludePaths === undefined ? undefined : globMatcher(rule.appliesTo.excludePaths)
  if (include === undefined && exclude === undefined) return change.files
  return change.files.filter(
    (file) =>
      (include === undefined ||
        include(file.path) ||
        (file.oldPath !== undefined && include(file.oldPath))) &&
      (exclude === undefined || !exclude(file.path))
  )
}

const pathsOf = (file: FileChange) => (file.oldPath === undefined ? [file.path] : [file.path, file.oldPath])

/** Path rules: protected globs (optionally only some statuses), or paths outside the declared scope. */
export const detectPath = (
  detect: Extract<Rule["detect"], { path: unknown }>["path"],
  files: ReadonlyArray<FileChange>,
  context: PolicyContext
): ReadonlyArray<Finding> => {
  if ("outsideScope" in detect) {
    if (context.scope === undefined) return []
    const inScope = globMatcher(context.scope)
    return files.flatMap((file) =>
      pathsOf(file)
        .filter((path) => !inScope(path))
        .map((path) => ({
          detail: `${path} (${file.status}) is outside the declared scope ${context.scope!.join(", ")}`,
          location: { file: path }
        }))
    )
  }
  const isProtected = globMatcher(detect.protected)
  return files
    .filter((file) => detect.statuses === undefined || detect.statuses.includes(file.status))
    .flatMap((file) =>
      pathsOf(file)
        .filter(isProtected)
        .map((path) => ({ detail: `${path} is a protected path (${file.status})`, location: { file: path } }))
    )
}

/** Count rules: the metric over the applicable files, compared with `max`. */
export const detectCount = (
  detect: Extract<Rule["detect"], { count: unknown }>["count"],
  files: ReadonlyArray<FileChange>
): ReadonlyArray<Finding> => {
  const isTest = globMatcher(detect.testGlobs ?? DEFAULT_TEST_GLOBS)
  const over = (value: number, what: string, location?: PolicyLocation): ReadonlyArray<Finding> =>
    value > detect.max
      ? [{ detail: `${value} ${what} (at most ${detect.max} allowed)`, ...(location ? { location } : {}) }]
      : []
  switch (detect.metric) {
    case "filesChanged":
      return over(files.length, "files changed")
    case "linesAdded":
      return over(
        files.reduce((sum, file) => sum + file.added.length, 0),
        "lines added"
      )
    case "linesRemoved":
      return over(
        files.reduce((sum, file) => sum + file.removed.length, 0),
        "lines removed"
      )
    case "deletedTests": {
      const perFile = files
        .filter((file) => isTest(file.path))
        .map((file) => [file, deletedTestsOf(file)] as const)
      const total = perFile.reduce((sum, [, n]) => sum + n, 0)
      if (total <= detect.max) return []
      return perFile
        .filter(([, n]) => n > 0)
        .map(([file, n]) => ({
          detail: `${file.status === "deleted" ? "test file deleted" : `${n} test case(s) removed`} (${total} in all, at most ${detect.max} allowed)`,
          location: { file: file.path }
        }))
    }
    case "skippedTests": {
      const skipped = files
        .filter((file) => isTest(file.path))
        .flatMap((file) => skippedTestLines(file).map((line) => [file, line] as const))
      if (skipped.length <= detect.max) return []
      return skipped.map(([file, line]) => ({
        detail: `a test is skipped or disabled: ${line.text.trim().slice(0, 80)}`,
        location: { file: file.path, line: line.line }
      }))
    }
  }
}

/** Intent rules: counts against the declared intent's row, or forbidden resource actions. */
export const detectIntent = (
  detect: Extract<Rule["detect"], { intent: unknown }>["intent"],
  change: ChangeSet,
  context: PolicyContext
): ReadonlyArray<Finding> => {
  if ("matchDeclared" in detect) {
    if (context.intent === undefined) return []
    const counts = intentCounts(change)
    if (intentAllows(context.intent, counts)) return []
    return [
      {
        detail: `declared intent ${context.intent}, but the change creates ${counts.creates}, updates ${counts.updates} and destroys ${counts.destroys} resource(s)${counts.imports > 0 ? ` and imports ${counts.imports}` : ""} (inferred: ${inferIntentFromCounts(counts)})`
      }
    ]
  }
  const types = detect.resourceTypes === undefined ? undefined : globMatcher(detect.resourceTypes)
  return resourceChangesOf(change)
    .filter((resource) => (detect.forbid as ReadonlyArray<string>).includes(resource.action))
    .filter((resource) => types === undefined || types(resource.type))
    .map((resource) => ({
      detail: `${resource.address} (${resource.type}) would be ${resource.action === "replace" ? "replaced (destroyed and re-created)" : `${resource.action}${resource.action.endsWith("e") ? "d" : "ed"}`}`,
      location: { resource: resource.address }
    }))
}

const NOT_SECRETS = new Set(["email", "phone"])

/** Secret rules: `@gauntlet/redaction` detectors over each file's added lines (emails and phone numbers only if named). */
export const detectSecretsIn = (
  detect: Extract<Rule["detect"], { secrets: unknown }>["secrets"],
  files: ReadonlyArray<FileChange>
): ReadonlyArray<Finding> => {
  const wanted =
    detect.types === undefined
      ? (type: string) => !NOT_SECRETS.has(type)
      : (type: string) => detect.types!.includes(type)
  const ignored = new Set(detect.ignore ?? [])
  const findings: Array<Finding> = []
  for (const file of files) {
    if (file.binary === true || file.added.length === 0) continue
    const text = file.added.map((line) => line.text).join("\n")
    for (const found of detectSecrets(text)) {
      if (!wanted(found.type) || ignored.has(found.type)) continue
      const line = file.added[found.line - 1]
      findings.push({
        detail: `a secret (${found.type}) in an added line`,
        location: {
          file: file.path,
          ...(line === undefined ? {} : { line: line.line, column: found.column })
        }
      })
    }
  }
  return findings
}

/** A matched text as it may appear in a message: secrets redacted, clipped to 80 characters. */
export const excerpt = (text: string): string => {
  const redacted = redactText(text.trim()).text
  return redacted.length > 80 ? `${redacted.slice(0, 77)}...` : redacted
}
