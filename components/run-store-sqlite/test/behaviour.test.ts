/**
 * The behaviour every run store must show, run against the memory and the SQLite implementation alike.
 */
import { describe, expect, it } from "@effect/vitest"
import { EventLog } from "@gauntlet/event-stream"
import { type ApprovalRecord, RunJournal, RunStore } from "@gauntlet/run-store"
import { Effect, Either, Option } from "effect"
import { doneNode, newRun, started, succeeded } from "./fixtures/drafts.js"
import { implementations } from "./fixtures/stores.js"

const services = Effect.all({ journal: RunJournal, store: RunStore, log: EventLog })

const pendingApproval = (runId: string, approvalId: string): ApprovalRecord => ({
  approvalId,
  runId,
  phase: "release",
  reason: "touches payment code",
  requestedAt: "2026-11-29T10:00:00.000Z",
  status: "pending"
})

for (const impl of implementations) {
  describe(`run store (${impl.name})`, () => {
    const run = <A, E>(effect: Effect.Effect<A, E, RunJournal | RunStore | EventLog>) =>
      Effect.provide(effect, impl.layer)

    it.effect("create starts at version 0; get and list; a second create is DuplicateRun", () =>
      run(
        Effect.gen(function* () {
          const { store, journal } = yield* services
          const created = yield* store.create(newRun("r-1"))
          expect(created).toMatchObject({ runId: "r-1", status: "pending", version: 0, eventSeq: 0 })
          expect(created.createdAt).toBe(created.updatedAt)
          yield* store.create({ ...newRun("r-2"), status: "running" })
          yield* store.create(newRun("r-3"))
          yield* store.create(newRun("r-4"))
          yield* journal.record({ runId: "r-3", events: [], run: { status: "paused", state: { at: 3 } } })
          yield* journal.record({ runId: "r-4", events: [], run: { status: "completed", state: {} } })
          const got = yield* store.get("r-3")
          expect(Option.getOrThrow(got)).toMatchObject({ status: "paused", state: { at: 3 }, version: 1 })
          expect(Option.isNone(yield* store.get("nope"))).toBe(true)
          const ids = (runs: ReadonlyArray<{ runId: string }>) => runs.map((r) => r.runId).sort()
          expect(ids(yield* store.list())).toEqual(["r-1", "r-2", "r-3", "r-4"])
          expect(ids(yield* store.list({ resumable: true }))).toEqual(["r-2", "r-3"])
          expect(ids(yield* store.list({ resumable: false }))).toEqual(["r-1", "r-4"])
          expect(ids(yield* store.list({ status: "completed" }))).toEqual(["r-4"])
          expect(ids(yield* store.list({ status: ["pending", "paused"], resumable: true }))).toEqual(["r-3"])
          const duplicate = yield* Effect.flip(store.create(newRun("r-1")))
          expect(duplicate).toMatchObject({ _tag: "DuplicateRun", runId: "r-1" })
          expect(Option.getOrThrow(yield* store.get("r-1")).state).toEqual({ phase: "plan" })
        })
      )
    )

    it.effect("create refuses a state that is not JSON, with its pointer", () =>
      run(
        Effect.gen(function* () {
          const { store } = yield* services
          const error = yield* Effect.flip(store.create(newRun("r-x", { plan: { when: new Date(0) } })))
          expect(error).toMatchObject({ _tag: "InvalidCheckpoint", runId: "r-x" })
          expect(error._tag === "InvalidCheckpoint" && error.pointer).toBe("/state/plan/when")
          expect(yield* store.list()).toEqual([])
        })
      )
    )

    it.effect("record appends events and writes run and node rows; version and eventSeq move", () =>
      run(
        Effect.gen(function* () {
          const { store, journal, log } = yield* services
          yield* store.create(newRun("r-1"))
          const first = yield* journal.record({
            runId: "r-1",
            events: [started("r-1", "a"), succeeded("r-1", "a")],
            run: { status: "running", state: { done: ["a"] }, expectedVersion: 0 },
            nodes: [
              doneNode("r-1", "a", { rows: 3 }),
              { runId: "r-1", nodeId: "b", status: "running", attempts: 1 }
            ]
          })
          expect(first.version).toBe(1)
          expect(first.eventSeq).toBe(2)
          expect(first.events.map((e) => [e.seq, e.type])).toEqual([
            [1, "task/started"],
            [2, "task/succeeded"]
          ])
          const second = yield* journal.record({
            runId: "r-1",
            events: [succeeded("r-1", "b")],
            nodes: [
              {
                runId: "r-1",
                nodeId: "b",
                status: "failed",
                attempts: 2,
                failure: { failureClass: "timeout", reason: "slow" }
              }
            ],
            expectedVersion: 1
          })
          expect(second).toMatchObject({ version: 2, eventSeq: 3 })
          const stored = Option.getOrThrow(yield* store.get("r-1"))
          expect(stored).toMatchObject({ status: "running", state: { done: ["a"] }, version: 2, eventSeq: 3 })
          expect(yield* store.nodes("r-1")).toEqual([
            { runId: "r-1", nodeId: "a", status: "succeeded", attempts: 1, output: { rows: 3 } },
            {
              runId: "r-1",
              nodeId: "b",
              status: "failed",
              attempts: 2,
              failure: { failureClass: "timeout", reason: "slow" }
            }
          ])
          expect((yield* log.head("r-1")).seq).toBe(3)
          const empty = yield* journal.record({ runId: "r-1", events: [] })
          expect(empty).toMatchObject({ version: 3, eventSeq: 3, events: [] })
        })
      )
    )

    it.effect("an invalid event leaves no event, no checkpoint change and no node row", () =>
      run(
        Effect.gen(function* () {
          const { store, journal, log } = yield* services
          yield* store.create(newRun("r-1"))
          yield* journal.record({
            runId: "r-1",
            events: [started("r-1", "a")],
            nodes: [doneNode("r-1", "a")]
          })
          const before = Option.getOrThrow(yield* store.get("r-1"))
          const badPayload = yield* Effect.flip(
            journal.record({
              runId: "r-1",
              events: [succeeded("r-1", "b"), { ...succeeded("r-1", "c"), payload: { taskId: "c" } }],
              run: { status: "completed", state: { changed: true } },
              nodes: [doneNode("r-1", "b"), doneNode("r-1", "c")]
            })
          )
          expect(badPayload).toMatchObject({ _tag: "InvalidEvent", type: "task/succeeded" })
          expect(badPayload._tag === "InvalidEvent" && badPayload.pointer.startsWith("/1/payload")).toBe(true)
          const unknownType = yield* Effect.flip(
            journal.record({
              runId: "r-1",
              events: [{ runId: "r-1", type: "task/exploded", actor: "kernel", payload: {} }],
              nodes: [doneNode("r-1", "b")]
            })
          )
          expect(unknownType).toMatchObject({ _tag: "UnknownEventType", type: "task/exploded" })
          const otherRun = yield* Effect.flip(
            journal.record({ runId: "r-1", events: [succeeded("r-2", "b")], nodes: [doneNode("r-1", "b")] })
          )
          expect(otherRun).toMatchObject({ _tag: "InvalidEvent", pointer: "/0/runId" })
          expect(Option.getOrThrow(yield* store.get("r-1"))).toEqual(before)
          expect((yield* log.head("r-1")).seq).toBe(1)
          expect((yield* log.head("r-2")).seq).toBe(0)
          expect((yield* store.nodes("r-1")).map((n) => n.nodeId)).toEqual(["a"])
          expect((yield* log.verifyChain("r-1")).ok).toBe(true)
        })
      )
    )

    it.effect("a stale expectedVersion is CheckpointConflict and writes nothing", () =>
      run(
        Effect.gen(function* () {
          const { store, journal, log } = yield* services
          yield* store.create(newRun("r-1"))
          yield* journal.record({
            runId: "r-1",
            events: [started("r-1", "a")],
            run: { status: "running", state: 1 }
          })
          const stale = yield* Effect.flip(
            journal.record({
              runId: "r-1",
              events: [succeeded("r-1", "a")],
              run: { status: "completed", state: 2, expectedVersion: 0 },
              nodes: [doneNode("r-1", "a")]
            })
          )
          expect(stale).toMatchObject({
            _tag: "CheckpointConflict",
            runId: "r-1",
            expectedVersion: 0,
            actualVersion: 1
          })
          expect(Option.getOrThrow(yield* store.get("r-1"))).toMatchObject({
            status: "running",
            state: 1,
            version: 1
          })
          expect((yield* log.head("r-1")).seq).toBe(1)
          expect(yield* store.nodes("r-1")).toEqual([])
        })
      )
    )

    it.effect("record on a run that was never created is RunNotFound and appends nothing", () =>
      run(
        Effect.gen(function* () {
          const { journal, log } = yield* services
          const error = yield* Effect.flip(
            journal.record({ runId: "ghost", events: [started("ghost", "a")] })
          )
          expect(error).toMatchObject({ _tag: "RunNotFound", runId: "ghost" })
          expect((yield* log.head("ghost")).seq).toBe(0)
        })
      )
    )

    it.effect("node rows are checked: another run's node, a non-JSON output, a bad status", () =>
      run(
        Effect.gen(function* () {
          const { store, journal, log } = yield* services
          yield* store.create(newRun("r-1"))
          const cases = [
            { nodes: [doneNode("r-1", "a"), doneNode("r-2", "b")], pointer: "/nodes/1/runId" },
            { nodes: [doneNode("r-1", "a", { n: Number.NaN })], pointer: "/nodes/0/output/n" },
            {
              nodes: [{ runId: "r-1", nodeId: "a", status: "exploded", attempts: 1 }] as never,
              pointer: "/nodes/0/status"
            }
          ]
          for (const { nodes, pointer } of cases) {
            const error = yield* Effect.flip(
              journal.record({ runId: "r-1", events: [started("r-1", "a")], nodes })
            )
            expect(error).toMatchObject({ _tag: "InvalidCheckpoint", runId: "r-1", pointer })
          }
          expect((yield* log.head("r-1")).seq).toBe(0)
          expect(Option.getOrThrow(yield* store.get("r-1")).version).toBe(0)
        })
      )
    )

    it.effect("approvals: requested pending, decided once with who/how/when, never re-decided", () =>
      run(
        Effect.gen(function* () {
          const { store, journal } = yield* services
          yield* store.create(newRun("r-1"))
          yield* store.create(newRun("r-2"))
          const requested = pendingApproval("r-1", "ap-1")
          yield* journal.record({
            runId: "r-1",
            events: [
              {
                runId: "r-1",
                type: "approval/requested",
                actor: "gate:l4",
                payload: { approvalId: "ap-1", subject: "release", reason: requested.reason }
              }
            ],
            run: { status: "awaiting-approval", state: {} },
            approvals: [requested, pendingApproval("r-1", "ap-0")]
          })
          expect(Option.getOrThrow(yield* store.approval("ap-1")).status).toBe("pending")
          expect((yield* store.approvals("r-1")).map((a) => a.approvalId).sort()).toEqual(["ap-0", "ap-1"])
          expect(yield* store.approvals("r-2")).toEqual([])
          const incomplete = yield* Effect.flip(
            journal.record({ runId: "r-1", events: [], approvals: [{ ...requested, status: "approved" }] })
          )
          expect(incomplete).toMatchObject({ _tag: "InvalidCheckpoint", pointer: "/approvals/0/decidedBy" })
          const moved = yield* Effect.flip(
            journal.record({ runId: "r-1", events: [], approvals: [{ ...requested, phase: "plan" }] })
          )
          expect(moved).toMatchObject({ _tag: "InvalidCheckpoint", pointer: "/approvals/0/phase" })
          const approved: ApprovalRecord = {
            ...requested,
            status: "approved",
            decidedBy: "alice",
            method: "human",
            justification: "reviewed the diff",
            decidedAt: "2026-11-29T10:05:00.000Z"
          }
          yield* journal.record({
            runId: "r-1",
            events: [
              {
                runId: "r-1",
                type: "approval/granted",
                actor: "alice",
                payload: { approvalId: "ap-1", approver: "alice", method: "human" }
              }
            ],
            run: { status: "running", state: {} },
            approvals: [approved]
          })
          expect(Option.getOrThrow(yield* store.approval("ap-1"))).toEqual(approved)
          yield* journal.record({ runId: "r-1", events: [], approvals: [approved] })
          const redecided = yield* Effect.flip(
            journal.record({
              runId: "r-1",
              events: [],
              approvals: [{ ...approved, status: "rejected", decidedBy: "mallory" }]
            })
          )
          expect(redecided).toMatchObject({ _tag: "InvalidCheckpoint", pointer: "/approvals/0/status" })
          expect(redecided.message).toContain("already approved by alice")
          const stolen = yield* Effect.flip(
            journal.record({ runId: "r-2", events: [], approvals: [{ ...approved, runId: "r-2" }] })
          )
          expect(stolen).toMatchObject({ _tag: "InvalidCheckpoint", pointer: "/approvals/0/approvalId" })
          const foreign = yield* Effect.flip(
            journal.record({ runId: "r-2", events: [], approvals: [pendingApproval("r-1", "ap-9")] })
          )
          expect(foreign).toMatchObject({ _tag: "InvalidCheckpoint", pointer: "/approvals/0/runId" })
          expect(Option.getOrThrow(yield* store.approval("ap-1"))).toEqual(approved)
          expect(Option.isNone(yield* store.approval("ap-9"))).toBe(true)
          expect(Option.getOrThrow(yield* store.get("r-2")).version).toBe(0)
        })
      )
    )

    it.effect("concurrent writers with the same expectedVersion: exactly one commits", () =>
      run(
        Effect.gen(function* () {
          const { store, journal, log } = yield* services
          yield* store.create(newRun("r-1"))
          const outcomes = yield* Effect.all(
            Array.from({ length: 8 }, (_, i) =>
              Effect.either(
                journal.record({
                  runId: "r-1",
                  events: [succeeded("r-1", `t${i}`)],
                  run: { status: "running", state: { winner: i }, expectedVersion: 0 }
                })
              )
            ),
            { concurrency: "unbounded" }
          )
          const wins = outcomes.filter(Either.isRight)
          expect(wins.length).toBe(1)
          for (const outcome of outcomes) {
            if (Either.isLeft(outcome)) expect(outcome.left._tag).toBe("CheckpointConflict")
          }
          expect((yield* log.head("r-1")).seq).toBe(1)
          expect(Option.getOrThrow(yield* store.get("r-1")).version).toBe(1)
        })
      )
    )
  })
}
