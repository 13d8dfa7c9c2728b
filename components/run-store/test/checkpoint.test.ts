import { describe, expect, it } from "@effect/vitest"
import { isFailureClass } from "@gauntlet/failure"
import {
  type ApprovalRecord,
  CheckpointConflict,
  checkApprovalChange,
  checkNewRun,
  checkRecordInput,
  isResumable,
  matchesListFilter,
  nextRunRecord,
  RESUMABLE_STATUSES,
  type RunRecord,
  RunStatus,
  versionConflict
} from "@gauntlet/run-store"
import { Either, Option } from "effect"
import fc from "fast-check"

const run: RunRecord = {
  runId: "r",
  workflowId: "w",
  workflowVersion: "1",
  specDigest: "",
  status: "running",
  state: { a: 1 },
  version: 4,
  eventSeq: 9,
  createdAt: "2026-11-29T10:00:00.000Z",
  updatedAt: "2026-11-29T10:00:00.000Z"
}

const approval: ApprovalRecord = {
  approvalId: "ap",
  runId: "r",
  phase: "release",
  reason: "risky",
  requestedAt: "2026-11-29T10:00:00.000Z",
  status: "pending"
}

const leftOf = <E>(either: Either.Either<unknown, E>): E => {
  if (Either.isRight(either)) throw new Error("expected a refusal")
  return either.left
}

describe("checkRecordInput", () => {
  it("accepts a full checkpoint and encodes JSON columns canonically", () => {
    const checked = Either.getOrThrow(
      checkRecordInput({
        runId: "r",
        events: [{ runId: "r", type: "task/started", actor: "k", payload: {} }],
        run: { status: "running", state: { b: 1, a: 2 }, expectedVersion: 3 },
        nodes: [{ runId: "r", nodeId: "n", status: "failed", attempts: 1, failure: { z: 1, y: [2] } }],
        approvals: [approval]
      })
    )
    expect(checked.stateText).toBe('{"a":2,"b":1}')
    expect(checked.nodes[0]).toMatchObject({ outputText: null, failureText: '{"y":[2],"z":1}' })
    expect(checked.expectedVersion).toBe(3)
  })

  it("names the first bad field with a pointer into the input", () => {
    const cases: ReadonlyArray<[unknown, string, string]> = [
      [
        { runId: "r", events: [{ runId: "x", type: "a/b", actor: "k", payload: {} }] },
        "InvalidEvent",
        "/0/runId"
      ],
      [{ runId: "r", events: [], run: { status: "done", state: {} } }, "InvalidCheckpoint", "/run/status"],
      [
        { runId: "r", events: [], run: { status: "running", state: { f: () => 1 } } },
        "InvalidCheckpoint",
        "/run/state/f"
      ],
      [
        { runId: "r", events: [], nodes: [{ runId: "r", nodeId: "n", status: "running", attempts: -1 }] },
        "InvalidCheckpoint",
        "/nodes/0/attempts"
      ],
      [
        { runId: "r", events: [], approvals: [{ ...approval, requestedAt: "yesterday" }] },
        "InvalidCheckpoint",
        "/approvals/0/requestedAt"
      ],
      [
        { runId: "r", events: [], approvals: [{ ...approval, decidedBy: "bob" }] },
        "InvalidCheckpoint",
        "/approvals/0/decidedBy"
      ]
    ]
    for (const [input, tag, pointer] of cases) {
      const error = leftOf(checkRecordInput(input as never))
      expect(error._tag).toBe(tag)
      expect(error.pointer).toBe(pointer)
    }
  })
})

describe("approvals and versions", () => {
  const decided: ApprovalRecord = {
    ...approval,
    status: "rejected",
    decidedBy: "policy:pii",
    method: "policy",
    decidedAt: "2026-11-29T10:01:00.000Z"
  }

  it("a pending approval may be decided; a decided one only re-written unchanged", () => {
    expect(Either.isRight(checkApprovalChange(0, Option.none(), approval))).toBe(true)
    expect(Either.isRight(checkApprovalChange(0, Option.some(approval), decided))).toBe(true)
    expect(Either.isRight(checkApprovalChange(0, Option.some(decided), decided))).toBe(true)
    const error = leftOf(checkApprovalChange(2, Option.some(decided), { ...decided, status: "approved" }))
    expect(error.pointer).toBe("/approvals/2/status")
    expect(error.message).toContain("already rejected by policy:pii")
    const rewritten = leftOf(checkApprovalChange(0, Option.some(approval), { ...approval, reason: "other" }))
    expect(rewritten.pointer).toBe("/approvals/0/reason")
  })

  it("CheckpointConflict is a concurrency failure naming both versions", () => {
    expect(Option.isNone(versionConflict(run, undefined))).toBe(true)
    expect(Option.isNone(versionConflict(run, 4))).toBe(true)
    const conflict = Option.getOrThrow(versionConflict(run, 3))
    expect(conflict).toBeInstanceOf(CheckpointConflict)
    expect(conflict.message).toBe("run r: expected checkpoint version 3, found 4")
    const declared = (conflict as unknown as Record<symbol, unknown>)[
      Symbol.for("@gauntlet/failure/FailureClassId")
    ]
    expect(isFailureClass(declared) && declared).toBe("concurrency")
  })

  it("nextRunRecord bumps the version by exactly one and keeps status/state unless given", () => {
    fc.assert(
      fc.property(
        fc.option(fc.constantFrom(...RunStatus.literals), { nil: undefined }),
        fc.jsonValue(),
        fc.nat(),
        (status, state, eventSeq) => {
          const next = nextRunRecord(
            run,
            { runId: "r", events: [], ...(status === undefined ? {} : { run: { status, state } }) },
            eventSeq,
            "2026-11-29T11:00:00.000Z"
          )
          expect(next.version).toBe(run.version + 1)
          expect(next.eventSeq).toBe(eventSeq)
          expect(next.status).toBe(status ?? run.status)
          expect(next.state).toEqual(status === undefined ? run.state : state)
          expect(next.createdAt).toBe(run.createdAt)
        }
      )
    )
  })
})

describe("runs", () => {
  it("resumable means running, paused or awaiting-approval, and list filters agree with it", () => {
    expect([...RESUMABLE_STATUSES].sort()).toEqual(["awaiting-approval", "paused", "running"])
    for (const status of RunStatus.literals) {
      const r = { ...run, status }
      expect(matchesListFilter(r, { resumable: true })).toBe(isResumable(status))
      expect(matchesListFilter(r, { resumable: false })).toBe(!isResumable(status))
      expect(matchesListFilter(r, { status })).toBe(true)
      expect(matchesListFilter(r, { status: [] })).toBe(false)
    }
  })

  it("checkNewRun builds version 0 with status pending by default and refuses bad ids", () => {
    const created = Either.getOrThrow(
      checkNewRun(
        { runId: "r", workflowId: "w", workflowVersion: "1", specDigest: "", state: [] },
        run.createdAt
      )
    )
    expect(created.record).toMatchObject({
      status: "pending",
      version: 0,
      eventSeq: 0,
      updatedAt: run.createdAt
    })
    expect(created.stateText).toBe("[]")
    const error = leftOf(
      checkNewRun(
        { runId: "", workflowId: "w", workflowVersion: "1", specDigest: "", state: [] },
        run.createdAt
      )
    )
    expect(error.pointer).toBe("/runId")
  })
})
