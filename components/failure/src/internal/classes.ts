import { Schema } from "effect"

/**
 * The ten failure classes of the Gauntlet taxonomy (DESIGN §4, N1 "Failure taxonomy"). Every failure the runtime
 * observes is classified into exactly one of them; the class, not the agent, decides retry and repair.
 */
export const FailureClass = Schema.Literal(
  "agent-error",
  "task-code",
  "tool-error",
  "external",
  "policy",
  "resource",
  "timeout",
  "concurrency",
  "data-integrity",
  "unknown"
).annotations({ identifier: "FailureClass", title: "Failure class" })

/** One of the ten failure classes. */
export type FailureClass = typeof FailureClass.Type

/** The failure classes in their canonical order (the order of their exit codes). */
export const FAILURE_CLASSES: ReadonlyArray<FailureClass> = FailureClass.literals

/** True when the value is one of the ten failure class names. */
export const isFailureClass: (value: unknown) => value is FailureClass = Schema.is(FailureClass)
