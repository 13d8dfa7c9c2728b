import { describe, expect, it } from "@effect/vitest"
import { classifyUnknown } from "@gauntlet/failure"
import { Either } from "effect"
import {
  BudgetExhausted,
  type BudgetState,
  callScope,
  chargeOpenReservations,
  commit,
  decodeBudgetState,
  InvalidBudgetRequest,
  makeBudgetState,
  phaseScope,
  release,
  remaining,
  reserve,
  reservedOf,
  spentOf,
  tryCommit,
  tryMakeBudgetState,
  worstCaseCost,
  worstCaseEstimate
} from "../src/index.js"

const ok = (result: Either.Either<BudgetState, unknown>): BudgetState => {
  if (Either.isLeft(result)) throw new Error(`expected a reservation, got ${String(result.left)}`)
  return result.right
}

const refusal = (result: Either.Either<BudgetState, unknown>) => {
  if (Either.isRight(result)) throw new Error("expected a refusal")
  return result.left
}

const base = () =>
  makeBudgetState({ run: { tokens: 1000, costUsd: 1, iterations: 5 }, phases: { plan: { tokens: 400 } } })

describe("makeBudgetState", () => {
  it("creates run and phase scopes with stored limits and nothing spent", () => {
    expect(base()).toEqual({
      version: 1,
      scopes: {
        run: {
          limits: { tokens: 1000, costMicroUsd: 1_000_000, iterations: 5 },
          spent: { tokens: 0, costMicroUsd: 0, wallMs: 0, iterations: 0 }
        },
        "run/phase:plan": {
          limits: { tokens: 400 },
          spent: { tokens: 0, costMicroUsd: 0, wallMs: 0, iterations: 0 }
        }
      },
      reservations: {}
    })
  })

  it("refuses malformed limits with a pointer", () => {
    const bad = refusal(tryMakeBudgetState({ run: {}, phases: { plan: { tokens: -1 } } }))
    expect(bad).toBeInstanceOf(InvalidBudgetRequest)
    expect((bad as InvalidBudgetRequest).pointer).toBe("/phases/plan/tokens")
    const typo = refusal(tryMakeBudgetState({ run: { costUSD: 3 } as never }))
    expect((typo as InvalidBudgetRequest).pointer).toBe("/run/costUSD")
    const slash = refusal(tryMakeBudgetState({ run: {}, phases: { "a/b": {} } }))
    expect((slash as InvalidBudgetRequest).reason).toContain("no '/'")
    expect(() => makeBudgetState({ run: { iterations: 1.5 } })).toThrow(InvalidBudgetRequest)
  })

  it("rounds cost limits down to whole micro-dollars", () => {
    const state = makeBudgetState({ run: { costUsd: 0.0000019 } })
    expect(state.scopes.run?.limits.costMicroUsd).toBe(1)
  })
})

describe("reserve", () => {
  it("reserves within the scope and its ancestors, creating the call scope", () => {
    const s = ok(
      reserve(base(), { scope: callScope("plan", "c1"), id: "c1", estimate: { tokens: 300, costUsd: 0.5 } })
    )
    expect(s.reservations.c1).toEqual({
      scope: "run/phase:plan/call:c1",
      estimate: { tokens: 300, costMicroUsd: 500_000, wallMs: 0, iterations: 0 }
    })
    expect(s.scopes["run/phase:plan/call:c1"]?.transient).toBe(true)
    expect(reservedOf(s, "run")).toEqual({ tokens: 300, costUsd: 0.5, wallMs: 0, iterations: 0 })
    expect(remaining(s, phaseScope("plan"))).toEqual({
      tokens: 100,
      costUsd: 0.5,
      wallMs: Number.POSITIVE_INFINITY,
      iterations: 5
    })
  })

  it("refuses a call before it is made when its worst case exceeds the phase, naming scope and dimension", () => {
    const s = ok(reserve(base(), { scope: callScope("plan", "c1"), id: "c1", estimate: { tokens: 300 } }))
    const e = refusal(reserve(s, { scope: callScope("plan", "c2"), id: "c2", estimate: { tokens: 101 } }))
    expect(e).toEqual(
      new BudgetExhausted({
        scope: "run/phase:plan",
        dimension: "tokens",
        limit: 400,
        spent: 0,
        reserved: 300,
        requested: 101
      })
    )
    expect((e as BudgetExhausted).message).toBe(
      "budget exhausted: run/phase:plan tokens: limit 400, spent 0 (+300 reserved), requested 101"
    )
  })

  it("reports the outermost short scope first", () => {
    const e = refusal(reserve(base(), { scope: phaseScope("plan"), id: "x", estimate: { tokens: 5000 } }))
    expect(e).toMatchObject({ scope: "run", dimension: "tokens", requested: 5000 })
  })

  it("an overspent dimension refuses the next reservation, even one asking for none of it", () => {
    let s = ok(reserve(base(), { scope: phaseScope("plan"), id: "a", estimate: { tokens: 100 } }))
    s = commit(s, { id: "a", actual: { tokens: 450 } })
    expect(spentOf(s, phaseScope("plan")).tokens).toBe(450)
    expect(remaining(s, phaseScope("plan")).tokens).toBe(0)
    const e = refusal(reserve(s, { scope: phaseScope("plan"), id: "b", estimate: { iterations: 1 } }))
    expect(e).toMatchObject({ scope: "run/phase:plan", dimension: "tokens", spent: 450, requested: 0 })
  })

  it("refuses malformed requests without changing the state", () => {
    const s = base()
    expect(refusal(reserve(s, { scope: "phase:plan", id: "a", estimate: {} }))).toMatchObject({
      _tag: "InvalidBudgetRequest",
      pointer: "/scope"
    })
    expect(refusal(reserve(s, { scope: "run", id: "a", estimate: { tokens: -3 } }))).toMatchObject({
      pointer: "/estimate/tokens"
    })
    expect(refusal(reserve(s, { scope: "run", id: "a", estimate: { costUsd: Number.NaN } }))).toMatchObject({
      pointer: "/estimate/costUsd"
    })
    const once = ok(reserve(s, { scope: "run", id: "a", estimate: {} }))
    expect(refusal(reserve(once, { scope: "run", id: "a", estimate: {} }))).toMatchObject({ pointer: "/id" })
  })

  it("BudgetExhausted is classified resource", () => {
    const e = new BudgetExhausted({
      scope: "run",
      dimension: "costUsd",
      limit: 1,
      spent: 1,
      reserved: 0,
      requested: 0
    })
    expect(classifyUnknown(e).failureClass).toBe("resource")
    expect(classifyUnknown(e).disposition).toBe("terminal")
  })
})

describe("commit and release", () => {
  it("commits the actual to the scope and all ancestors and drops the transient call scope", () => {
    let s = ok(
      reserve(base(), { scope: callScope("plan", "c1"), id: "c1", estimate: { tokens: 300, costUsd: 0.5 } })
    )
    s = commit(s, { id: "c1", actual: { tokens: 120, costUsd: 0.000123 } })
    expect(s.reservations).toEqual({})
    expect(s.scopes["run/phase:plan/call:c1"]).toBeUndefined()
    expect(spentOf(s, "run")).toEqual({ tokens: 120, costUsd: 0.000123, wallMs: 0, iterations: 0 })
    expect(spentOf(s, phaseScope("plan"))).toEqual({
      tokens: 120,
      costUsd: 0.000123,
      wallMs: 0,
      iterations: 0
    })
  })

  it("adds money without float drift", () => {
    let s = makeBudgetState({ run: {} })
    for (let i = 0; i < 10; i++) s = commit(s, { actual: { costUsd: 0.1 } })
    expect(spentOf(s, "run").costUsd).toBe(1)
    expect(s.scopes.run?.spent.costMicroUsd).toBe(1_000_000)
  })

  it("charges a sub-micro-dollar amount up to one micro-dollar", () => {
    const s = commit(makeBudgetState({ run: {} }), { actual: { costUsd: 0.0000001 } })
    expect(s.scopes.run?.spent.costMicroUsd).toBe(1)
  })

  it("records wall time without a reservation (the engine's active-time report)", () => {
    let s = commit(base(), { scope: phaseScope("plan"), actual: { wallMs: 1500.2 } })
    s = commit(s, { actual: { wallMs: 10 } })
    expect(spentOf(s, phaseScope("plan")).wallMs).toBe(1501)
    expect(spentOf(s, "run").wallMs).toBe(1511)
  })

  it("refuses a commit whose scope contradicts its reservation, and malformed amounts", () => {
    const s = ok(reserve(base(), { scope: phaseScope("plan"), id: "a", estimate: {} }))
    expect(refusal(tryCommit(s, { id: "a", scope: "run", actual: {} }))).toMatchObject({ pointer: "/scope" })
    expect(refusal(tryCommit(s, { id: "a", actual: { tokens: 1.5 } }))).toMatchObject({
      pointer: "/actual/tokens"
    })
    expect(() => commit(s, { id: "a", actual: { wallMs: -1 } })).toThrow(InvalidBudgetRequest)
  })

  it("scopes below a transient call scope are transient too (no scope is left without its ancestor)", () => {
    let s = ok(reserve(base(), { scope: callScope("plan", "c1"), id: "c1", estimate: { tokens: 1 } }))
    s = ok(reserve(s, { scope: `${callScope("plan", "c1")}/part:p`, id: "p", estimate: { tokens: 1 } }))
    s = commit(s, { id: "p", actual: { tokens: 1 } })
    expect(Object.keys(s.scopes)).toEqual(["run", "run/phase:plan", "run/phase:plan/call:c1"])
    s = release(s, "c1")
    expect(Object.keys(s.scopes)).toEqual(["run", "run/phase:plan"])
    expect(spentOf(s, phaseScope("plan")).tokens).toBe(1)
    expect(Either.isRight(decodeBudgetState(s))).toBe(true)
  })

  it("release closes a reservation without charging; unknown ids change nothing", () => {
    const s = ok(reserve(base(), { scope: callScope("plan", "c1"), id: "c1", estimate: { tokens: 300 } }))
    const r = release(s, "c1")
    expect(r).toEqual(base())
    expect(release(r, "nope")).toBe(r)
  })

  it("charges open reservations at their estimate on resume", () => {
    const s = ok(
      reserve(base(), { scope: callScope("plan", "c1"), id: "c1", estimate: { tokens: 300, costUsd: 0.25 } })
    )
    const resumed = chargeOpenReservations(s)
    expect(resumed.reservations).toEqual({})
    expect(spentOf(resumed, "run")).toEqual({ tokens: 300, costUsd: 0.25, wallMs: 0, iterations: 0 })
  })
})

describe("state as JSON", () => {
  it("survives a JSON round trip and decodes", () => {
    const s = ok(reserve(base(), { scope: callScope("plan", "c1"), id: "c1", estimate: { tokens: 3 } }))
    const decoded = decodeBudgetState(JSON.parse(JSON.stringify(s)))
    expect(decoded).toEqual(Either.right(s))
  })

  it("refuses a state with a missing ancestor or a fractional micro-dollar, with a pointer", () => {
    const missing = decodeBudgetState({
      version: 1,
      scopes: {
        run: { limits: {}, spent: { tokens: 0, costMicroUsd: 0, wallMs: 0, iterations: 0 } },
        "run/phase:a/call:1": { limits: {}, spent: { tokens: 0, costMicroUsd: 0, wallMs: 0, iterations: 0 } }
      },
      reservations: {}
    })
    expect(refusal(missing as never)).toMatchObject({
      operation: "decode",
      pointer: "/scopes/run~1phase:a~1call:1"
    })
    const fractional = decodeBudgetState({
      version: 1,
      scopes: { run: { limits: {}, spent: { tokens: 0, costMicroUsd: 0.5, wallMs: 0, iterations: 0 } } },
      reservations: {}
    })
    expect(refusal(fractional as never)).toMatchObject({ pointer: "/scopes/run/spent/costMicroUsd" })
    const badScope = decodeBudgetState({
      version: 1,
      scopes: {
        run: { limits: {}, spent: { tokens: 0, costMicroUsd: 0, wallMs: 0, iterations: 0 } },
        "phase:x": { limits: {}, spent: { tokens: 0, costMicroUsd: 0, wallMs: 0, iterations: 0 } }
      },
      reservations: {}
    })
    expect(refusal(badScope as never)).toMatchObject({ pointer: "/scopes/phase:x" })
    expect((refusal(badScope as never) as InvalidBudgetRequest).reason).toContain("is unexpected")
    const extra = decodeBudgetState({ ...base(), budgetVersion: 2 })
    expect(refusal(extra as never)).toMatchObject({ pointer: "/budgetVersion" })
  })
})

describe("worst-case estimates", () => {
  it("prices input and maximum output per million tokens, in whole micro-dollars", () => {
    expect(
      worstCaseCost({ inputTokens: 1200, maxOutputTokens: 4096, inputPerMTok: 3, outputPerMTok: 15 })
    ).toBe(0.06504)
    expect(worstCaseCost({ inputTokens: 1, maxOutputTokens: 0, inputPerMTok: 0.1, outputPerMTok: 0 })).toBe(
      0.000001
    )
    expect(
      worstCaseEstimate({ inputTokens: 10, maxOutputTokens: 90, inputPerMTok: 1, outputPerMTok: 1 })
    ).toEqual({
      tokens: 100,
      costUsd: 0.0001
    })
  })
})
