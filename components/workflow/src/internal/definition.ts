import { BudgetLimits } from "@gauntlet/budget"
import { Schema } from "effect"

/** Any JSON value (present: a missing key does not satisfy it). */
const JsonValue = Schema.Union(
  Schema.Null,
  Schema.Boolean,
  Schema.Number,
  Schema.String,
  Schema.Array(Schema.Unknown),
  Schema.Record({ key: Schema.String, value: Schema.Unknown })
)

/**
 * A data predicate over the run's input (for `skipIf`): `{ pointer, equals }` (the value at the RFC 6901 pointer
 * equals the JSON value), `{ pointer, exists }`, and the combinators `{ all }`, `{ any }`, `{ not }`.
 */
export type SkipPredicate =
  | { readonly pointer: string; readonly equals: typeof JsonValue.Type }
  | { readonly pointer: string; readonly exists: boolean }
  | { readonly all: ReadonlyArray<SkipPredicate> }
  | { readonly any: ReadonlyArray<SkipPredicate> }
  | { readonly not: SkipPredicate }

const Pointer = Schema.String.pipe(
  Schema.filter((s) => s === "" || s.startsWith("/"), {
    message: () => 'a JSON pointer is "" or starts with "/"'
  })
)

/** The `skipIf` predicate schema. */
export const SkipPredicate: Schema.Schema<SkipPredicate> = Schema.Union(
  Schema.Struct({ pointer: Pointer, equals: JsonValue }),
  Schema.Struct({ pointer: Pointer, exists: Schema.Boolean }),
  Schema.Struct({ all: Schema.Array(Schema.suspend((): Schema.Schema<SkipPredicate> => SkipPredicate)) }),
  Schema.Struct({ any: Schema.Array(Schema.suspend((): Schema.Schema<SkipPredicate> => SkipPredicate)) }),
  Schema.Struct({ not: Schema.suspend((): Schema.Schema<SkipPredicate> => SkipPredicate) })
).annotations({ identifier: "SkipPredicate" })

/** The workflow families; `software-factory` has mandatory phases. */
export const WorkflowFamily = Schema.Literal("software-factory", "etl", "custom")
/** A workflow family. */
export type WorkflowFamily = typeof WorkflowFamily.Type

/** A phase name: lowercase letters, digits and dashes, starting with a letter. */
export const PhaseName = Schema.String.pipe(
  Schema.pattern(/^[a-z][a-z0-9-]{0,62}$/, {
    message: () => "a phase name is lowercase letters, digits and dashes, starting with a letter"
  })
)

/** The worst-case use of ONE agent invocation, reserved against the budget before the call. */
export const CallEstimate = Schema.Struct({
  tokens: Schema.optional(Schema.NonNegativeInt),
  costUsd: Schema.optional(Schema.Finite.pipe(Schema.nonNegative())),
  wallMs: Schema.optional(Schema.Finite.pipe(Schema.nonNegative())),
  iterations: Schema.optional(Schema.NonNegativeInt)
})
/** The worst-case use of one agent invocation. */
export type CallEstimate = typeof CallEstimate.Type

/** One phase of a workflow. */
export const PhaseDefinition = Schema.Struct({
  name: PhaseName,
  /** The agent id (resolved through the `Agents` registry). */
  agent: Schema.String.pipe(Schema.minLength(1)),
  /** Gate names (resolved through the `Gates` registry), run L0→L4 after every agent output. */
  gates: Schema.Array(Schema.String.pipe(Schema.minLength(1))),
  /** Limits of the `run/phase:<name>` budget scope. */
  budget: Schema.optional(BudgetLimits),
  /** The inner-loop budget: attempts before the phase escalates (default 3). */
  maxAttempts: Schema.optional(Schema.Int.pipe(Schema.between(1, 50))),
  /**
   * Stagnation: escalate as soon as this many consecutive attempts fail with the same failure fingerprint (class +
   * normalized reason + gate), instead of spending the rest of `maxAttempts` on repairs that change nothing.
   */
  stagnationLimit: Schema.optional(Schema.Int.pipe(Schema.between(2, 50))),
  /** Wall-clock bound of one agent invocation. */
  timeoutMs: Schema.optional(Schema.Int.pipe(Schema.positive())),
  /** Worst case of one invocation, reserved before each call (default `{ iterations: 1 }`). */
  estimate: Schema.optional(CallEstimate),
  /** An optional phase may be skipped by `skipIf`; never in software-factory's mandatory phases. */
  optional: Schema.optional(Schema.Boolean),
  /** Skip the phase when this predicate over the run input holds (the phase must be `optional`). */
  skipIf: Schema.optional(SkipPredicate)
})
/** One phase of a workflow. */
export type PhaseDefinition = typeof PhaseDefinition.Type

/** A workflow definition (N2 "Workflow definitions"): JSON- or YAML-loadable. */
export const WorkflowDefinition = Schema.Struct({
  id: Schema.String.pipe(Schema.pattern(/^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/)),
  version: Schema.String.pipe(Schema.minLength(1)),
  family: WorkflowFamily,
  description: Schema.optional(Schema.String),
  phases: Schema.Array(PhaseDefinition).pipe(Schema.minItems(1)),
  /** Limits of the `run` budget scope. */
  budget: BudgetLimits
}).annotations({ identifier: "WorkflowDefinition", title: "Workflow definition (N2)" })
/** A workflow definition. */
export type WorkflowDefinition = typeof WorkflowDefinition.Type

/** The phases software-factory workflows must have, in this order, never optional or skippable. */
export const SOFTWARE_FACTORY_MANDATORY = ["plan", "implement", "verify", "review"] as const

/** The default inner-loop budget of a phase. */
export const DEFAULT_MAX_ATTEMPTS = 3
