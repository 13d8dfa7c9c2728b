/**
 * @module @gauntlet/failure
 * The failure taxonomy (DESIGN §4, spec N1 "Failure taxonomy"): ten failure classes, each with a retry disposition,
 * a default repair strategy and a CLI exit code; classifiers that turn causes, HTTP statuses, process exits, messages
 * and anything thrown into a class; failure records and their stable fingerprints.
 */

/** The ten failure classes as a schema and type, their canonical order and a guard. */
export { FAILURE_CLASSES, FailureClass, isFailureClass } from "./internal/classes.js"
/** A classifier's decision (class, disposition, rule, retry delay) and its constructor. */
export { Classification, type ClassificationOptions, classified } from "./internal/classification.js"
/** Cause classification and the normalising entry point for anything thrown. */
export {
  BUILT_IN_TAGS,
  type ClassifyOptions,
  classifyCause,
  classifyUnknown,
  decisiveErrorOf
} from "./internal/classify.js"
/** How typed errors declare their class, and the error for failures raised with an explicit class. */
export {
  ClassifiedFailure,
  type DeclaresFailureClass,
  declaredClassOf,
  FailureClassId
} from "./internal/declared.js"
/** Process exit classification. */
export { classifyExit, type ProcessExit } from "./internal/exit.js"
/** Failure records: the schema, constructors and message extraction. */
export {
  Failure,
  FailureFingerprint,
  makeFailure,
  messageOf,
  type ToFailureOptions,
  toFailure
} from "./internal/failure.js"
/** Failure fingerprints. */
export { FINGERPRINT_SCHEME, type FingerprintInput, fingerprintOf } from "./internal/fingerprint.js"
/** HTTP status classification and retry-after parsing. */
export {
  classifyHttpStatus,
  type HttpClassifyOptions,
  type HttpHeaders,
  headerValue,
  retryAfterMsOf
} from "./internal/http.js"
/** Message classification and its ordered rule table. */
export { classifyMessage, MESSAGE_RULES } from "./internal/message.js"
/** Message and location normalisation for fingerprints. */
export { normalizeLocation, normalizeMessage } from "./internal/normalize.js"
/** The taxonomy table, dispositions, repair strategies, exit codes and their lookups. */
export {
  classOfExitCode,
  dispositionOf,
  EXIT_CODES,
  exitCodeOf,
  FAILURE_TAXONOMY,
  type FailureClassInfo,
  RepairStrategy,
  RetryDisposition,
  repairStrategyOf
} from "./internal/taxonomy.js"
