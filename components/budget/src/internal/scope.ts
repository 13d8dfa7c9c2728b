/**
 * Budget scopes are hierarchical paths: `run`, `run/phase:<name>`, `run/phase:<name>/call:<id>` (any
 * `<kind>:<name>` segment is allowed below `run`, e.g. `run/phase:implement/task:api/call:7`). A scope's ancestors
 * are its proper prefixes.
 */

/** The root scope of a run's budget. */
export const RUN_SCOPE = "run"

/** The syntax of a scope path. */
export const SCOPE_PATTERN = /^run(\/[a-z][a-z0-9-]*:[^/]+)*$/

/** Whether `scope` is a well-formed scope path. */
export const isBudgetScope = (scope: string): boolean => SCOPE_PATTERN.test(scope)

/** The scope of a phase: `run/phase:<name>`. */
export const phaseScope = (phase: string): string => `${RUN_SCOPE}/phase:${phase}`

/** The scope of one model call in a phase: `run/phase:<name>/call:<id>`. */
export const callScope = (phase: string, callId: string): string => `${phaseScope(phase)}/call:${callId}`

/** The scope and its ancestors, outermost first: `run`, `run/phase:a`, `run/phase:a/call:1`. */
export const scopeChain = (scope: string): ReadonlyArray<string> => {
  const segments = scope.split("/")
  return segments.map((_, i) => segments.slice(0, i + 1).join("/"))
}

/** The kind of the scope's last segment (`run`, `phase`, `call`, …). */
export const scopeKind = (scope: string): string => {
  const last = scope.slice(scope.lastIndexOf("/") + 1)
  const colon = last.indexOf(":")
  return colon < 0 ? last : last.slice(0, colon)
}

/** Whether `scope` is `ancestor` or lies below it. */
export const isWithin = (scope: string, ancestor: string): boolean =>
  scope === ancestor || scope.startsWith(`${ancestor}/`)
