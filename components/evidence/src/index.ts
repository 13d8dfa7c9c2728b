/**
 * @module @gauntlet/evidence
 * Evidence bundles (spec N6): on every terminal state of a run, a JSON Lines file of DSSE-signed (Ed25519) in-toto
 * Statements v1 — SLSA Provenance v1, one gate result per gate evaluation, the LLM ledger, approvals and overrides,
 * the outcome and an index — redacted before signing, anchored to the run's event chain, verified offline with the
 * first broken link named; queries (artifact provenance, run trace, intent mismatches) and json/md/html export.
 */

/** Building and signing a bundle. */
export {
  type BuildEvidenceInput,
  buildEvidenceBundle,
  bundleText,
  type EvidenceBundle
} from "./internal/bundle.js"
/** The library side of `gauntlet evidence show|verify|export` and reading a verifier's public key file. */
export { exportEvidenceFile, readVerifierKey, showEvidence, verifyEvidenceFile } from "./internal/commands.js"
/** The signing key service, the terminal hook and writing a run's bundle from its stored events. */
export {
  DEFAULT_KEY_DIR,
  EvidenceHook,
  type EvidenceHookOptions,
  EvidenceKey,
  writeRunEvidence
} from "./internal/EvidenceHook.js"
/** Tagged errors: a run without events; a sign/write/read/key/events failure. */
export { EvidenceError, NoRunEvidence } from "./internal/errors.js"
/** Export of a bundle as json, md or self-contained html. */
export { type EvidenceReport, type ExportFormat, escapeHtml, exportEvidence } from "./internal/export.js"
/** What a bundle says about a run, read from its events, and the context callers may add. */
export type {
  ApprovalFact,
  ArtifactRef,
  CommitRef,
  EvidenceContext,
  EvidenceStatus,
  GateEvaluation,
  LlmCall,
  PackRef,
  PromptTemplateRef,
  RunFacts
} from "./internal/facts.js"
/** Reading a run's facts from its events (pure). */
export { factsOf } from "./internal/facts.js"
/** Bundle files: paths, atomic write (with the public keys), read. */
export { bundlePath, publicKeyPath, readEvidenceBundle, writeEvidenceBundle } from "./internal/files.js"
/** Predicate types, the Gauntlet build type and builder id, file naming. */
export {
  APPROVALS_V1,
  BUNDLE_INDEX_V1,
  BUNDLE_SUFFIX,
  DEFAULT_EVIDENCE_DIR,
  GATE_RESULT_V1,
  GAUNTLET_BUILD_TYPE,
  GAUNTLET_BUILDER_ID,
  LLM_LEDGER_V1,
  RUN_OUTCOME_V1,
  RUN_SUBJECT_PREFIX,
  SLSA_PROVENANCE_V1
} from "./internal/predicates.js"
/** Queries over bundles: a run's trace, an artifact's provenance, intent mismatches in a time range. */
export {
  type ArtifactProvenance,
  artifactProvenance,
  type IntentMismatch,
  intentMismatches,
  type RunTrace,
  runTrace,
  type TraceGate
} from "./internal/queries.js"
/** An EventLog wrapper that redacts every payload before it is stored. */
export { RedactingEventLog } from "./internal/RedactingEventLog.js"
/** The statements of a bundle in their fixed order (unsigned, redacted). */
export { DEFAULT_KERNEL_VERSION, statementsOf } from "./internal/statements.js"
/** Verifying a bundle offline; reading its statements. */
export {
  type BundleProblem,
  type BundleVerification,
  readBundleStatements,
  statementDigest,
  type VerifyEvidenceInput,
  verifyEvidenceBundle
} from "./internal/verify.js"
