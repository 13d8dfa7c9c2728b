import { Schema } from "effect"
import { IsoTime } from "../envelope.js"
import { defineEventType } from "../registry.js"
import { Attempt, Details, Digest, DurationMs, failureFields, Text } from "./fields.js"

/** A run of a workflow definition began. */
export const workflowStarted = defineEventType({
  type: "workflow/started",
  version: 1,
  description: "A run of a workflow definition began (always seq 1 of a workflow run).",
  payload: Schema.Struct({
    workflow: Text,
    workflowVersion: Schema.optional(Text),
    intent: Schema.optional(Text),
    specDigest: Schema.optional(Digest),
    inputs: Schema.optional(Details)
  })
})

/** The run reached its successful terminal state. */
export const workflowCompleted = defineEventType({
  type: "workflow/completed",
  version: 1,
  description: "The run finished successfully (failure and cancellation have their own events).",
  payload: Schema.Struct({ durationMs: DurationMs, evidenceBundle: Schema.optional(Text) })
})

/** The run reached a failed terminal state. */
export const workflowFailed = defineEventType({
  type: "workflow/failed",
  version: 1,
  description: "The run ended in failure; the class decides the CLI exit code.",
  payload: Schema.Struct({
    ...failureFields,
    phase: Schema.optional(Text),
    durationMs: Schema.optional(DurationMs),
    evidenceBundle: Schema.optional(Text),
    details: Schema.optional(Details)
  })
})

/** The run was cancelled by an operator or a parent. */
export const workflowCancelled = defineEventType({
  type: "workflow/cancelled",
  version: 1,
  description: "The run was stopped on request before reaching another terminal state.",
  payload: Schema.Struct({ reason: Text, cancelledBy: Text, phase: Schema.optional(Text) })
})

/** A phase attempt began. */
export const phaseStarted = defineEventType({
  type: "phase/started",
  version: 1,
  description: "A phase attempt began.",
  payload: Schema.Struct({ phase: Text, attempt: Attempt, agent: Schema.optional(Text) })
})

/** A phase finished successfully. */
export const phaseCompleted = defineEventType({
  type: "phase/completed",
  version: 1,
  description: "A phase finished successfully; its checkpoint is written after this event.",
  payload: Schema.Struct({
    phase: Text,
    attempt: Attempt,
    durationMs: DurationMs,
    artifacts: Schema.optional(Schema.Array(Text))
  })
})

/** A phase failed after its inner loop gave up. */
export const phaseFailed = defineEventType({
  type: "phase/failed",
  version: 1,
  description: "A phase failed (its retry budget is exhausted or the failure is terminal).",
  payload: Schema.Struct({
    ...failureFields,
    phase: Text,
    attempt: Attempt,
    durationMs: Schema.optional(DurationMs)
  })
})

/** A phase was not run. */
export const phaseSkipped = defineEventType({
  type: "phase/skipped",
  version: 1,
  description: "A phase was not run (optional phase not selected, or resume found it already completed).",
  payload: Schema.Struct({ phase: Text, reason: Text })
})

/** The run was paused (awaiting approval, operator request, budget top-up). */
export const runPaused = defineEventType({
  type: "run/paused",
  version: 1,
  description: "The run stopped making progress until it is resumed.",
  payload: Schema.Struct({ reason: Text, pausedBy: Text, approvalId: Schema.optional(Text) })
})

/** The run continued after a pause or a crash. */
export const runResumed = defineEventType({
  type: "run/resumed",
  version: 1,
  description: "The run continued after a pause or from its last checkpoint after a crash.",
  payload: Schema.Struct({
    reason: Text,
    resumedBy: Text,
    fromPhase: Schema.optional(Text),
    specDigest: Schema.optional(Digest),
    forced: Schema.optional(Schema.Boolean)
  })
})

/** A human or policy approval was requested. */
export const approvalRequested = defineEventType({
  type: "approval/requested",
  version: 1,
  description: "A gate or policy needs an approval before the run may continue.",
  payload: Schema.Struct({
    approvalId: Text,
    subject: Text,
    reason: Text,
    gate: Schema.optional(Text),
    requiredApprovers: Schema.optional(Attempt),
    expiresAt: Schema.optional(IsoTime)
  })
})

/** An approval was granted. */
export const approvalGranted = defineEventType({
  type: "approval/granted",
  version: 1,
  description: "An approver granted a requested approval.",
  payload: Schema.Struct({ approvalId: Text, approver: Text, method: Text, comment: Schema.optional(Text) })
})

/** An approval was rejected. */
export const approvalRejected = defineEventType({
  type: "approval/rejected",
  version: 1,
  description: "An approver rejected a requested approval, or it expired (approver `system:expiry`).",
  payload: Schema.Struct({ approvalId: Text, approver: Text, method: Text, reason: Text })
})
