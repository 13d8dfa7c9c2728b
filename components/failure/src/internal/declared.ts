import { Option, Predicate, Schema } from "effect"
import { FailureClass, isFailureClass } from "./classes.js"

/**
 * The key under which a typed error declares its failure class, so the runtime classifies it without a table:
 * `get [FailureClassId](): FailureClass { return "concurrency" }` on the error class.
 */
export const FailureClassId: unique symbol = Symbol.for("@gauntlet/failure/FailureClassId")

/** The type of `FailureClassId`. */
export type FailureClassId = typeof FailureClassId

/** A value that declares its own failure class. */
export interface DeclaresFailureClass {
  readonly [FailureClassId]: FailureClass
}

/**
 * The class a value declares: its `[FailureClassId]` member first, else a `failureClass` field holding a class name
 * (failure records and errors that carry their class as data). `None` when it declares none or an invalid one.
 */
export const declaredClassOf = (value: unknown): Option.Option<FailureClass> => {
  if (!Predicate.isObject(value)) return Option.none()
  const bySymbol = (value as { readonly [FailureClassId]?: unknown })[FailureClassId]
  if (isFailureClass(bySymbol)) return Option.some(bySymbol)
  const byField = (value as { readonly failureClass?: unknown }).failureClass
  return isFailureClass(byField) ? Option.some(byField) : Option.none()
}

/**
 * A failure raised with an explicit class by code that knows it (a gate, a budget, an adapter). `terminal` makes a
 * normally retryable class terminal for this failure; `retryAfterMs` asks for a delay before the retry.
 */
export class ClassifiedFailure extends Schema.TaggedError<ClassifiedFailure>()("ClassifiedFailure", {
  failureClass: FailureClass,
  reason: Schema.String,
  location: Schema.optional(Schema.String),
  terminal: Schema.optional(Schema.Boolean),
  retryAfterMs: Schema.optional(Schema.NonNegativeInt)
}) {
  get [FailureClassId](): FailureClass {
    return this.failureClass
  }

  override get message() {
    return this.location === undefined ? this.reason : `${this.reason} (at ${this.location})`
  }
}
