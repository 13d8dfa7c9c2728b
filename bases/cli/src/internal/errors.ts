import { Schema } from "effect"

/** The event store file does not exist (the CLI never creates a store just to read it). */
export class StoreNotFound extends Schema.TaggedError<StoreNotFound>()("StoreNotFound", {
  path: Schema.String
}) {
  override get message() {
    return `no event store at ${this.path} (pass --db <path> or run from the directory holding .gauntlet/state.db)`
  }
}

/** The store exists but holds no event of the requested run. */
export class RunNotFound extends Schema.TaggedError<RunNotFound>()("RunNotFound", {
  runId: Schema.String,
  path: Schema.String,
  /** The command that lists the runs the reader could have meant (default `gauntlet events runs`). */
  lister: Schema.optional(Schema.String)
}) {
  override get message() {
    return `no run "${this.runId}" in event store ${this.path} (list runs with: ${this.lister ?? "gauntlet events runs"} --db ${this.path})`
  }
}

/** `events verify` found a break in a run's hash chain. */
export class ChainBroken extends Schema.TaggedError<ChainBroken>()("ChainBroken", {
  runId: Schema.String,
  path: Schema.String,
  brokenSeq: Schema.Number,
  reason: Schema.String,
  detail: Schema.String
}) {
  override get message() {
    return `event chain of run "${this.runId}" in ${this.path} is broken at seq ${this.brokenSeq} (${this.reason}): ${this.detail}`
  }
}

/** A command-line value that parses but makes no sense (e.g. `--from-seq 0`). */
export class InvalidOptionValue extends Schema.TaggedError<InvalidOptionValue>()("InvalidOptionValue", {
  option: Schema.String,
  value: Schema.String,
  reason: Schema.String
}) {
  override get message() {
    return `invalid value for ${this.option}: ${this.value} (${this.reason})`
  }
}

/** Writing to stdout failed for a reason other than a closed pipe. */
export class OutputFailure extends Schema.TaggedError<OutputFailure>()("OutputFailure", {
  detail: Schema.String
}) {
  override get message() {
    return `cannot write output: ${this.detail}`
  }
}

/** The golden conformance suite ran and some cases failed (or were skipped in certified mode). */
export class ConformanceFailed extends Schema.TaggedError<ConformanceFailed>()("ConformanceFailed", {
  dir: Schema.String,
  failed: Schema.Number,
  skipped: Schema.Number
}) {
  override get message() {
    return `conformance suite ${this.dir}: ${this.failed} case(s) failed, ${this.skipped} skipped`
  }
}

/** A workflow run ended `failed`: the process exits with the code of its failure class. */
export class RunFailed extends Schema.TaggedError<RunFailed>()("RunFailed", {
  runId: Schema.String,
  failureClass: Schema.String,
  reason: Schema.String,
  phase: Schema.optional(Schema.String)
}) {
  override get message() {
    const where = this.phase === undefined ? "" : ` in phase ${this.phase}`
    return `run ${this.runId} failed${where} (${this.failureClass}): ${this.reason}`
  }
}

/** A run stopped without finishing (awaiting approval, paused by someone else, cancelled); `exitCode` is documented. */
export class RunStopped extends Schema.TaggedError<RunStopped>()("RunStopped", {
  runId: Schema.String,
  status: Schema.String,
  hint: Schema.String,
  exitCode: Schema.Number
}) {
  override get message() {
    return `run ${this.runId} is ${this.status}: ${this.hint}`
  }
}

/** The run exists but was not started by this CLI, so its agents cannot be rebuilt here. */
export class NotLaunchedHere extends Schema.TaggedError<NotLaunchedHere>()("NotLaunchedHere", {
  runId: Schema.String,
  path: Schema.String
}) {
  override get message() {
    return `run ${this.runId} in ${this.path} has no launch record (it was not started with gauntlet workflow run), so its agents cannot be rebuilt`
  }
}

/** `runs approve|reject` on a run with no pending approval. */
export class NoPendingApproval extends Schema.TaggedError<NoPendingApproval>()("NoPendingApproval", {
  runId: Schema.String,
  status: Schema.String
}) {
  override get message() {
    return `run ${this.runId} has no pending approval (status ${this.status})`
  }
}

/** The checkpoint projection and the fold of the stored events disagree: the store is inconsistent. */
export class ProjectionMismatch extends Schema.TaggedError<ProjectionMismatch>()("ProjectionMismatch", {
  runId: Schema.String,
  path: Schema.String,
  field: Schema.String,
  checkpoint: Schema.String,
  events: Schema.String
}) {
  override get message() {
    return `run ${this.runId} in ${this.path}: checkpoint and events disagree on ${this.field} (checkpoint ${this.checkpoint}, events ${this.events})`
  }
}

/** `--input` / `--input-file` is not JSON. */
export class InvalidInput extends Schema.TaggedError<InvalidInput>()("InvalidInput", {
  source: Schema.String,
  detail: Schema.String
}) {
  override get message() {
    return `run input ${this.source} is not valid JSON: ${this.detail}`
  }
}

/** `resume` of a run that waits for a decision: it continues through `runs approve` (or ends with `runs reject`). */
export class RunAwaitsApproval extends Schema.TaggedError<RunAwaitsApproval>()("RunAwaitsApproval", {
  runId: Schema.String,
  approvalId: Schema.String,
  phase: Schema.String
}) {
  override get message() {
    return `run ${this.runId} awaits approval ${this.approvalId} (phase ${this.phase}): decide it with gauntlet runs approve|reject ${this.runId} --by <you> --reason <why>; resume is for paused or interrupted runs`
  }
}
