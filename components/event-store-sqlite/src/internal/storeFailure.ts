import type { SqlError } from "@effect/sql/SqlError"
import { StoreFailure } from "@gauntlet/event-stream"

type Reason = StoreFailure["reason"]

/** The SQLite result-code families and the `StoreFailure` reason each one means for a caller. */
const REASON_BY_CODE: ReadonlyArray<readonly [prefix: string, reason: Reason]> = [
  ["SQLITE_NOTADB", "corrupt"],
  ["SQLITE_CORRUPT", "corrupt"],
  ["SQLITE_FORMAT", "corrupt"],
  ["SQLITE_BUSY", "busy"],
  ["SQLITE_LOCKED", "busy"],
  ["SQLITE_CANTOPEN", "unavailable"],
  ["SQLITE_PERM", "unavailable"],
  ["SQLITE_AUTH", "unavailable"],
  ["SQLITE_READONLY", "unavailable"]
]

const codeOf = (cause: unknown): string | undefined => {
  if (typeof cause !== "object" || cause === null || !("code" in cause)) return undefined
  const code = (cause as { readonly code: unknown }).code
  return typeof code === "string" ? code : undefined
}

const textOf = (cause: unknown): string => {
  if (cause instanceof Error) return cause.message.split("\n")[0] ?? cause.name
  return String(cause)
}

/** The SQLite result code (`SQLITE_BUSY`, `SQLITE_CONSTRAINT_PRIMARYKEY`, …) behind an `@effect/sql` error, if any. */
const sqliteCode = (error: SqlError): string | undefined => codeOf(error.cause)

/** True when the error is the (run_id, seq) primary key rejecting a row: another writer placed that seq first. */
export const isSeqCollision = (error: SqlError): boolean => {
  const code = sqliteCode(error)
  if (code === "SQLITE_CONSTRAINT_PRIMARYKEY") return true
  return code === "SQLITE_CONSTRAINT_UNIQUE" && textOf(error.cause).includes("events.run_id, events.seq")
}

/** True when the error is the `events.id` unique index rejecting a duplicate event id. */
export const isDuplicateEventId = (error: SqlError): boolean =>
  sqliteCode(error) === "SQLITE_CONSTRAINT_UNIQUE" && textOf(error.cause).includes("events.id")

/**
 * Classifies anything SQLite threw into a `StoreFailure` naming the store file: damaged or foreign files are
 * `corrupt`, files that cannot be opened are `unavailable`, lock timeouts are `busy`, everything else is `io`.
 * The detail is one line (the driver's message and result code), never a stack trace.
 */
export const toStoreFailure = (store: string, cause: unknown): StoreFailure => {
  const inner =
    typeof cause === "object" && cause !== null && "_tag" in cause && "cause" in cause ? cause.cause : cause
  const code = codeOf(inner)
  const text = textOf(inner)
  let reason: Reason = "io"
  if (code !== undefined) {
    for (const [prefix, mapped] of REASON_BY_CODE) {
      if (code.startsWith(prefix)) {
        reason = mapped
        break
      }
    }
  } else if (/cannot open|directory does not exist|unable to open/i.test(text)) {
    reason = "unavailable"
  }
  const detail = code === undefined ? text : `${text} (${code})`
  return new StoreFailure({ reason, store, detail })
}
