import { StoreFailure } from "@gauntlet/event-stream"

const REASON_BY_CODE: ReadonlyArray<readonly [prefix: string, reason: StoreFailure["reason"]]> = [
  ["SQLITE_NOTADB", "corrupt"],
  ["SQLITE_CORRUPT", "corrupt"],
  ["SQLITE_FORMAT", "corrupt"],
  ["SQLITE_BUSY", "busy"],
  ["SQLITE_LOCKED", "busy"],
  ["SQLITE_CANTOPEN", "unavailable"],
  ["SQLITE_READONLY", "unavailable"]
]

/**
 * Turns whatever SQLite threw (usually an `@effect/sql` `SqlError` wrapping a better-sqlite3 error) into a one-line
 * `StoreFailure` naming the file: `corrupt`, `busy`, `unavailable` by result code, `io` otherwise.
 */
export const toStoreFailure = (store: string, error: unknown): StoreFailure => {
  if (error instanceof StoreFailure) return error
  const inner =
    typeof error === "object" && error !== null && "_tag" in error && "cause" in error ? error.cause : error
  const code =
    typeof inner === "object" && inner !== null && "code" in inner && typeof inner.code === "string"
      ? inner.code
      : undefined
  const text = inner instanceof Error ? (inner.message.split("\n")[0] ?? inner.name) : String(inner)
  const reason = REASON_BY_CODE.find(([prefix]) => code?.startsWith(prefix) === true)?.[1] ?? "io"
  return new StoreFailure({ reason, store, detail: code === undefined ? text : `${text} (${code})` })
}

/** A stored row that does not decode: `corrupt`, naming the table and key. */
export const corruptRow = (store: string, where: string, detail: string): StoreFailure =>
  new StoreFailure({ reason: "corrupt", store, detail: `${where}: ${detail}` })
