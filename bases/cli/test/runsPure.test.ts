import type { RunEvent } from "@gauntlet/event-stream"
import { EXIT_CODES } from "@gauntlet/failure"
import { RunFinished, SpecChanged } from "@gauntlet/workflow"
import { describe, expect, it } from "vitest"
import { NoPendingApproval, ProjectionMismatch, RunFailed, RunStopped } from "../src/internal/errors.js"
import { CLI_EXIT_CODES, exitStatusOfError } from "../src/internal/exitStatus.js"
import { firstDifference } from "../src/internal/runs/render.js"
import { consumedSteps } from "../src/internal/runs/steps.js"

let seq = 0
const event = (type: string, payload: Record<string, unknown>): RunEvent => {
  seq++
  return {
    id: `e${seq}`,
    runId: "r",
    seq,
    type,
    time: "2026-11-29T00:00:00.000Z",
    actor: "kernel",
    causationId: null,
    correlationId: "r",
    payload,
    prevHash: null,
    hash: `sha256:${seq}`
  } as RunEvent
}

describe("consumedSteps", () => {
  it("counts answered agent calls per phase; a call charged on recovery (followed by run/resumed) is not", () => {
    const events = [
      event("agent/started", { agentInstanceId: "r/plan/1", phase: "plan" }),
      event("agent/completed", { agentInstanceId: "r/plan/1" }),
      event("agent/started", { agentInstanceId: "r/implement/1", phase: "implement" }),
      event("agent/completed", { agentInstanceId: "r/implement/1" }),
      event("agent/started", { agentInstanceId: "r/implement/2", phase: "implement" }),
      event("agent/failed", { agentInstanceId: "r/implement/2", failureClass: "agent-error" }),
      event("agent/started", { agentInstanceId: "r/implement/3", phase: "implement" }),
      // the process died here; resume charges the open call and records run/resumed in the same step
      event("agent/failed", { agentInstanceId: "r/implement/3", failureClass: "unknown" }),
      event("run/resumed", { reason: "recovered" })
    ]
    expect(consumedSteps(events)).toEqual({ plan: 1, implement: 2 })
    expect(consumedSteps([])).toEqual({})
  })
})

describe("firstDifference", () => {
  it("names the first differing field with both sides, or nothing when equal", () => {
    expect(firstDifference({ a: 1, b: { c: [1, 2] } }, { b: { c: [1, 2] }, a: 1 })).toBeUndefined()
    expect(firstDifference({ a: 1, b: { c: [1, 2] } }, { a: 1, b: { c: [1, 3] } })).toEqual({
      field: "projection.b.c.1",
      left: "2",
      right: "3"
    })
    expect(firstDifference({ a: null }, {})).toEqual({ field: "projection.a", left: "null", right: "absent" })
  })
})

describe("exit codes of the run commands", () => {
  it("maps run endings and refusals to their documented codes", () => {
    expect(exitStatusOfError(new RunFailed({ runId: "r", failureClass: "timeout", reason: "slow" }))).toEqual(
      {
        message: "run r failed (timeout): slow",
        exitCode: EXIT_CODES.timeout
      }
    )
    expect(
      exitStatusOfError(
        new RunStopped({
          runId: "r",
          status: "awaiting-approval",
          hint: "decide",
          exitCode: CLI_EXIT_CODES.awaitingApproval
        })
      ).exitCode
    ).toBe(75)
    expect(exitStatusOfError(new RunFinished({ runId: "r", status: "completed" })).exitCode).toBe(
      EXIT_CODES.policy
    )
    expect(exitStatusOfError(new SpecChanged({ runId: "r", expected: "a", actual: "b" })).exitCode).toBe(
      EXIT_CODES["data-integrity"]
    )
    expect(exitStatusOfError(new NoPendingApproval({ runId: "r", status: "running" })).exitCode).toBe(
      EXIT_CODES.policy
    )
    expect(
      exitStatusOfError(
        new ProjectionMismatch({
          runId: "r",
          path: "/db",
          field: "projection.status",
          checkpoint: "1",
          events: "2"
        })
      ).exitCode
    ).toBe(EXIT_CODES["data-integrity"])
  })
})
