import { FailureClass } from "@gauntlet/failure"
import { Schema } from "effect"
import { HashString } from "../envelope.js"

/** A non-empty string (names, ids, reasons; phase names: plan, design, implement, verify, review, release, observe or custom). */
export const Text = Schema.String.pipe(Schema.minLength(1))

/** A duration in whole milliseconds. */
export const DurationMs = Schema.Int.pipe(Schema.nonNegative())

/** A non-negative integer count (tokens, retries). */
export const Count = Schema.Int.pipe(Schema.nonNegative())

/** An attempt number, starting at 1. */
export const Attempt = Schema.Int.pipe(Schema.greaterThanOrEqualTo(1))

/** A content digest, `sha256:<hex>`. */
export const Digest = HashString

/** The fields every failure event carries (N3-R6): the runtime's failure class and a human-readable reason. */
export const failureFields = {
  failureClass: FailureClass,
  reason: Text
} as const

/** A validation layer of the gate ladder (N4): L0 syntax … L4 authorization. */
export const GateLayer = Schema.Literal("L0", "L1", "L2", "L3", "L4")

/** Violation severities (one scale for every pack; see the N3 resolved contradictions). */
export const Severity = Schema.Literal("critical", "high", "medium", "low", "info")

/** One rule violation reported by a gate. */
export const Violation = Schema.Struct({
  ruleId: Text,
  message: Text,
  severity: Severity,
  pack: Schema.optional(Text),
  packVersion: Schema.optional(Text),
  location: Schema.optional(Text)
})

/** The eight `agent/status` values (Miniforge N3 §3.3); every one must be accepted. */
export const AgentStatus = Schema.Literal(
  "reading",
  "thinking",
  "generating",
  "validating",
  "repairing",
  "running",
  "waiting",
  "communicating"
)

/** What one unit of work was charged against the run's budget (tokens, USD, wall ms, iterations). */
export const BudgetCharge = Schema.Struct({
  tokens: Schema.Number.pipe(Schema.nonNegative()),
  costUsd: Schema.Number.pipe(Schema.nonNegative()),
  wallMs: Schema.Number.pipe(Schema.nonNegative()),
  iterations: Schema.Number.pipe(Schema.nonNegative())
})

/** Free-form JSON details (objects only). */
export const Details = Schema.Record({ key: Schema.String, value: Schema.Unknown })
