import { SqlClient } from "@effect/sql"
import type { Connection } from "@effect/sql/SqlConnection"
import type { SqlError } from "@effect/sql/SqlError"
import { Context, Effect, Exit, Option } from "effect"

const finish = <A, E>(conn: Connection, exit: Exit.Exit<A, E>): Effect.Effect<A, E | SqlError> => {
  const rollback = Effect.ignore(conn.execute("ROLLBACK", [], undefined))
  if (Exit.isFailure(exit)) return Effect.zipRight(rollback, exit)
  return Effect.as(
    Effect.tapError(conn.execute("COMMIT", [], undefined), () => rollback),
    exit.value
  )
}

/**
 * Runs `body` inside one write transaction that takes SQLite's write lock up front (`BEGIN IMMEDIATE`), so the
 * head it reads cannot change before it commits, even when other PROCESSES write the same file: they wait on the
 * lock (`busy_timeout`) instead of failing late with a stale snapshot. Commits on success, rolls back on failure or
 * interruption. Inside a caller's `sql.withTransaction` it joins that transaction through a savepoint instead
 * (the caller's BEGIN then decides the locking).
 */
export const withWriteTransaction = <A, E, R>(
  sql: SqlClient.SqlClient,
  body: (conn: Connection) => Effect.Effect<A, E, R>
): Effect.Effect<A, E | SqlError, R> =>
  Effect.flatMap(
    Effect.serviceOption(SqlClient.TransactionConnection),
    (outer): Effect.Effect<A, E | SqlError, R> =>
      Option.isSome(outer)
        ? sql.withTransaction(body(outer.value[0]))
        : Effect.uninterruptibleMask((restore) =>
            Effect.scoped(
              Effect.flatMap(sql.reserve, (conn) =>
                Effect.zipRight(
                  conn.execute("BEGIN IMMEDIATE", [], undefined),
                  Effect.flatMap(Effect.exit(restore(body(conn))), (exit) => finish(conn, exit))
                )
              )
            )
          )
  )

/**
 * Work to do once the enclosing write transaction has COMMITTED (never on rollback). `EventLogSqlite` defers its
 * live publication here when it appends inside a transaction it does not own, so live subscribers never see events
 * that a failed or rolled-back outer transaction did not store.
 */
export class AfterCommit extends Context.Tag("@gauntlet/event-store-sqlite/AfterCommit")<
  AfterCommit,
  { readonly defer: (work: Effect.Effect<void>) => Effect.Effect<void> }
>() {}

/**
 * Runs `body` in one write transaction begun with `BEGIN IMMEDIATE` that other stores sharing the file can join:
 * the connection is published as `SqlClient.TransactionConnection` (an `EventLogSqlite` append inside `body` joins
 * through a savepoint), and `AfterCommit` collects work that runs only after COMMIT succeeds. Rolls back on failure,
 * defect or interruption, and then drops the collected work.
 */
export const withImmediateTransaction = <A, E, R>(
  sql: SqlClient.SqlClient,
  body: (conn: Connection) => Effect.Effect<A, E, R>
): Effect.Effect<A, E | SqlError, R> =>
  Effect.uninterruptibleMask((restore) =>
    Effect.scoped(
      Effect.flatMap(sql.reserve, (conn) => {
        const deferred: Array<Effect.Effect<void>> = []
        const afterCommit = {
          defer: (work: Effect.Effect<void>) => Effect.sync(() => void deferred.push(work))
        }
        const inside = body(conn).pipe(
          Effect.provideService(SqlClient.TransactionConnection, [conn, 0] as const),
          Effect.provideService(AfterCommit, afterCommit)
        )
        return Effect.zipRight(
          conn.execute("BEGIN IMMEDIATE", [], undefined),
          Effect.flatMap(Effect.exit(restore(inside)), (exit) =>
            Effect.tap(finish(conn, exit), () => Effect.forEach(deferred, (work) => work, { discard: true }))
          )
        )
      })
    )
  )
