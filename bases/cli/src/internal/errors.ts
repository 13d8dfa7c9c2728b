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
  path: Schema.String
}) {
  override get message() {
    return `no run "${this.runId}" in event store ${this.path} (list runs with: gauntlet events runs --db ${this.path})`
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
