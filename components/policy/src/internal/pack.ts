import { GateLayer, Severity } from "@gauntlet/event-stream"
import { Schema } from "effect"

const Text = Schema.String.pipe(Schema.minLength(1))
const Glob = Text.annotations({
  description: "a picomatch glob over repository-relative paths (dot files match)"
})
const Globs = Schema.Array(Glob).pipe(Schema.minItems(1))

/** What a rule decides when it is violated: block the change, ask a human, warn, or only record it. */
export const PolicyAction = Schema.Literal("block", "require-approval", "warn", "audit").annotations({
  identifier: "PolicyAction"
})

/** What a rule decides when it is violated. */
export type PolicyAction = typeof PolicyAction.Type

/** A regular expression as data: ECMAScript source and flags among `i`, `m`, `s`, `u` (matching is managed). */
const RegexSpec = {
  pattern: Text,
  flags: Schema.optional(Schema.String.pipe(Schema.pattern(/^[imsu]*$/)))
}

/** Detection: a regex over each added (or removed) line of every file the rule applies to. */
export const DiffRegexDetect = Schema.Struct({
  diffRegex: Schema.Struct({ ...RegexSpec, lines: Schema.optional(Schema.Literal("added", "removed")) })
}).annotations({ identifier: "DiffRegexDetect" })

/** Where a content regex looks: each file's added text, untrusted or trusted context sources, commands run. */
export const ContentTarget = Schema.Literal("changes", "untrusted-sources", "trusted-sources", "commands")

/** Detection: a regex over whole texts (multi-line): files' added text and/or the context's sources and commands. */
export const ContentRegexDetect = Schema.Struct({
  contentRegex: Schema.Struct({
    ...RegexSpec,
    over: Schema.optional(Schema.Array(ContentTarget).pipe(Schema.minItems(1)))
  })
}).annotations({ identifier: "ContentRegexDetect" })

/** Detection by path: changed paths matching protected globs, or outside the task's declared scope. */
export const PathDetect = Schema.Struct({
  path: Schema.Union(
    Schema.Struct({
      protected: Globs,
      statuses: Schema.optional(Schema.Array(Schema.Literal("added", "modified", "deleted", "renamed")))
    }),
    Schema.Struct({ outsideScope: Schema.Literal(true) })
  )
}).annotations({ identifier: "PathDetect" })

/** What a count rule measures. */
export const CountMetric = Schema.Literal(
  "filesChanged",
  "linesAdded",
  "linesRemoved",
  "deletedTests",
  "skippedTests"
)

/** What a count rule measures. */
export type CountMetric = typeof CountMetric.Type

/** Detection by count: the metric over the files the rule applies to exceeds `max`. */
export const CountDetect = Schema.Struct({
  count: Schema.Struct({
    metric: CountMetric,
    max: Schema.Int.pipe(Schema.nonNegative()),
    testGlobs: Schema.optional(Globs)
  })
}).annotations({ identifier: "CountDetect" })

/** Resource actions an intent rule may forbid. */
export const ForbiddenResourceAction = Schema.Literal("create", "update", "destroy", "replace", "import")

/**
 * Detection by semantic intent: `matchDeclared` — the change's resource counts must fit the declared intent's row
 * of the intent table; `forbid` — resource changes with these actions (optionally only of these resource types,
 * globs over the type) are violations.
 */
export const IntentDetect = Schema.Struct({
  intent: Schema.Union(
    Schema.Struct({ matchDeclared: Schema.Literal(true) }),
    Schema.Struct({
      forbid: Schema.Array(ForbiddenResourceAction).pipe(Schema.minItems(1)),
      resourceTypes: Schema.optional(Globs)
    })
  )
}).annotations({ identifier: "IntentDetect" })

/** Detection: secrets in added lines (the `@gauntlet/redaction` detectors); `types` restricts, `ignore` excludes. */
export const SecretsDetect = Schema.Struct({
  secrets: Schema.Struct({
    types: Schema.optional(Schema.Array(Text).pipe(Schema.minItems(1))),
    ignore: Schema.optional(Schema.Array(Text))
  })
}).annotations({ identifier: "SecretsDetect" })

/**
 * Detection by a check module: a file inside the pack (`.ts`, `.mts`, `.js`, `.mjs`) whose default export is a pure
 * function `(change, context) => Array<{ message, location?, remediation? }>`, run isolated in a worker.
 */
export const CheckDetect = Schema.Struct({
  check: Schema.Struct({
    module: Text,
    timeoutMs: Schema.optional(Schema.Int.pipe(Schema.between(1, 60_000)))
  })
}).annotations({ identifier: "CheckDetect" })

/** How a rule detects a violation: exactly one of the kinds. */
export const Detect = Schema.Union(
  DiffRegexDetect,
  ContentRegexDetect,
  PathDetect,
  CountDetect,
  IntentDetect,
  SecretsDetect,
  CheckDetect
).annotations({ identifier: "Detect" })

/** How a rule detects a violation. */
export type Detect = typeof Detect.Type

/** Where a rule applies: phases (none = all) and path globs (none = all files), minus excluded globs. */
export const AppliesTo = Schema.Struct({
  phases: Schema.optional(Schema.Array(Text)),
  paths: Schema.optional(Globs),
  excludePaths: Schema.optional(Globs)
}).annotations({ identifier: "AppliesTo" })

/** A rule id: lowercase letters, digits and `.`, `_`, `-`, `/`. */
export const RuleId = Schema.String.pipe(Schema.pattern(/^[a-z0-9][a-z0-9._/-]{0,127}$/)).annotations({
  identifier: "RuleId"
})

/** One rule of a pack. */
export const Rule = Schema.Struct({
  id: RuleId,
  layer: GateLayer,
  severity: Severity,
  action: PolicyAction,
  appliesTo: Schema.optional(AppliesTo),
  detect: Detect,
  message: Text,
  remediation: Text,
  autoFixable: Schema.optional(Schema.Boolean),
  documentation: Schema.optional(Text)
}).annotations({ identifier: "PolicyRule" })

/** One rule of a pack. */
export type Rule = typeof Rule.Type

/** A pack id: `namespace/name`, lowercase. */
export const PackId = Schema.String.pipe(
  Schema.pattern(/^[a-z0-9][a-z0-9-]{0,63}\/[a-z0-9][a-z0-9._-]{0,63}$/)
).annotations({
  identifier: "PackId"
})

/** A semantic version (semver 2.0.0). */
export const SemVer = Schema.String.pipe(
  Schema.pattern(
    /^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)(?:-[0-9A-Za-z-]+(?:\.[0-9A-Za-z-]+)*)?(?:\+[0-9A-Za-z-]+(?:\.[0-9A-Za-z-]+)*)?$/
  )
).annotations({ identifier: "SemVer" })

/** A parent pack: its id and a semver range (`^1.2.0`, `>=1 <3`, an exact `1.4.2`). */
export const PackParent = Schema.Struct({ id: PackId, range: Text }).annotations({ identifier: "PackParent" })

/** The pack manifest (`pack.json`): id, version, description, parents, rules. */
export const PolicyPack = Schema.Struct({
  id: PackId,
  version: SemVer,
  description: Text,
  extends: Schema.optional(Schema.Array(PackParent)),
  rules: Schema.Array(Rule)
}).annotations({ identifier: "PolicyPack", title: "Gauntlet policy pack (pack.json)" })

/** The pack manifest. */
export type PolicyPack = typeof PolicyPack.Type

/** `id@version` of a pack. */
export const packRef = (pack: Pick<PolicyPack, "id" | "version">): string => `${pack.id}@${pack.version}`

/** A pack as loaded: the manifest and the compiled source of each check module it names (by module path). */
export interface LoadedPack {
  readonly pack: PolicyPack
  readonly dir?: string
  readonly checks: Readonly<Record<string, string>>
}

/** The order of severities, strictest first. */
export const SEVERITY_ORDER = ["critical", "high", "medium", "low", "info"] as const

/** The order of actions, strictest first. */
export const ACTION_ORDER: ReadonlyArray<PolicyAction> = ["block", "require-approval", "warn", "audit"]
