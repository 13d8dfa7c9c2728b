import type { RunEvent } from "@gauntlet/event-stream"

/** A policy pack a run asked for, by digest. */
export interface PackRef {
  readonly id: string
  readonly version: string
  readonly digest: string
}

/** A prompt template the run used, by digest. */
export interface PromptTemplateRef {
  readonly id: string
  readonly digest: string
}

/** A named output of a run with its digest (`sha256:<hex>`), the phase and agent that produced it. */
export interface ArtifactRef {
  readonly name: string
  readonly digest: string
  readonly phase?: string
  readonly agent?: string
}

/** A commit a run produced. */
export interface CommitRef {
  readonly name: string
  readonly sha: string
}

/**
 * What the events do not say and the caller may add: requested packs, base commit, prompt templates, routing table,
 * named artifacts and commits, the kernel version. Every field is optional.
 */
export interface EvidenceContext {
  readonly kernelVersion?: string
  readonly intent?: string
  readonly specDigest?: string
  readonly requestedPacks?: ReadonlyArray<PackRef>
  readonly baseCommit?: string
  readonly repository?: string
  readonly promptTemplates?: ReadonlyArray<PromptTemplateRef>
  readonly routingTableDigest?: string
  readonly artifacts?: ReadonlyArray<ArtifactRef>
  readonly commits?: ReadonlyArray<CommitRef>
}

/** One gate evaluation read from `gate/passed|failed` (with the phase and attempt it ran in). */
export interface GateEvaluation {
  readonly seq: number
  readonly time: string
  readonly gate: string
  readonly layer: string
  readonly phase: string | undefined
  readonly attempt: number | undefined
  readonly result: "pass" | "warn" | "fail"
  readonly failedClosed: boolean
  readonly failureClass: string | undefined
  readonly reason: string | undefined
  readonly violations: ReadonlyArray<Record<string, unknown>>
  readonly durationMs: number | undefined
}

/** One model call from `llm/request` and its `llm/response` (absent when the call never returned). */
export interface LlmCall {
  readonly request: RunEvent
  readonly response: RunEvent | undefined
}

/** One approval (requested, then granted or rejected) or one override (a forced resume). */
export interface ApprovalFact {
  readonly kind: "approval" | "override"
  readonly id: string
  readonly requestedAt: string | undefined
  readonly subject: string | undefined
  readonly gate: string | undefined
  readonly decision: "granted" | "rejected" | "pending" | "forced"
  readonly actor: string | undefined
  readonly method: string | undefined
  readonly scope: string
  readonly justification: string | undefined
  readonly time: string | undefined
}

/** The terminal status of a run as evidence reports it. */
export type EvidenceStatus =
  | "completed"
  | "failed"
  | "cancelled"
  | "budget-exhausted"
  | "rejected"
  | "incomplete"

/** Everything a bundle says, read from the run's events (pure). */
export interface RunFacts {
  readonly runId: string
  readonly workflow: string | undefined
  readonly workflowVersion: string | undefined
  readonly intent: string | undefined
  readonly specDigest: string | undefined
  readonly startedOn: string
  readonly finishedOn: string
  readonly anchor: { readonly firstHash: string; readonly lastHash: string; readonly count: number }
  readonly phases: ReadonlyArray<{
    readonly phase: string
    readonly attempts: number
    readonly agent?: string
  }>
  readonly artifacts: ReadonlyArray<ArtifactRef>
  readonly gates: ReadonlyArray<GateEvaluation>
  readonly llmCalls: ReadonlyArray<LlmCall>
  readonly models: ReadonlyArray<{ readonly provider: string; readonly model: string }>
  readonly approvals: ReadonlyArray<ApprovalFact>
  readonly outcome: {
    readonly status: EvidenceStatus
    readonly failureClass?: string
    readonly reason?: string
    readonly phase?: string
  }
}

const str = (v: unknown): string | undefined => (typeof v === "string" ? v : undefined)
const num = (v: unknown): number | undefined => (typeof v === "number" ? v : undefined)

/** Reads the facts of a run from its events in seq order (the caller guarantees at least one event). */
export const factsOf = (runId: string, events: ReadonlyArray<RunEvent>): RunFacts => {
  const first = events[0]!
  const last = events[events.length - 1]!
  let workflow: string | undefined
  let workflowVersion: string | undefined
  let intent: string | undefined
  let specDigest: string | undefined
  const phases = new Map<string, { phase: string; attempts: number; agent?: string }>()
  const currentAttempt = new Map<string, number>()
  const gateStartedIn = new Map<string, string | undefined>()
  const artifacts: Array<ArtifactRef> = []
  const seenArtifacts = new Set<string>()
  const gates: Array<GateEvaluation> = []
  const requests = new Map<string, LlmCall>()
  const models = new Map<string, { provider: string; model: string }>()
  const approvals = new Map<string, ApprovalFact>()
  let activePhase: string | undefined
  let outcome: RunFacts["outcome"] = { status: "incomplete" }
  let rejected = false

  for (const e of events) {
    const p = e.payload
    switch (e.type) {
      case "workflow/started":
        workflow = str(p.workflow)
        workflowVersion = str(p.workflowVersion)
        intent =
          str(p.intent) ??
          (p.inputs !== null && typeof p.inputs === "object"
            ? str((p.inputs as Record<string, unknown>).intent)
            : undefined)
        specDigest = str(p.specDigest)
        break
      case "phase/started": {
        const phase = str(p.phase) ?? "?"
        activePhase = phase
        const entry = phases.get(phase) ?? { phase, attempts: 0 }
        const agent = str(p.agent)
        phases.set(phase, {
          phase,
          attempts: entry.attempts + 1,
          ...(agent ? { agent } : entry.agent ? { agent: entry.agent } : {})
        })
        currentAttempt.set(phase, num(p.attempt) ?? entry.attempts + 1)
        break
      }
      case "phase/completed": {
        const phase = str(p.phase) ?? "?"
        const list = Array.isArray(p.artifacts) ? p.artifacts : []
        list.forEach((a, i) => {
          if (typeof a !== "string" || seenArtifacts.has(a)) return
          seenArtifacts.add(a)
          const agent = phases.get(phase)?.agent
          artifacts.push({
            name: `${phase}/artifact-${i + 1}`,
            digest: a,
            phase,
            ...(agent ? { agent } : {})
          })
        })
        break
      }
      case "gate/started":
        gateStartedIn.set(str(p.gate) ?? "?", str(p.phase) ?? activePhase)
        break
      case "gate/passed":
      case "gate/failed": {
        const gate = str(p.gate) ?? "?"
        const phase = gateStartedIn.has(gate) ? gateStartedIn.get(gate) : activePhase
        const passed = e.type === "gate/passed"
        const warnings = Array.isArray(p.warnings) ? p.warnings : []
        const violations = passed ? warnings : Array.isArray(p.violations) ? p.violations : []
        gates.push({
          seq: e.seq,
          time: e.time,
          gate,
          layer: str(p.layer) ?? "?",
          phase,
          attempt: phase === undefined ? undefined : currentAttempt.get(phase),
          result: passed ? (warnings.length > 0 ? "warn" : "pass") : "fail",
          failedClosed: p.failedClosed === true,
          failureClass: str(p.failureClass),
          reason: str(p.reason),
          violations: violations.filter(
            (v): v is Record<string, unknown> => v !== null && typeof v === "object"
          ),
          durationMs: num(p.durationMs)
        })
        break
      }
      case "llm/request":
        requests.set(str(p.requestId) ?? `seq-${e.seq}`, { request: e, response: undefined })
        break
      case "llm/response": {
        const id = str(p.requestId) ?? `seq-${e.seq}`
        const open = requests.get(id)
        if (open !== undefined) requests.set(id, { request: open.request, response: e })
        const provider = str(p.provider)
        const model = str(p.model)
        if (provider && model) models.set(`${provider}/${model}`, { provider, model })
        break
      }
      case "model/routed": {
        const provider = str(p.provider)
        const model = str(p.model)
        if (provider && model) models.set(`${provider}/${model}`, { provider, model })
        break
      }
      case "approval/requested": {
        const id = str(p.approvalId) ?? `seq-${e.seq}`
        approvals.set(id, {
          kind: "approval",
          id,
          requestedAt: e.time,
          subject: str(p.subject),
          gate: str(p.gate),
          decision: "pending",
          actor: undefined,
          method: undefined,
          scope: str(p.subject) ?? "run",
          justification: str(p.reason),
          time: undefined
        })
        break
      }
      case "approval/granted":
      case "approval/rejected": {
        const id = str(p.approvalId) ?? `seq-${e.seq}`
        const before = approvals.get(id)
        const granted = e.type === "approval/granted"
        if (!granted) rejected = true
        approvals.set(id, {
          kind: "approval",
          id,
          requestedAt: before?.requestedAt,
          subject: before?.subject,
          gate: before?.gate,
          decision: granted ? "granted" : "rejected",
          actor: str(p.approver),
          method: str(p.method),
          scope: before?.scope ?? "run",
          justification: granted ? (str(p.comment) ?? before?.justification) : str(p.reason),
          time: e.time
        })
        break
      }
      case "run/resumed":
        if (p.forced === true) {
          const id = `override-${e.seq}`
          approvals.set(id, {
            kind: "override",
            id,
            requestedAt: undefined,
            subject: "spec-changed",
            gate: undefined,
            decision: "forced",
            actor: str(p.resumedBy) ?? e.actor,
            method: "human",
            scope: str(p.fromPhase) ?? "run",
            justification: str(p.reason),
            time: e.time
          })
        }
        break
      case "workflow/completed":
        outcome = { status: "completed" }
        break
      case "workflow/failed": {
        const failureClass = str(p.failureClass)
        const status: EvidenceStatus = rejected
          ? "rejected"
          : failureClass === "resource"
            ? "budget-exhausted"
            : "failed"
        outcome = {
          status,
          ...(failureClass ? { failureClass } : {}),
          ...(str(p.reason) ? { reason: str(p.reason)! } : {}),
          ...(str(p.phase) ? { phase: str(p.phase)! } : {})
        }
        break
      }
      case "workflow/cancelled":
        outcome = {
          status: "cancelled",
          ...(str(p.reason) ? { reason: str(p.reason)! } : {}),
          ...(str(p.phase) ? { phase: str(p.phase)! } : {})
        }
        break
    }
  }

  return {
    runId,
    workflow,
    workflowVersion,
    intent,
    specDigest,
    startedOn: first.time,
    finishedOn: last.time,
    anchor: { firstHash: first.hash, lastHash: last.hash, count: events.length },
    phases: [...phases.values()],
    artifacts,
    gates,
    llmCalls: [...requests.values()],
    models: [...models.values()],
    approvals: [...approvals.values()],
    outcome
  }
}
