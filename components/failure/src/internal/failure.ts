import { Cause, Option, Predicate, Schema } from "effect"
import { FailureClass } from "./classes.js"
import type { Classification } from "./classification.js"
import { type ClassifyOptions, classifyUnknown, decisiveErrorOf } from "./classify.js"
import { ClassifiedFailure } from "./declared.js"
import { fingerprintOf } from "./fingerprint.js"
import { RetryDisposition } from "./taxonomy.js"

/** A `sha256:<64 lowercase hex>` failure fingerprint. */
export const FailureFingerprint = Schema.String.pipe(
  Schema.pattern(/^sha256:[0-9a-f]{64}$/),
  Schema.annotations({ identifier: "FailureFingerprint" })
)

/**
 * A classified failure as records store it (failure events, failed outcomes, lessons): its class and disposition,
 * the human-readable message, where it happened, its fingerprint, the classifier rule that decided, and the delay
 * the source asked for before a retry.
 */
export const Failure = Schema.Struct({
  failureClass: FailureClass,
  disposition: RetryDisposition,
  message: Schema.String,
  location: Schema.optional(Schema.String),
  fingerprint: FailureFingerprint,
  rule: Schema.String,
  retryAfterMs: Schema.optional(Schema.NonNegativeInt)
}).annotations({ identifier: "Failure", title: "Classified failure" })

/** A classified failure record. */
export type Failure = typeof Failure.Type

/** Builds the failure record of a classification, a message and an optional location (fingerprint included). */
export const makeFailure = (classification: Classification, message: string, location?: string): Failure => {
  const fingerprint = fingerprintOf({ failureClass: classification.failureClass, message, location })
  return {
    failureClass: classification.failureClass,
    disposition: classification.disposition,
    message,
    ...(location === undefined ? {} : { location }),
    fingerprint,
    rule: classification.rule,
    ...(classification.retryAfterMs === undefined ? {} : { retryAfterMs: classification.retryAfterMs })
  }
}

const stringProperty = (value: unknown, key: string): string | undefined =>
  Predicate.hasProperty(value, key) && Predicate.isString(value[key]) ? value[key] : undefined

/** `JSON.stringify` that gives `None` for cycles and BigInts instead of throwing. */
const renderJson = Option.liftThrowable((value: unknown): string | undefined => JSON.stringify(value))

/**
 * The human-readable message of anything thrown: a cause's decisive error (or "interrupted"), a `ClassifiedFailure`'s
 * reason (its location is kept apart), the wrapped error of an `UnknownException`, an error's `message`,
 * an HTTP error's status, a string itself, and a JSON-ish rendering of anything else.
 */
export const messageOf = (thrown: unknown): string => {
  if (Cause.isCause(thrown)) {
    const decisive = decisiveErrorOf(thrown)
    if (Option.isSome(decisive)) return messageOf(decisive.value)
    return Cause.isInterrupted(thrown) ? "interrupted" : "empty cause"
  }
  if (Predicate.isString(thrown)) return thrown
  if (thrown instanceof ClassifiedFailure) return thrown.reason
  if (Cause.isUnknownException(thrown)) return messageOf(thrown.error)
  const message = stringProperty(thrown, "message")
  if (message !== undefined && message !== "") return message
  const tag = stringProperty(thrown, "_tag")
  if (tag !== undefined) return tag
  const status = Predicate.hasProperty(thrown, "status") ? thrown.status : undefined
  if (Predicate.isNumber(status)) return `HTTP ${status}`
  if (thrown === undefined) return "undefined"
  return Option.getOrElse(Option.flatMap(renderJson(thrown), Option.fromNullable), () => String(thrown))
}

/** Options of `toFailure`: classifier options plus where the failure happened. */
export interface ToFailureOptions extends ClassifyOptions {
  readonly location?: string
}

/**
 * Classifies anything thrown or failed and returns its failure record (the runtime's normalising boundary). The
 * location is the option's, else a `location` string the value carries.
 */
export const toFailure = (thrown: unknown, options: ToFailureOptions = {}): Failure => {
  const decisive = Cause.isCause(thrown) ? Option.getOrUndefined(decisiveErrorOf(thrown)) : thrown
  const location = options.location ?? stringProperty(decisive, "location")
  return makeFailure(classifyUnknown(thrown, options), messageOf(thrown), location)
}
