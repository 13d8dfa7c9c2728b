/** `_type`-independent constants of the bundle format (spec N6 "Bundle format"). */

/** SLSA Provenance v1 predicate type. */
export const SLSA_PROVENANCE_V1 = "https://slsa.dev/provenance/v1"
/** The SLSA `buildType` of a Gauntlet run; its parameters are documented in N6 "Provenance". */
export const GAUNTLET_BUILD_TYPE = "https://gauntlet.dev/evidence/run/v1"
/** The builder id prefix (`<prefix>@<kernel version>`). */
export const GAUNTLET_BUILDER_ID = "https://gauntlet.dev/kernel"
/** One statement per gate evaluation. */
export const GATE_RESULT_V1 = "https://gauntlet.dev/attestations/gate-result/v1"
/** The model-call ledger of a run. */
export const LLM_LEDGER_V1 = "https://gauntlet.dev/attestations/llm-ledger/v1"
/** Approvals and overrides of a run. */
export const APPROVALS_V1 = "https://gauntlet.dev/attestations/approvals/v1"
/** How the run ended. */
export const RUN_OUTCOME_V1 = "https://gauntlet.dev/attestations/run-outcome/v1"
/** The last statement: the digest and type of every other statement, in order, and the run anchor. */
export const BUNDLE_INDEX_V1 = "https://gauntlet.dev/attestations/evidence-index/v1"
/** The subject name every statement carries for its run: `gauntlet-run:<runId>`, digest = last event hash. */
export const RUN_SUBJECT_PREFIX = "gauntlet-run:"
/** The bundle file suffix: `<runId>.intoto.jsonl`. */
export const BUNDLE_SUFFIX = ".intoto.jsonl"
/** Default directory of bundles, relative to the working directory. */
export const DEFAULT_EVIDENCE_DIR = ".gauntlet/evidence"
