import { SqlClient } from "@effect/sql"
import type { Connection } from "@effect/sql/SqlConnection"
import type { SqlError } from "@effect/sql/SqlError"
import { Effect, Exit } from "effect"

const finish = <A, E>(conn: Connection, exit: Exit.Exit<A, E>): Effect.Effect<A, E | SqlError> => {
  const rollback = Effect.ignore(conn.execute("ROLLBACK", [], undefined))
  if (Exit.isFailure(exit)) return Effect.zipRight(rollback, exit)
  return Effect.as(
    Effect.tapError(conn.execute("COMMIT", [], undefined), () => rollback),
    exit.value
  )
}

/**
 * Runs `body` in one write transaction begun with `BEGIN IMMEDIATE` (SQLite's write lock is taken before anything is
 * read, so other processes queue on `busy_timeout` instead of failing late on a stale snapshot). The connection is
 * published as `SqlClient.TransactionConnection`, so an `EventLogSqlite` append inside `body` joins this transaction
 * through a savepoint. Commits on success; rolls back on failure, defect or interruption.
 */
export const withImmediateTransaction = <A, E, R>(
  sql: SqlClient.SqlClient,
  body: (conn: Connection) => Effect.Effect<A, E, R>
): Effect.Effect<A, E | SqlError, R> =>
  Effect.uninterruptibleMask((restore) =>
    Effect.scoped(
      Effect.flatMap(sql.reserve, (conn) =>
        Effect.zipRight(
          conn.execute("BEGIN IMMEDIATE", [], undefined),
          Effect.flatMap(
            Effect.exit(
              restore(Effect.provideService(body(conn), SqlClient.TransactionConnection, [conn, 0] as const))
            ),
            (exit) => finish(conn, exit)
          )
        )
      )
    )
  )
