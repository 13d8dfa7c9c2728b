import { Cause, Chunk, Option, Predicate } from "effect"
import type { FailureClass } from "./classes.js"
import { type Classification, classified } from "./classification.js"
import { declaredClassOf } from "./declared.js"
import { classifyExit } from "./exit.js"
import { classifyHttpStatus, type HttpClassifyOptions, type HttpHeaders } from "./http.js"
import { classifyMessage } from "./message.js"

/**
 * Options of `classifyCause` / `classifyUnknown`: `tags` maps further error `_tag`s to classes (they take precedence
 * over the built-in table); `interruptedAs` is the class of an interruption-only cause (default `timeout`); `now`
 * resolves HTTP-date retry-after headers.
 */
export interface ClassifyOptions extends HttpClassifyOptions {
  readonly tags?: Readonly<Record<string, FailureClass>>
  readonly interruptedAs?: FailureClass
}

/** The `_tag`s every runtime knows: Effect's own and @effect/platform's errors whose class does not depend on data. */
export const BUILT_IN_TAGS: Readonly<Record<string, FailureClass>> = {
  TimeoutException: "timeout",
  ParseError: "data-integrity",
  BadArgument: "tool-error"
}

/** @effect/platform `SystemError` reasons. */
const SYSTEM_ERROR_REASONS: Readonly<Record<string, FailureClass>> = {
  AlreadyExists: "concurrency",
  BadResource: "tool-error",
  Busy: "concurrency",
  InvalidData: "data-integrity",
  NotFound: "tool-error",
  PermissionDenied: "tool-error",
  TimedOut: "timeout",
  UnexpectedEof: "data-integrity",
  WouldBlock: "concurrency",
  WriteZero: "resource"
}

const MAX_DEPTH = 8

type Fields = { readonly [key: string]: unknown }

const stringField = (value: Fields, key: string): string | undefined =>
  Predicate.isString(value[key]) ? (value[key] as string) : undefined

const numberField = (value: Fields, key: string): number | undefined =>
  Predicate.isNumber(value[key]) ? (value[key] as number) : undefined

const isMatched = (result: Classification): boolean => result.failureClass !== "unknown"

/** The class a value declares (`[FailureClassId]` or `failureClass`), with its own retry delay and terminal flag. */
const fromDeclared = (value: unknown): Option.Option<Classification> =>
  Option.map(declaredClassOf(value), (failureClass) => {
    const fields = value as Fields
    const terminal = fields.terminal === true || fields.disposition === "terminal"
    return classified(failureClass, "declared", {
      terminal,
      retryAfterMs: numberField(fields, "retryAfterMs")
    })
  })

/** Errors identified by `_tag`: the option table, the built-in table and the @effect/platform errors. */
const fromTag = (value: Fields, options: ClassifyOptions): Option.Option<Classification> => {
  const tag = stringField(value, "_tag")
  if (tag === undefined) return Option.none()
  const mapped = options.tags?.[tag] ?? BUILT_IN_TAGS[tag]
  if (mapped !== undefined) return Option.some(classified(mapped, `tag.${tag}`))
  const reason = stringField(value, "reason")
  if (tag === "SystemError" && reason !== undefined && SYSTEM_ERROR_REASONS[reason] !== undefined) {
    const failureClass = SYSTEM_ERROR_REASONS[reason]
    return Option.some(
      classified(failureClass, `tag.SystemError.${reason}`, { terminal: reason === "PermissionDenied" })
    )
  }
  if (tag === "RequestError" && reason !== undefined) {
    return Option.some(
      reason === "Transport"
        ? classified("external", "tag.RequestError.Transport")
        : classified("tool-error", `tag.RequestError.${reason}`, { terminal: true })
    )
  }
  if (tag === "ResponseError" && reason !== undefined && reason !== "StatusCode") {
    return Option.some(classified("data-integrity", `tag.ResponseError.${reason}`))
  }
  return Option.none()
}

/**
 * HTTP client errors: `status`/`statusCode` 400..599, headers on the error or on its `response`. A 4xx whose `code`,
 * `type` or message says a quota or budget is exhausted (OpenAI's 429 `insufficient_quota`, a 400
 * `context_length_exceeded`) is `resource`: waiting will not refill it.
 */
const fromHttp = (value: Fields, options: ClassifyOptions): Option.Option<Classification> => {
  const response = Predicate.isObject(value.response) ? (value.response as Fields) : undefined
  const status =
    numberField(value, "status") ??
    numberField(value, "statusCode") ??
    (response && numberField(response, "status"))
  if (status === undefined || status < 400 || status > 599) return Option.none()
  if (status < 500) {
    const texts = [stringField(value, "code"), stringField(value, "type"), stringField(value, "message")]
    if (texts.some((text) => text !== undefined && classifyMessage(text).failureClass === "resource")) {
      return Option.some(classified("resource", `http.${status}.exhausted`))
    }
  }
  const headers = (value.headers ?? response?.headers) as HttpHeaders | undefined
  return Option.some(classifyHttpStatus(status, Predicate.isObject(headers) ? headers : undefined, options))
}

/** Child-process errors (Node `exec`, execa, `spawnSync` results): exit code, signal, time-out flag. */
const fromProcess = (value: Fields): Option.Option<Classification> => {
  if (value.timedOut === true) return Option.some(classified("timeout", "exit.timed-out"))
  const exitCode = numberField(value, "exitCode")
  const signal = stringField(value, "signal")
  const reportsSignal = signal !== undefined || value.signal === null
  if (exitCode === undefined && !reportsSignal) return Option.none()
  const code = exitCode ?? numberField(value, "code") ?? numberField(value, "status")
  if (code === undefined && signal === undefined) return Option.none()
  return Option.some(classifyExit({ code: code ?? null, signal: signal ?? null }))
}

const classifyValue = (value: unknown, options: ClassifyOptions, depth: number): Classification => {
  if (Cause.isCause(value)) return classifyCauseAt(value, options, depth)
  if (Predicate.isString(value)) return classifyMessage(value)
  if (!Predicate.isObject(value)) return classified("unknown", "unknown.unrecognised")
  const fields = value as Fields
  const structural = Option.orElse(fromDeclared(value), () =>
    Option.orElse(fromTag(fields, options), () =>
      Option.orElse(fromProcess(fields), () => fromHttp(fields, options))
    )
  )
  if (Option.isSome(structural)) return structural.value
  const name = stringField(fields, "name")
  if (name === "TimeoutError") return classified("timeout", "name.TimeoutError")
  if (name === "AbortError")
    return classified(options.interruptedAs ?? "timeout", "name.AbortError", { terminal: true })
  const code = stringField(fields, "code")
  if (code !== undefined) {
    const byCode = classifyMessage(code)
    if (isMatched(byCode)) return byCode
  }
  const message = stringField(fields, "message")
  if (message !== undefined) {
    const byMessage = classifyMessage(message)
    if (isMatched(byMessage)) return byMessage
  }
  if ("cause" in fields && depth < MAX_DEPTH) {
    const byCause = classifyValue(fields.cause, options, depth + 1)
    if (isMatched(byCause)) return byCause
  }
  return classified("unknown", message === undefined ? "unknown.unrecognised" : "message.unmatched")
}

/**
 * The one normalising entry point (spec N1-R4): classifies anything that was thrown or failed — an Effect `Cause`,
 * an error declaring its class, a tagged error, an HTTP client error, a child-process error, a Node system error, an
 * `Error` by its message and then its `cause` chain, or a string. Whatever nothing recognises is `unknown`.
 */
export const classifyUnknown = (thrown: unknown, options: ClassifyOptions = {}): Classification =>
  classifyValue(thrown, options, 0)

/** The error that decides a cause's class: its first typed failure, else its first defect. */
export const decisiveErrorOf = (cause: Cause.Cause<unknown>): Option.Option<unknown> =>
  Option.orElse(Chunk.head(Cause.failures(cause)), () => Chunk.head(Cause.defects(cause)))

/**
 * Classifies an Effect `Cause` (spec N1-R5). A typed failure decides first (by its declared class, its `_tag`, then
 * its shape and message); else a defect (classified the same way; an unrecognised defect is `unknown`, rule
 * `cause.defect`). A cause that holds only interruptions was stopped from outside — a deadline, a budget, an
 * operator: it is `interruptedAs` (default `timeout`) and always terminal, so it is never retried automatically.
 */
export const classifyCause = (cause: Cause.Cause<unknown>, options: ClassifyOptions = {}): Classification =>
  classifyCauseAt(cause, options, 0)

function classifyCauseAt(
  cause: Cause.Cause<unknown>,
  options: ClassifyOptions,
  depth: number
): Classification {
  const failure = Chunk.head(Cause.failures(cause))
  if (Option.isSome(failure)) return classifyValue(failure.value, options, depth + 1)
  const defect = Chunk.head(Cause.defects(cause))
  if (Option.isSome(defect)) {
    const result = classifyValue(defect.value, options, depth + 1)
    return isMatched(result) ? result : classified("unknown", "cause.defect")
  }
  if (Cause.isInterrupted(cause)) {
    return classified(options.interruptedAs ?? "timeout", "cause.interrupted", { terminal: true })
  }
  return classified("unknown", "cause.empty")
}
