/**
 * @module @gauntlet/failure
 * The failure taxonomy (DESIGN §4, spec N1 "Failure taxonomy"): ten failure classes, each with a retry disposition,
 * a default repair strategy and a CLI exit code; classifiers that turn causes, HTTP statuses, process exits and
 * messages into a class; and stable failure fingerprints.
 */

/** The ten failure classes as a schema and type, their canonical order and a guard. */
export { FAILURE_CLASSES, FailureClass, isFailureClass } from "./internal/classes.js"
