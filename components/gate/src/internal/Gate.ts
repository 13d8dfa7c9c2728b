import type { FailureClass } from "@gauntlet/failure"
import { Context, type Effect, Either, Layer } from "effect"
import { DuplicateGate, UnknownGate } from "./errors.js"
import type { GateCheckResult, GateInput, GateLayer } from "./verdict.js"

/**
 * A gate: a named check at one layer of the ladder. `check` may fail with anything, die or hang: `runGates` turns
 * each of those into a blocking `error` verdict (fail closed). `timeoutMs` overrides the runner's timeout;
 * `failureClass` is the class a `fail` verdict of this gate reports (default by layer, see `failureClassOfLayer`).
 */
export interface Gate {
  readonly name: string
  readonly layer: GateLayer
  readonly check: (input: GateInput) => Effect.Effect<GateCheckResult, unknown>
  readonly timeoutMs?: number
  readonly failureClass?: FailureClass
}

/**
 * The class a blocking violation reports by default, per layer: L0 (syntax) and L1 (semantic) — the output is
 * defective, `agent-error` (repairable: fed back to the agent); L2 (policy) and L4 (authorization) — `policy`;
 * L3 (operational: budgets, timeouts, tool health) — `resource`.
 */
export const failureClassOfLayer = (layer: GateLayer): FailureClass => {
  switch (layer) {
    case "L0":
    case "L1":
      return "agent-error"
    case "L2":
    case "L4":
      return "policy"
    case "L3":
      return "resource"
  }
  return "unknown"
}

/** The registry of gates a workflow may name. */
export interface GatesShape {
  /** The gates with these names, in the order named (a name given twice resolves once), or `UnknownGate`. */
  readonly resolve: (names: ReadonlyArray<string>) => Either.Either<ReadonlyArray<Gate>, UnknownGate>
  /** The registered names, in registration order. */
  readonly names: ReadonlyArray<string>
}

/** Builds a registry; two gates with the same name are refused with `DuplicateGate`. */
export const makeGates = (gates: ReadonlyArray<Gate>): Either.Either<GatesShape, DuplicateGate> => {
  const byName = new Map<string, Gate>()
  for (const gate of gates) {
    if (byName.has(gate.name)) return Either.left(new DuplicateGate({ name: gate.name }))
    byName.set(gate.name, gate)
  }
  const names = [...byName.keys()]
  return Either.right({
    names,
    resolve: (requested) => {
      const unique = [...new Set(requested)]
      const unknown = unique.filter((name) => !byName.has(name))
      if (unknown.length > 0) return Either.left(new UnknownGate({ names: unknown, known: names }))
      return Either.right(unique.map((name) => byName.get(name)!))
    }
  })
}

/** The `Gates` registry service. */
export class Gates extends Context.Tag("@gauntlet/gate/Gates")<Gates, GatesShape>() {
  /** A registry holding exactly these gates; fails with `DuplicateGate` when two share a name. */
  static readonly layer = (gates: ReadonlyArray<Gate>): Layer.Layer<Gates, DuplicateGate> =>
    Layer.effect(Gates, makeGates(gates))
}
