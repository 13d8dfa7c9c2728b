import { Either } from "effect"
import * as fc from "fast-check"
import { describe, expect, it } from "vitest"
import { evaluateSkip, isTerminal, RUN_TRANSITIONS, RunState, RunTrigger, transition } from "../src/index.js"

const states = RunState.literals
const triggers = RunTrigger.literals

describe("the run state machine", () => {
  it.each([
    ["pending", "start", "running"],
    ["running", "phase-succeeded", "running"],
    ["running", "complete", "completed"],
    ["running", "phase-failed", "failed"],
    ["running", "escalate", "awaiting-approval"],
    ["running", "budget-exhausted", "failed"],
    ["running", "pause", "paused"],
    ["running", "cancel", "cancelled"],
    ["running", "recover", "running"],
    ["awaiting-approval", "approve", "running"],
    ["awaiting-approval", "reject", "failed"],
    ["awaiting-approval", "cancel", "cancelled"],
    ["paused", "resume", "running"],
    ["paused", "cancel", "cancelled"]
  ])("%s --%s--> %s", (from, event, to) => {
    expect(transition(RUN_TRANSITIONS, from, event)).toEqual(Either.right(to))
  })

  it.each([
    ["pending", "complete"],
    ["paused", "approve"],
    ["awaiting-approval", "resume"],
    ["awaiting-approval", "pause"],
    ["completed", "start"],
    ["failed", "resume"],
    ["cancelled", "cancel"],
    ["running", "teleport"]
  ])("refuses %s --%s--> with IllegalTransition", (from, event) => {
    const result = transition(RUN_TRANSITIONS, from, event, "run-1")
    expect(Either.isLeft(result)).toBe(true)
    if (Either.isLeft(result)) {
      expect(result.left).toMatchObject({ _tag: "IllegalTransition", from, event, runId: "run-1" })
      expect(result.left.message).toBe(`run run-1: no transition for event "${event}" from state "${from}"`)
    }
  })

  it("is deterministic and total: every (state, trigger) has at most one row; terminal states have none", () => {
    fc.assert(
      fc.property(fc.constantFrom(...states), fc.constantFrom(...triggers), (state, trigger) => {
        const rows = RUN_TRANSITIONS.filter((t) => t.from === state && t.event === trigger)
        expect(rows.length).toBeLessThanOrEqual(1)
        const result = transition(RUN_TRANSITIONS, state, trigger)
        if (isTerminal(state)) expect(Either.isLeft(result)).toBe(true)
        expect(Either.isRight(result)).toBe(rows.length === 1)
      })
    )
  })

  it("reaches every state from pending", () => {
    const seen = new Set<string>(["pending"])
    let grew = true
    while (grew) {
      grew = false
      for (const t of RUN_TRANSITIONS) {
        if (seen.has(t.from) && !seen.has(t.to)) {
          seen.add(t.to)
          grew = true
        }
      }
    }
    expect([...seen].sort()).toEqual([...states].sort())
  })
})

describe("skipIf predicates", () => {
  const input = { dryRun: true, target: { env: "prod" }, tags: ["a", "b"], "a/b": 1 }

  it.each([
    [{ pointer: "/dryRun", equals: true }, true],
    [{ pointer: "/dryRun", equals: false }, false],
    [{ pointer: "/target", equals: { env: "prod" } }, true],
    [{ pointer: "/target/env", exists: true }, true],
    [{ pointer: "/target/region", exists: false }, true],
    [{ pointer: "/tags/1", equals: "b" }, true],
    [{ pointer: "/tags/2", exists: true }, false],
    [{ pointer: "/a~1b", equals: 1 }, true],
    [
      {
        all: [
          { pointer: "/dryRun", equals: true },
          { pointer: "/tags/0", equals: "a" }
        ]
      },
      true
    ],
    [
      {
        any: [
          { pointer: "/dryRun", equals: false },
          { pointer: "/nope", exists: true }
        ]
      },
      false
    ],
    [{ not: { pointer: "/dryRun", equals: true } }, false]
  ] as const)("%j → %s", (predicate, expected) => {
    expect(evaluateSkip(predicate, input)).toBe(expected)
  })
})
