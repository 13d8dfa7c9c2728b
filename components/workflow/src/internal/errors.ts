import { type FailureClass, FailureClassId } from "@gauntlet/failure"
import { Schema } from "effect"

/**
 * A workflow definition is malformed or breaks a family rule. `pointer` (RFC 6901) is into the definition as
 * written; `source` names the file when it was loaded from one.
 */
export class InvalidWorkflow extends Schema.TaggedError<InvalidWorkflow>()("InvalidWorkflow", {
  pointer: Schema.String,
  reason: Schema.String,
  source: Schema.optional(Schema.String)
}) {
  get [FailureClassId](): FailureClass {
    return "task-code"
  }

  override get message() {
    const where = this.source === undefined ? "" : `${this.source}: `
    return `${where}invalid workflow at ${this.pointer || "/"}: ${this.reason}`
  }
}

/** The run state machine has no transition for this event in this state; nothing changed. */
export class IllegalTransition extends Schema.TaggedError<IllegalTransition>()("IllegalTransition", {
  from: Schema.String,
  event: Schema.String,
  runId: Schema.optional(Schema.String)
}) {
  get [FailureClassId](): FailureClass {
    return "policy"
  }

  override get message() {
    const run = this.runId === undefined ? "" : `run ${this.runId}: `
    return `${run}no transition for event "${this.event}" from state "${this.from}"`
  }
}

/** `resume` (or a control operation) was asked for a run that already reached a terminal state. */
export class RunFinished extends Schema.TaggedError<RunFinished>()("RunFinished", {
  runId: Schema.String,
  status: Schema.String
}) {
  get [FailureClassId](): FailureClass {
    return "policy"
  }

  override get message() {
    return `run ${this.runId} is ${this.status}: a finished run is never resumed (start a new run)`
  }
}

/**
 * The definition + input digest differs from the one the run started with; pass `force` to resume anyway (the
 * forced resume is recorded on the `run/resumed` event).
 */
export class SpecChanged extends Schema.TaggedError<SpecChanged>()("SpecChanged", {
  runId: Schema.String,
  expected: Schema.String,
  actual: Schema.String
}) {
  get [FailureClassId](): FailureClass {
    return "data-integrity"
  }

  override get message() {
    return `run ${this.runId}: the spec changed (started with ${this.expected}, now ${this.actual}); resume with force to continue anyway`
  }
}

/** The run is being executed by this engine right now; it cannot be resumed or recovered twice. */
export class RunActive extends Schema.TaggedError<RunActive>()("RunActive", {
  runId: Schema.String
}) {
  get [FailureClassId](): FailureClass {
    return "concurrency"
  }

  override get message() {
    return `run ${this.runId} is already executing in this engine`
  }
}

/** No approval with this id exists. */
export class ApprovalNotFound extends Schema.TaggedError<ApprovalNotFound>()("ApprovalNotFound", {
  approvalId: Schema.String
}) {
  get [FailureClassId](): FailureClass {
    return "policy"
  }

  override get message() {
    return `no approval ${this.approvalId}`
  }
}

/** The approval was already decided; decisions are final. */
export class ApprovalDecided extends Schema.TaggedError<ApprovalDecided>()("ApprovalDecided", {
  approvalId: Schema.String,
  status: Schema.String
}) {
  get [FailureClassId](): FailureClass {
    return "policy"
  }

  override get message() {
    return `approval ${this.approvalId} is already ${this.status}`
  }
}

/** The run's stored state does not decode as this engine's checkpoint state (corrupt or foreign). */
export class CorruptCheckpoint extends Schema.TaggedError<CorruptCheckpoint>()("CorruptCheckpoint", {
  runId: Schema.String,
  pointer: Schema.String,
  reason: Schema.String
}) {
  get [FailureClassId](): FailureClass {
    return "data-integrity"
  }

  override get message() {
    return `run ${this.runId}: checkpoint state is corrupt at ${this.pointer || "/"}: ${this.reason}`
  }
}

/** A request to the engine is malformed: `field` names what is wrong (`input`, `by`, `reason`, …). */
export class InvalidRequest extends Schema.TaggedError<InvalidRequest>()("InvalidRequest", {
  field: Schema.String,
  reason: Schema.String
}) {
  get [FailureClassId](): FailureClass {
    return "task-code"
  }

  override get message() {
    return `invalid request: ${this.field}: ${this.reason}`
  }
}
