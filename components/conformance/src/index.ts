/**
 * @module @gauntlet/conformance
 * The golden conformance runner: data-only cases (`golden/<area>/<case>.json`) keyed to normative requirement ids,
 * validated by ajv against the generated JSON Schema, run through one adapter per area and compared exactly.
 */

/** Typed errors of loading and running golden cases. */
export {
  DuplicateAdapter,
  type GoldenError,
  GoldenFileIssue,
  GoldenIoError,
  GoldenUpdateRefused,
  InvalidGoldenCase
} from "./internal/errors.js"
/** The contract each area implements so the runner can execute its cases. */
export type { GoldenAdapter } from "./internal/GoldenAdapter.js"
/** The golden case schema, its requirement-id schema and pattern, and its JSON Schema (draft 2020-12). */
export {
  GoldenCase,
  goldenCaseJsonSchema,
  JsonValue,
  REQUIREMENT_ID_PATTERN,
  RequirementId
} from "./internal/GoldenCase.js"
/** Exact JSON comparison with JSON-pointer differences. */
export { formatDiff, type JsonDifference, jsonDiff } from "./internal/jsonDiff.js"
/** Reading and validating golden files. */
export { type LoadedGoldenCase, loadGoldenCases, parseGoldenCase } from "./internal/loader.js"
/** Running one case or a whole golden directory, and the UPDATE_GOLDEN / CI switches. */
export {
  adaptersByArea,
  type GoldenCaseOptions,
  type GoldenCaseResult,
  type GoldenCaseStatus,
  type GoldenReport,
  type GoldenRunOptions,
  goldenUpdateRequested,
  refuseUpdateInCi,
  renderGoldenFile,
  runGolden,
  runGoldenCase
} from "./internal/runner.js"
