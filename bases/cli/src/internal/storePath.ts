import { statSync } from "node:fs"
import { resolve } from "node:path"
import { Effect } from "effect"
import { StoreNotFound } from "./errors.js"

/** The store every `events` command reads unless `--db` says otherwise (DESIGN §5), relative to the cwd. */
export const DEFAULT_DB = ".gauntlet/state.db"

/**
 * Resolves `--db` against the cwd and checks the file exists, so a read never creates an empty store (SQLite would)
 * and a typo gets "no event store at <path>" instead of an empty listing.
 */
export const existingStorePath = (db: string): Effect.Effect<string, StoreNotFound> =>
  Effect.suspend(() => {
    const path = resolve(db)
    return Effect.try({ try: () => statSync(path), catch: () => new StoreNotFound({ path }) }).pipe(
      Effect.as(path)
    )
  })
