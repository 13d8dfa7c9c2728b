import { GateLayer, Severity } from "@gauntlet/event-stream"
import { Schema } from "effect"
import { PolicyAction } from "./pack.js"

const Text = Schema.String.pipe(Schema.minLength(1))

/** Where a policy violation is: a file (or `source:<name>`, `command`), 1-based line and column, a resource address. */
export const PolicyLocation = Schema.Struct({
  file: Schema.optional(Text),
  line: Schema.optional(Schema.Int),
  column: Schema.optional(Schema.Int),
  pointer: Schema.optional(Schema.String),
  resource: Schema.optional(Text)
}).annotations({ identifier: "PolicyLocation" })

/** Where a policy violation is. */
export type PolicyLocation = typeof PolicyLocation.Type

/**
 * A violation that explains itself: which rule (and which pack@version defined the detection that fired), the
 * rule's effective severity and action after composition, what is wrong, where, and how to fix it. `explanation`
 * is the whole of it as text (N4 message format).
 */
export const PolicyViolation = Schema.Struct({
  ruleId: Text,
  pack: Text,
  layer: GateLayer,
  severity: Severity,
  action: PolicyAction,
  message: Text,
  location: Schema.optional(PolicyLocation),
  remediation: Text,
  autoFixable: Schema.Boolean,
  explanation: Text
}).annotations({ identifier: "PolicyViolation" })

/** A violation that explains itself. */
export type PolicyViolation = typeof PolicyViolation.Type

/** The overall decision: the strictest action among the violations, `allow` when there are none. */
export const PolicyDecision = Schema.Literal(
  "allow",
  "audit",
  "warn",
  "require-approval",
  "block"
).annotations({
  identifier: "PolicyDecision"
})

/** The overall decision. */
export type PolicyDecision = typeof PolicyDecision.Type

/** The rules that led to one action. */
export const ActionDecision = Schema.Struct({
  action: PolicyAction,
  rules: Schema.Array(Text),
  violations: Schema.Int
}).annotations({ identifier: "PolicyActionDecision" })

/** A rule id defined by several packs and how it was resolved. */
export const Resolution = Schema.Struct({
  ruleId: Text,
  definedIn: Schema.Array(Text),
  severity: Severity,
  severityFrom: Text,
  action: PolicyAction,
  actionFrom: Text,
  detections: Schema.Int
}).annotations({ identifier: "PolicyRuleResolution" })

/**
 * The result of evaluating packs on a change: the decision, the violations (in rule order), the decisions per
 * action, the packs (id@version) applied, how rule ids defined twice were resolved, the inferred intent, and how
 * many matches beyond the per-rule cap were not listed.
 */
export const PolicyResult = Schema.Struct({
  decision: PolicyDecision,
  violations: Schema.Array(PolicyViolation),
  decisions: Schema.Array(ActionDecision),
  packs: Schema.Array(Text),
  resolutions: Schema.Array(Resolution),
  intent: Schema.Struct({
    inferred: Schema.Literal("import", "create", "update", "destroy", "refactor", "migrate", "mixed"),
    creates: Schema.Int,
    updates: Schema.Int,
    destroys: Schema.Int,
    imports: Schema.Int
  }),
  omitted: Schema.Int
}).annotations({ identifier: "PolicyResult" })

/** The result of evaluating packs on a change. */
export type PolicyResult = typeof PolicyResult.Type

const formatLocation = (location: PolicyLocation | undefined): string => {
  if (location === undefined) return "the change as a whole"
  const parts = [location.file, location.line, location.line === undefined ? undefined : location.column]
    .filter((part) => part !== undefined)
    .join(":")
  const resource =
    location.resource === undefined
      ? ""
      : parts === ""
        ? `resource ${location.resource}`
        : ` (${location.resource})`
  const pointer = location.pointer === undefined ? "" : `#${location.pointer}`
  return `${parts}${pointer}${resource}` || "the change as a whole"
}

/**
 * The explanation text (N4 message format):
 * `[SEVERITY] Rule: <id> (<pack@version>) → <action>` / `Problem: …` / `Location: …` / `How to fix: …`.
 */
export const explain = (violation: Omit<PolicyViolation, "explanation">): string =>
  [
    `[${violation.severity.toUpperCase()}] Rule: ${violation.ruleId} (${violation.pack}) → ${violation.action}`,
    `Problem: ${violation.message}`,
    `Location: ${formatLocation(violation.location)}`,
    `How to fix: ${violation.remediation}`,
    ...(violation.autoFixable ? ["[Auto-fix available]"] : [])
  ].join("\n")
