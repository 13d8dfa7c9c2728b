import { describe, expect, it } from "@effect/vitest"
import { Either } from "effect"
import fc from "fast-check"
import {
  BUDGET_DIMENSIONS,
  type BudgetState,
  commit,
  decodeBudgetState,
  makeBudgetState,
  release,
  reserve,
  type StoredUsage
} from "../src/index.js"

const FIELDS = ["tokens", "costMicroUsd", "wallMs", "iterations"] as const satisfies ReadonlyArray<
  keyof typeof StoredUsage.Type
>

const limitsArb = fc.record(
  {
    tokens: fc.integer({ min: 0, max: 5000 }),
    costUsd: fc.integer({ min: 0, max: 5_000_000 }).map((m) => m / 1e6),
    wallMs: fc.integer({ min: 0, max: 5000 }),
    iterations: fc.integer({ min: 0, max: 20 })
  },
  { requiredKeys: [] }
)

const amountArb = fc.record({
  tokens: fc.integer({ min: 0, max: 800 }),
  costUsd: fc.integer({ min: 0, max: 900_000 }).map((m) => m / 1e6),
  wallMs: fc.integer({ min: 0, max: 800 }),
  iterations: fc.integer({ min: 0, max: 3 })
})

const scopeArb = fc.constantFrom(
  "run",
  "run/phase:a",
  "run/phase:b",
  "run/phase:a/call:x",
  "run/phase:b/task:t"
)

type Op =
  | {
      readonly kind: "reserve"
      readonly scope: string
      readonly estimate: typeof amountArb extends fc.Arbitrary<infer T> ? T : never
      readonly fraction: number
    }
  | { readonly kind: "release"; readonly pick: number }

const opArb: fc.Arbitrary<Op> = fc.oneof(
  fc.record({
    kind: fc.constant("reserve" as const),
    scope: scopeArb,
    estimate: amountArb,
    fraction: fc.double({ min: 0, max: 1, noNaN: true })
  }),
  fc.record({ kind: fc.constant("release" as const), pick: fc.nat() })
)

const planArb = fc.record({
  run: limitsArb,
  phases: fc.record({ a: limitsArb, b: limitsArb }, { requiredKeys: [] })
})

/** Spent plus reserved never exceeds any limit, and each ancestor's spending covers its children's. */
const checkInvariants = (state: BudgetState) => {
  // the state stays a valid, decodable checkpoint (run, ancestors and reservation scopes exist)
  expect(decodeBudgetState(JSON.parse(JSON.stringify(state)))).toEqual(Either.right(state))
  const scopes = Object.keys(state.scopes)
  for (const scope of scopes) {
    const budget = state.scopes[scope]!
    for (const field of FIELDS) {
      const limit = budget.limits[field]
      const reserved = Object.values(state.reservations)
        .filter((r) => r.scope === scope || r.scope.startsWith(`${scope}/`))
        .reduce((sum, r) => sum + r.estimate[field], 0)
      if (limit !== undefined) expect(budget.spent[field] + reserved).toBeLessThanOrEqual(limit)
      const children = scopes.filter(
        (s) => s.startsWith(`${scope}/`) && !s.slice(scope.length + 1).includes("/")
      )
      const childSum = children.reduce((sum, c) => sum + state.scopes[c]!.spent[field], 0)
      expect(budget.spent[field]).toBeGreaterThanOrEqual(childSum)
    }
  }
}

describe("budget properties", () => {
  it("spent never exceeds a limit when actual ≤ estimate; ancestors ≥ sum of children; refusals change nothing", () => {
    fc.assert(
      fc.property(planArb, fc.array(opArb, { maxLength: 40 }), (plan, ops) => {
        let state = makeBudgetState(plan)
        let n = 0
        for (const op of ops) {
          if (op.kind === "release") {
            const ids = Object.keys(state.reservations)
            if (ids.length > 0) state = release(state, ids[op.pick % ids.length]!)
          } else {
            const id = `r${n++}`
            const before = JSON.stringify(state)
            const result = reserve(state, { scope: op.scope, id, estimate: op.estimate })
            if (Either.isLeft(result)) {
              expect(result.left._tag).toBe("BudgetExhausted")
              expect(BUDGET_DIMENSIONS).toContain((result.left as { dimension: string }).dimension)
              expect(JSON.stringify(state)).toBe(before)
              continue
            }
            state = result.right
            if (op.fraction < 0.2) continue // leave it open for a while
            const scale = (x: number) => Math.floor(x * op.fraction)
            state = commit(state, {
              id,
              actual: {
                tokens: scale(op.estimate.tokens),
                costUsd: scale(op.estimate.costUsd * 1e6) / 1e6,
                wallMs: scale(op.estimate.wallMs),
                iterations: scale(op.estimate.iterations)
              }
            })
          }
          checkInvariants(state)
        }
      }),
      { numRuns: 300 }
    )
  })

  it("ancestors ≥ sum of children even when actuals exceed estimates", () => {
    fc.assert(
      fc.property(
        planArb,
        fc.array(fc.tuple(scopeArb, amountArb, amountArb), { maxLength: 30 }),
        (plan, steps) => {
          let state = makeBudgetState(plan)
          steps.forEach(([scope, estimate, actual], i) => {
            const result = reserve(state, { scope, id: `r${i}`, estimate })
            state = Either.isRight(result) ? commit(result.right, { id: `r${i}`, actual }) : state
            expect(Either.isRight(decodeBudgetState(state))).toBe(true)
            for (const s of Object.keys(state.scopes)) {
              const parent = s.slice(0, s.lastIndexOf("/"))
              if (s === "run") continue
              for (const field of FIELDS)
                expect(state.scopes[parent]!.spent[field]).toBeGreaterThanOrEqual(
                  state.scopes[s]!.spent[field]
                )
            }
          })
        }
      ),
      { numRuns: 200 }
    )
  })
})
