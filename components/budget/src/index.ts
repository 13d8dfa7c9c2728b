/**
 * @module @gauntlet/budget
 * Hierarchical budgets (DESIGN §4 "Budgets", spec N2 "Budgets"): limits on tokens, cost, active wall time and
 * iterations for a run, its phases and their calls, kept as plain JSON in the run's checkpoint. Reserve a
 * worst-case estimate before spending, commit the actual, release on failure; the `BudgetLedger` service does it
 * atomically.
 */

/** The ledger service and its operations. */
export { BudgetLedger, type BudgetLedgerShape } from "./internal/BudgetLedger.js"
/** Budget errors: exhaustion (class `resource`) and malformed requests. */
export { BudgetExhausted, BudgetOperation, InvalidBudgetRequest } from "./internal/errors.js"
/** Worst-case estimates of a model call. */
export { type CallPricing, worstCaseCost, worstCaseEstimate } from "./internal/estimate.js"
/** The pure budget operations over a `BudgetState`. */
export {
  type CommitRequest,
  chargeOpenReservations,
  commit,
  openReservations,
  type ReserveRequest,
  release,
  remaining,
  reserve,
  reservedOf,
  spentOf,
  tryCommit
} from "./internal/ledger.js"
/** Scope paths: `run`, `run/phase:<name>`, `run/phase:<name>/call:<id>`. */
export { callScope, isBudgetScope, phaseScope, RUN_SCOPE, scopeChain } from "./internal/scope.js"
/** The budget state (plain JSON), its construction and decoding. */
export {
  type BudgetPlan,
  BudgetScope,
  BudgetState,
  decodeBudgetState,
  makeBudgetState,
  Reservation,
  ScopeBudget,
  tryMakeBudgetState
} from "./internal/state.js"
/** Limits, amounts, dimensions and the stored (micro-dollar) units. */
export {
  BUDGET_DIMENSIONS,
  BudgetDimension,
  BudgetLimits,
  type BudgetRemaining,
  BudgetUsage,
  StoredLimits,
  StoredUsage
} from "./internal/usage.js"
