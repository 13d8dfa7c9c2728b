import { spentOf } from "@gauntlet/budget"
import type { RunEvent } from "@gauntlet/event-stream"
import type { FailureClass } from "@gauntlet/failure"
import type { PhaseStatus, RunCheckpoint } from "./checkpoint.js"
import type { RunState } from "./machine.js"

/** One phase as seen from outside: where it stands and how many attempts it took. */
export interface PhaseView {
  readonly status: PhaseStatus
  readonly attempts: number
}

/** What was spent, in caller units (USD for cost). */
export interface SpentView {
  readonly tokens: number
  readonly costUsd: number
  readonly wallMs: number
  readonly iterations: number
}

/**
 * A run as a pure fold of its events (N2-R33): status, the current phase, every phase that has started or been
 * skipped, the pending approval, the budget spent and, once failed, why. Derivable from the checkpoint too
 * (`projectionOfCheckpoint`); the two always agree.
 */
export interface RunProjection {
  readonly runId: string
  readonly workflowId: string | null
  readonly status: RunState
  readonly currentPhase: string | null
  readonly phases: Readonly<Record<string, PhaseView>>
  readonly pendingApproval: string | null
  readonly budgetSpent: SpentView
  readonly failure: {
    readonly failureClass: FailureClass
    readonly reason: string
    readonly phase?: string
  } | null
}

const str = (payload: Readonly<Record<string, unknown>>, key: string): string | undefined => {
  const value = payload[key]
  return typeof value === "string" ? value : undefined
}

const num = (payload: Readonly<Record<string, unknown>>, key: string): number => {
  const value = payload[key]
  return typeof value === "number" ? value : 0
}

const toMicro = (usd: number): number => Math.round(usd * 1_000_000)

/** Folds a run's events (in seq order) into its projection. Unknown event types are ignored. */
export const foldRunEvents = (runId: string, events: Iterable<RunEvent>): RunProjection => {
  let workflowId: string | null = null
  let status: RunState = "pending"
  let currentPhase: string | null = null
  let pendingApproval: string | null = null
  let failure: RunProjection["failure"] = null
  const phases: Record<string, PhaseView> = {}
  const approvalPhase = new Map<string, string>()
  const spent = { tokens: 0, costMicroUsd: 0, wallMs: 0, iterations: 0 }
  const setPhase = (name: string | undefined, change: Partial<PhaseView>) => {
    if (name === undefined) return
    const current = phases[name] ?? { status: "pending", attempts: 0 }
    phases[name] = { ...current, ...change }
  }
  for (const event of events) {
    const p = event.payload
    switch (event.type) {
      case "workflow/started":
        workflowId = str(p, "workflow") ?? null
        status = "running"
        break
      case "phase/started":
        setPhase(str(p, "phase"), { status: "running", attempts: num(p, "attempt") })
        currentPhase = str(p, "phase") ?? currentPhase
        break
      case "phase/completed":
        setPhase(str(p, "phase"), { status: "succeeded", attempts: num(p, "attempt") })
        break
      case "phase/skipped":
        setPhase(str(p, "phase"), { status: "skipped" })
        currentPhase = str(p, "phase") ?? currentPhase
        break
      case "phase/failed":
        setPhase(str(p, "phase"), { status: "failed" })
        currentPhase = str(p, "phase") ?? currentPhase
        break
      case "agent/completed":
      case "agent/failed": {
        const charged = p.charged
        if (typeof charged === "object" && charged !== null) {
          const c = charged as Record<string, unknown>
          spent.tokens += num(c, "tokens")
          spent.costMicroUsd += toMicro(num(c, "costUsd"))
          spent.wallMs += num(c, "wallMs")
          spent.iterations += num(c, "iterations")
        }
        break
      }
      case "approval/requested": {
        const id = str(p, "approvalId")
        const phase = str(p, "subject")?.replace(/^phase:/, "")
        if (id !== undefined && phase !== undefined) approvalPhase.set(id, phase)
        pendingApproval = id ?? null
        setPhase(phase, { status: "escalated" })
        break
      }
      case "approval/granted":
        setPhase(approvalPhase.get(str(p, "approvalId") ?? ""), { status: "running" })
        pendingApproval = null
        break
      case "approval/rejected":
        setPhase(approvalPhase.get(str(p, "approvalId") ?? ""), { status: "failed" })
        pendingApproval = null
        break
      case "run/paused":
        status = str(p, "approvalId") === undefined ? "paused" : "awaiting-approval"
        break
      case "run/resumed":
        status = "running"
        break
      case "workflow/completed":
        status = "completed"
        currentPhase = null
        break
      case "workflow/failed": {
        status = "failed"
        const phase = str(p, "phase")
        failure = {
          failureClass: str(p, "failureClass") as FailureClass,
          reason: str(p, "reason") ?? "",
          ...(phase === undefined ? {} : { phase })
        }
        break
      }
      case "workflow/cancelled":
        status = "cancelled"
        pendingApproval = null
        break
    }
  }
  return {
    runId,
    workflowId,
    status,
    currentPhase,
    phases,
    pendingApproval,
    budgetSpent: {
      tokens: spent.tokens,
      costUsd: spent.costMicroUsd / 1_000_000,
      wallMs: spent.wallMs,
      iterations: spent.iterations
    },
    failure
  }
}

/** The same projection derived from a run's checkpoint (phases never touched are left out, as in the fold). */
export const projectionOfCheckpoint = (runId: string, checkpoint: RunCheckpoint): RunProjection => {
  const spent = spentOf(checkpoint.budget, "run")
  return {
    runId,
    workflowId: checkpoint.status === "pending" ? null : checkpoint.workflowId,
    status: checkpoint.status,
    currentPhase: checkpoint.currentPhase,
    phases: Object.fromEntries(
      checkpoint.phases
        .filter((p) => p.status !== "pending" || p.attempts > 0)
        .map((p) => [p.name, { status: p.status, attempts: p.attempts }])
    ),
    pendingApproval: checkpoint.pendingApproval,
    budgetSpent: spent,
    failure: checkpoint.failure ?? null
  }
}
