/**
 * @module @gauntlet/policy
 * Policy packs (spec N4): change sets from git diffs and Terraform plans, semantic intent inference, the pack.json
 * schema, composition with `extends`, evaluation of rules (regexes and check modules isolated in a worker under a
 * time budget, path rules, counts, intent, secrets) into violations that explain themselves, the policy gate, and
 * pack tests that gate publication.
 */

/** Change sets: changed files and lines, resource changes, and their size. */
export {
  ChangedLine,
  ChangeSet,
  changeSize,
  FileChange,
  FileStatus,
  ResourceAction,
  ResourceChange
} from "./internal/changeSet.js"
/** Composition: `resolvePacks(roots, available)` and what it yields. */
export {
  type EffectiveRule,
  type ResolvedPolicy,
  type RuleDefinition,
  type RuleResolution,
  resolvePacks
} from "./internal/compose.js"
/** The evaluation context: phase, scope, intent, sources with trust labels, commands, verify results. */
export { ContextSource, PolicyContext, VerifyResult } from "./internal/context.js"
/** Unified diff (git diff) parsing. */
export { parseUnifiedDiff } from "./internal/diff.js"
/** Typed errors. */
export {
  CompositionError,
  InvalidDiff,
  InvalidPack,
  InvalidTerraformPlan,
  PackIoError,
  PackNotPublishable,
  PolicyEvaluationFailed
} from "./internal/errors.js"
/** Evaluation of packs on a change. */
export { DEFAULT_BUDGET_MS, type EvaluateRequest, evaluatePacks } from "./internal/evaluate.js"
/** The policy gate for `@gauntlet/gate`. */
export {
  gateSeverityOf,
  type PolicyGateOptions,
  PolicyGateOutput,
  policyActionOf,
  policyGate,
  policyGates,
  toGateViolation
} from "./internal/gate.js"
/** Semantic intent: the table, counts and inference over change sets, diffs and Terraform plans. */
export {
  type InferredIntent,
  Intent,
  type IntentCounts,
  inferIntent,
  inferIntentFromCounts,
  intentAllows,
  intentCounts,
  resourceChangesOf
} from "./internal/intent.js"
/** Loading packs from directories or JSON data. */
export { loadPack, loadPackDirectory, packFromJson } from "./internal/load.js"
/** The pack manifest schema (pack.json), rules and detections. */
export {
  AppliesTo,
  CheckDetect,
  ContentRegexDetect,
  ContentTarget,
  CountDetect,
  CountMetric,
  Detect,
  DiffRegexDetect,
  ForbiddenResourceAction,
  IntentDetect,
  type LoadedPack,
  PackId,
  PackParent,
  PathDetect,
  PolicyAction,
  PolicyPack,
  packRef,
  Rule,
  RuleId,
  SecretsDetect,
  SemVer
} from "./internal/pack.js"
/** Results: violations that explain themselves, decisions, and the explanation format. */
export {
  ActionDecision,
  explain,
  PolicyDecision,
  PolicyLocation,
  PolicyResult,
  PolicyViolation,
  Resolution
} from "./internal/result.js"
/** Terraform plan JSON to a change set. */
export { changeSetFromTerraformPlan } from "./internal/terraform.js"
/** Pack tests (`tests/*.json`) and the publication check. */
export {
  assertPublishable,
  PackTestCase,
  type PackTestCaseResult,
  type PackTestReport,
  runPackTests,
  syntheticChange,
  testPack
} from "./internal/testPack.js"
