import { Ids } from "@gauntlet/canonical"
import { EventLogSqlite } from "@gauntlet/event-store-sqlite"
import { coreEventTypes, EventLog, EventTypes } from "@gauntlet/event-stream"
import { Effect, Layer } from "effect"
import type { StoreNotFound } from "./errors.js"
import { existingStorePath } from "./storePath.js"

/** The EventLog over one SQLite file, with the kernel's event-type catalogue and live UUIDv7 ids. */
const storeLayer = (path: string) =>
  EventLogSqlite.layerFile(path).pipe(Layer.provide(Layer.merge(EventTypes.layer(coreEventTypes), Ids.layer)))

/** Why opening a store can fail (as the SQLite layer reports it). */
export type StoreOpenError = Layer.Layer.Error<ReturnType<typeof storeLayer>>

/** Runs `use` against the store at `db` (which must exist); the store is closed when `use` ends. */
export const withStore = <A, E>(
  db: string,
  use: (log: typeof EventLog.Service, path: string) => Effect.Effect<A, E>
): Effect.Effect<A, E | StoreNotFound | StoreOpenError> =>
  Effect.flatMap(existingStorePath(db), (path) =>
    Effect.flatMap(EventLog, (log) => use(log, path)).pipe(Effect.provide(storeLayer(path)))
  )
