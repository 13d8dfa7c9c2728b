/** Synthetic, deterministic run event logs (sealed and chained like a store would) for tests and golden cases. */
import { type RunEvent, sealEvent } from "@gauntlet/event-stream"

type Draft = { readonly type: string; readonly actor?: string; readonly payload: Record<string, unknown> }

const hex = (n: number) => n.toString(16).padStart(64, "0")

/** Seals drafts into a chained log: ids `evt-<seq>`, one second apart from 2026-01-01T00:00:00Z. */
export const sealRun = (runId: string, drafts: ReadonlyArray<Draft>): ReadonlyArray<RunEvent> => {
  const out: Array<RunEvent> = []
  let prevHash: string | null = null
  drafts.forEach((d, i) => {
    const sealed = sealEvent({
      id: `evt-${i + 1}`,
      runId,
      seq: i + 1,
      type: d.type,
      time: new Date(Date.UTC(2026, 0, 1) + i * 1000).toISOString(),
      actor: d.actor ?? "engine",
      causationId: null,
      correlationId: runId,
      payload: d.payload,
      prevHash
    })
    prevHash = sealed.event.hash
    out.push(sealed.event)
  })
  return out
}

/** How a synthetic run ends. */
export type SyntheticEnding = "completed" | "failed" | "budget-exhausted" | "rejected" | "cancelled"

/**
 * A run of `phases` phases with one gate each, one model call per phase, one artifact per phase, and the given
 * ending; `padding` extra `agent/status` events per phase (to reach large logs for the benchmark).
 */
export const syntheticRun = (options: {
  readonly runId: string
  readonly ending: SyntheticEnding
  readonly phases?: number
  readonly artifactsPerPhase?: number
  readonly padding?: number
}): ReadonlyArray<RunEvent> => {
  const phases = options.phases ?? 3
  const perPhase = options.artifactsPerPhase ?? 1
  const drafts: Array<Draft> = [
    {
      type: "workflow/started",
      payload: {
        workflow: "demo",
        workflowVersion: "1",
        intent: "add input validation; contact ops@example.com",
        specDigest: `sha256:${hex(1)}`
      }
    }
  ]
  let artifact = 0
  for (let p = 1; p <= phases; p++) {
    const phase = `p${p}`
    const last = p === phases
    drafts.push({ type: "phase/started", payload: { phase, attempt: 1, agent: "bot" } })
    drafts.push({ type: "agent/started", payload: { agent: "bot", agentInstanceId: `bot-${p}`, phase } })
    drafts.push({
      type: "model/routed",
      payload: {
        model: "claude-sonnet",
        provider: "anthropic",
        tier: "standard",
        strategy: "automatic",
        rule: "default",
        rationale: ["default tier"],
        fallbacks: [],
        phase,
        attempt: 1
      }
    })
    drafts.push({
      type: "llm/request",
      payload: {
        requestId: `req-${p}`,
        provider: "anthropic",
        model: "claude-sonnet",
        promptDigest: `sha256:${hex(100 + p)}`,
        maxOutputTokens: 1024,
        phase,
        attempt: 1,
        promptTemplateId: "implement/v1"
      }
    })
    drafts.push({
      type: "llm/response",
      payload: {
        requestId: `req-${p}`,
        provider: "anthropic",
        model: "claude-sonnet",
        responseDigest: `sha256:${hex(200 + p)}`,
        inputTokens: 1000 + p,
        outputTokens: 200 + p,
        costUsd: 0.0125,
        durationMs: 850 + p,
        source: "cassette",
        finishReason: "end_turn"
      }
    })
    for (let i = 0; i < (options.padding ?? 0); i++) {
      drafts.push({
        type: "agent/status",
        payload: { agent: "bot", agentInstanceId: `bot-${p}`, status: "generating", detail: `step ${i}` }
      })
    }
    const artifacts = Array.from({ length: perPhase }, () => `sha256:${hex(1000 + ++artifact)}`)
    drafts.push({
      type: "agent/completed",
      payload: { agent: "bot", agentInstanceId: `bot-${p}`, durationMs: 900, artifacts }
    })
    drafts.push({ type: "gate/started", payload: { gate: "secrets", layer: "L2", phase } })
    const gateFails = last && (options.ending === "failed" || options.ending === "rejected")
    if (gateFails) {
      drafts.push({
        type: "gate/failed",
        payload: {
          gate: "secrets",
          layer: "L2",
          failureClass: "policy",
          reason: "secret in diff",
          violations: [
            {
              ruleId: "no-aws-keys",
              message: `found key ${"AKIA"}IOSFODNN7EXAMPLE in config.ts`,
              severity: "critical",
              pack: "gauntlet/secrets",
              packVersion: "1.2.0",
              location: "config.ts:3"
            }
          ],
          failedClosed: false,
          durationMs: 12
        }
      })
    } else {
      drafts.push({ type: "gate/passed", payload: { gate: "secrets", layer: "L2", durationMs: 11 } })
    }
    if (last && options.ending === "rejected") {
      drafts.push({
        type: "phase/failed",
        payload: { phase, attempt: 1, failureClass: "policy", reason: "gate secrets failed" }
      })
      drafts.push({
        type: "approval/requested",
        payload: {
          approvalId: "appr-1",
          subject: `phase:${phase}`,
          reason: "inner loop exhausted",
          gate: "secrets"
        }
      })
      drafts.push({
        type: "run/paused",
        payload: { reason: "awaiting approval", pausedBy: "engine", approvalId: "appr-1" }
      })
      drafts.push({
        type: "approval/rejected",
        actor: "carol",
        payload: { approvalId: "appr-1", approver: "carol", method: "human", reason: "leaks a credential" }
      })
      drafts.push({
        type: "workflow/failed",
        payload: { failureClass: "policy", reason: "rejected by carol (human): leaks a credential", phase }
      })
      break
    }
    if (last && options.ending === "failed") {
      drafts.push({
        type: "phase/failed",
        payload: { phase, attempt: 1, failureClass: "policy", reason: "gate secrets failed" }
      })
      drafts.push({
        type: "workflow/failed",
        payload: { failureClass: "policy", reason: "gate secrets failed", phase }
      })
      break
    }
    if (last && options.ending === "budget-exhausted") {
      drafts.push({
        type: "phase/failed",
        payload: {
          phase,
          attempt: 1,
          failureClass: "resource",
          reason: "budget exhausted: costUsd 0.05 > 0.04"
        }
      })
      drafts.push({
        type: "workflow/failed",
        payload: { failureClass: "resource", reason: "budget exhausted: costUsd 0.05 > 0.04", phase }
      })
      break
    }
    if (last && options.ending === "cancelled") {
      drafts.push({
        type: "workflow/cancelled",
        actor: "ops",
        payload: { reason: "wrong branch", cancelledBy: "ops", phase }
      })
      break
    }
    drafts.push({ type: "phase/completed", payload: { phase, attempt: 1, durationMs: 1000, artifacts } })
    if (last) drafts.push({ type: "workflow/completed", payload: { durationMs: 5000 } })
  }
  return sealRun(options.runId, drafts)
}
