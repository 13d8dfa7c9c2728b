import { Schema } from "effect"

/** The run has no events (or no run with that id exists): there is nothing to attest. */
export class NoRunEvidence extends Schema.TaggedError<NoRunEvidence>()("NoRunEvidence", {
  runId: Schema.String
}) {
  override get message() {
    return `run ${this.runId} has no events: nothing to put in an evidence bundle`
  }
}

/** Building, signing, reading or writing a bundle failed; `stage` says where (`sign`, `write`, `read`, `key`). */
export class EvidenceError extends Schema.TaggedError<EvidenceError>()("EvidenceError", {
  runId: Schema.String,
  stage: Schema.Literal("sign", "write", "read", "key", "events"),
  path: Schema.optional(Schema.String),
  detail: Schema.String
}) {
  override get message() {
    return `evidence for run ${this.runId}: ${this.stage} failed${this.path === undefined ? "" : ` (${this.path})`}: ${this.detail}`
  }
}
