import { Schema } from "effect"
import { defineEventType } from "../registry.js"
import {
  AgentStatus,
  Attempt,
  BudgetCharge,
  Count,
  Details,
  Digest,
  DurationMs,
  failureFields,
  Text
} from "./fields.js"

const agentFields = { agent: Text, agentInstanceId: Text } as const

/** An agent instance began work. */
export const agentStarted = defineEventType({
  type: "agent/started",
  version: 1,
  description: "An agent instance (planner, implementer, reviewer, …) began work.",
  payload: Schema.Struct({ ...agentFields, phase: Schema.optional(Text), taskId: Schema.optional(Text) })
})

/** An agent instance finished its work. */
export const agentCompleted = defineEventType({
  type: "agent/completed",
  version: 1,
  description: "An agent instance finished and handed its output on.",
  payload: Schema.Struct({
    ...agentFields,
    durationMs: DurationMs,
    artifacts: Schema.optional(Schema.Array(Text)),
    charged: Schema.optional(BudgetCharge)
  })
})

/** An agent instance failed. */
export const agentFailed = defineEventType({
  type: "agent/failed",
  version: 1,
  description: "An agent instance failed; the runtime classified the failure.",
  payload: Schema.Struct({
    ...agentFields,
    ...failureFields,
    retryCount: Schema.optional(Count),
    charged: Schema.optional(BudgetCharge)
  })
})

/** What an agent is doing right now (throttled by the producer: ≥1 per 5 s while active, ≤3 per s). */
export const agentStatus = defineEventType({
  type: "agent/status",
  version: 1,
  description: "A progress report from an active agent.",
  payload: Schema.Struct({
    ...agentFields,
    status: AgentStatus,
    detail: Schema.optional(Text),
    progressPercent: Schema.optional(Schema.Number.pipe(Schema.between(0, 100)))
  })
})

/** A model call is about to be made (after the budget check). */
export const llmRequest = defineEventType({
  type: "llm/request",
  version: 1,
  description: "A model call passed the budget check and is about to be sent (or replayed from a cassette).",
  payload: Schema.Struct({
    requestId: Text,
    provider: Text,
    model: Text,
    promptDigest: Digest,
    maxOutputTokens: Count,
    estimatedInputTokens: Schema.optional(Count),
    worstCaseCostUsd: Schema.optional(Schema.Number.pipe(Schema.nonNegative())),
    agentInstanceId: Schema.optional(Text),
    phase: Schema.optional(Text),
    attempt: Schema.optional(Attempt),
    promptTemplateId: Schema.optional(Text)
  })
})

/** A model call returned. */
export const llmResponse = defineEventType({
  type: "llm/response",
  version: 1,
  description: "A model call returned; the tokens and cost are charged to the budget.",
  payload: Schema.Struct({
    requestId: Text,
    provider: Text,
    model: Text,
    responseDigest: Digest,
    inputTokens: Count,
    outputTokens: Count,
    costUsd: Schema.Number.pipe(Schema.nonNegative()),
    durationMs: DurationMs,
    source: Schema.Literal("live", "cassette", "cache"),
    finishReason: Schema.optional(Text),
    cachedInputTokens: Schema.optional(Count),
    scripted: Schema.optional(Schema.Boolean)
  })
})

/** The router chose a model for a call (spec N7): the rule, tier, cap and the reasons, in order. */
export const modelRouted = defineEventType({
  type: "model/routed",
  version: 1,
  description:
    "The model router chose a model for a call; the rationale says why, the fallbacks what comes next.",
  payload: Schema.Struct({
    model: Text,
    provider: Text,
    tier: Text,
    strategy: Text,
    rule: Text,
    rationale: Schema.Array(Text),
    fallbacks: Schema.Array(Text),
    capUsd: Schema.optional(Schema.Number.pipe(Schema.nonNegative())),
    phase: Schema.optional(Text),
    attempt: Schema.optional(Attempt),
    escalatedFrom: Schema.optional(Text)
  })
})

/** A tool was invoked. */
export const toolInvoked = defineEventType({
  type: "tool/invoked",
  version: 1,
  description: "A tool was invoked with (redacted) arguments.",
  payload: Schema.Struct({
    invocationId: Text,
    tool: Text,
    args: Details,
    agentInstanceId: Schema.optional(Text)
  })
})

/** A tool invocation ended: succeeded, or failed with a class and reason. */
export const toolCompleted = defineEventType({
  type: "tool/completed",
  version: 1,
  description: "A tool invocation ended; a failed one carries its failure class and reason.",
  payload: Schema.Union(
    Schema.Struct({
      invocationId: Text,
      tool: Text,
      durationMs: DurationMs,
      outcome: Schema.Literal("succeeded"),
      exitCode: Schema.optional(Schema.Int),
      summary: Schema.optional(Text)
    }),
    Schema.Struct({
      invocationId: Text,
      tool: Text,
      durationMs: DurationMs,
      outcome: Schema.Literal("failed"),
      ...failureFields,
      exitCode: Schema.optional(Schema.Int),
      details: Schema.optional(Details)
    })
  )
})
