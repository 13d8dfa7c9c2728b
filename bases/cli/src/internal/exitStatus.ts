import * as ValidationError from "@effect/cli/ValidationError"
import { declaredClassOf, EXIT_CODES, exitCodeOf, type FailureClass, isFailureClass } from "@gauntlet/failure"
import { Cause, Option } from "effect"

/**
 * The CLI's process exit codes. `ok` and `usage` come from the failure taxonomy's table, every failure class has its
 * own code (`exitCodeOf`), and the CLI adds two of its own that are not run failures:
 * `noInput` (66, sysexits' EX_NOINPUT: the store or run to read does not exist or cannot be opened),
 * `awaitingApproval` (75, sysexits' EX_TEMPFAIL: the run stopped for a human decision or a pause; it is resumable) and
 * `interrupted` (130 = 128 + SIGINT, also used for SIGTERM).
 */
export const CLI_EXIT_CODES = {
  ok: EXIT_CODES.ok,
  usage: EXIT_CODES.usage,
  noInput: 66,
  awaitingApproval: 75,
  interrupted: 130
} as const

/** What the process prints on stderr and exits with when a command fails. */
export interface ExitStatus {
  /** One line: what went wrong and where (never a stack trace). Empty when already printed (usage errors). */
  readonly message: string
  readonly exitCode: number
}

type Tagged = { readonly _tag: string; readonly message?: unknown }

const isTagged = (u: unknown): u is Tagged =>
  typeof u === "object" && u !== null && typeof (u as { _tag?: unknown })._tag === "string"

const firstLine = (text: string): string => text.split("\n", 1)[0]!.trim()

const messageOf = (u: unknown): string => {
  if (u instanceof Error || (isTagged(u) && typeof u.message === "string")) {
    const text = firstLine(String((u as { message: string }).message))
    return text.length > 0 ? text : ((u as Tagged)._tag ?? "error")
  }
  return firstLine(typeof u === "string" ? u : (JSON.stringify(u) ?? String(u)))
}

const MISSING_FILE = /ENOENT|NotFound/

const CORRUPT_SQLITE = /SQLITE_(CORRUPT|NOTADB)|not a database|malformed|file is encrypted/i

const classed = (failureClass: FailureClass, error: unknown): ExitStatus => ({
  message: messageOf(error),
  exitCode: exitCodeOf(failureClass)
})

/** Maps one typed failure (a `Cause`'s `Fail` value) to its message and exit code. */
export const exitStatusOfError = (error: unknown): ExitStatus => {
  if (ValidationError.isValidationError(error)) {
    // @effect/cli has already printed the problem (and, for a missing subcommand, the usage) to stderr.
    return { message: "", exitCode: CLI_EXIT_CODES.usage }
  }
  if (!isTagged(error)) return classed("unknown", error)
  switch (error._tag) {
    case "InvalidOptionValue":
      return { message: messageOf(error), exitCode: CLI_EXIT_CODES.usage }
    case "StoreNotFound":
    case "RunNotFound":
    case "InputNotFound":
      return { message: messageOf(error), exitCode: CLI_EXIT_CODES.noInput }
    case "ChainBroken":
      return classed("data-integrity", error)
    case "StoreFailure": {
      const reason = (error as { reason?: unknown }).reason
      if (reason === "corrupt") return classed("data-integrity", error)
      if (reason === "busy") return classed("concurrency", error)
      if (reason === "unavailable") return { message: messageOf(error), exitCode: CLI_EXIT_CODES.noInput }
      return classed("resource", error)
    }
    case "SqlError":
    case "MigrationError":
      return CORRUPT_SQLITE.test(`${messageOf(error)} ${String((error as { cause?: unknown }).cause)}`)
        ? classed("data-integrity", error)
        : classed("unknown", error)
    case "SeqConflict":
      return classed("concurrency", error)
    case "UnknownEventType":
    case "InvalidEvent":
      return classed("data-integrity", error)
    case "ConformanceFailed":
      // The implementation under test failed its tests: the taxonomy's `task-code`.
      return classed("task-code", error)
    case "InvalidGoldenCase":
      // One line per invalid file: the runner lists every problem, and each is worth seeing.
      return { message: String(error.message), exitCode: exitCodeOf("data-integrity") }
    case "GoldenIoError":
      return { message: messageOf(error), exitCode: CLI_EXIT_CODES.noInput }
    case "GoldenUpdateRefused":
      return classed("policy", error)
    case "OutputFailure":
      return classed("resource", error)
    case "RunFailed": {
      const failureClass = (error as { failureClass?: unknown }).failureClass
      return classed(isFailureClass(failureClass) ? failureClass : "unknown", error)
    }
    case "RunStopped":
      return { message: messageOf(error), exitCode: Number((error as { exitCode?: unknown }).exitCode) }
    case "NotLaunchedHere":
    case "ApprovalNotFound":
      return { message: messageOf(error), exitCode: CLI_EXIT_CODES.noInput }
    case "NoPendingApproval":
    case "RunAwaitsApproval":
      return classed("policy", error)
    case "ProjectionMismatch":
      return classed("data-integrity", error)
    // Governance files (packs, keys, trust roots, evidence): a missing input is 66 like a missing store; a private
    // key other users may read is refused (policy); an undecodable key, root or statement is data-integrity.
    case "PackIoError":
    case "TrustRootFileError":
    case "EvidenceError":
      if (MISSING_FILE.test(messageOf(error)))
        return { message: messageOf(error), exitCode: CLI_EXIT_CODES.noInput }
      return error._tag === "TrustRootFileError" && (error as { reason?: unknown }).reason === "exists"
        ? classed("policy", error)
        : classed(error._tag === "EvidenceError" ? "data-integrity" : "tool-error", error)
    case "KeyFileError": {
      if (MISSING_FILE.test(messageOf(error)))
        return { message: messageOf(error), exitCode: CLI_EXIT_CODES.noInput }
      const reason = (error as { reason?: unknown }).reason
      if (reason === "malformed") return classed("data-integrity", error)
      if (reason === "io") return classed("tool-error", error)
      // insecure-permissions (a readable private key) and exists (never overwrite a key) are refusals.
      return classed("policy", error)
    }
    case "InvalidKey":
    case "InvalidTrustRoot":
    case "InvalidStatement":
      return classed("data-integrity", error)
    case "UnknownModel":
    case "InvalidCatalog":
      return { message: messageOf(error), exitCode: CLI_EXIT_CODES.usage }
    // The files and values the operator passed are wrong: a usage error, named with file and JSON pointer.
    case "InvalidInput":
    case "InvalidWorkflow":
    case "InvalidAgentScript":
    case "UnknownAgent":
    case "UnknownGate":
    case "DuplicateAgent":
      return { message: messageOf(error), exitCode: CLI_EXIT_CODES.usage }
    default: {
      // Errors of the kernel declare their failure class (RunFinished → policy, SpecChanged → data-integrity, …).
      const declared = declaredClassOf(error)
      return classed(declared._tag === "Some" ? declared.value : "unknown", error)
    }
  }
}

/**
 * The one normalising function of the CLI boundary: any `Cause` (typed failure, defect, interruption) becomes one
 * stderr line and one exit code. Defects keep their message only; set `GAUNTLET_DEBUG=1` for the full cause.
 */
export const exitStatusOf = (cause: Cause.Cause<unknown>): ExitStatus => {
  const failure = Cause.failureOption(cause)
  if (Option.isSome(failure)) return exitStatusOfError(failure.value)
  const defect = Cause.dieOption(cause)
  if (Option.isSome(defect)) {
    const status = exitStatusOfError(defect.value)
    return status.exitCode === exitCodeOf("unknown")
      ? { ...status, message: `internal error: ${status.message}` }
      : status
  }
  if (Cause.isInterruptedOnly(cause)) return { message: "interrupted", exitCode: CLI_EXIT_CODES.interrupted }
  return { message: firstLine(Cause.pretty(cause)), exitCode: exitCodeOf("unknown") }
}
