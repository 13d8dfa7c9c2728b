import { FileSystem } from "@effect/platform"
import { Effect, Either, Schema } from "effect"
import { AgentFailure, InvalidAgentScript } from "./errors.js"
import { firstIssue, toPointer } from "./pointer.js"

/** One counted invocation: which agent, run, phase, task and attempt (one JSON line in a counter file). */
export const Invocation = Schema.Struct({
  agent: Schema.String,
  runId: Schema.String,
  phase: Schema.String,
  taskId: Schema.optional(Schema.String),
  attempt: Schema.Int
}).annotations({ identifier: "AgentInvocation" })

/** One counted invocation. */
export type Invocation = typeof Invocation.Type

/**
 * Where invocations are counted besides memory. `record` runs before the agent does anything, so a process that
 * crashes mid-invocation has still counted it; a counter that cannot record fails the invocation (`tool-error`).
 */
export interface InvocationCounter {
  readonly record: (invocation: Invocation) => Effect.Effect<void, AgentFailure>
}

/** The JSON line written for an invocation (members in a fixed order, `taskId` only when there is one). */
export const invocationLine = (invocation: Invocation): string =>
  `${JSON.stringify({
    agent: invocation.agent,
    runId: invocation.runId,
    phase: invocation.phase,
    ...(invocation.taskId === undefined ? {} : { taskId: invocation.taskId }),
    attempt: invocation.attempt
  })}\n`

/**
 * A counter appending one JSON line per invocation to `file` (created when missing; each line is one append, so
 * several processes may share the file). Read it back with `readInvocations`.
 */
export const fileInvocationCounter = Effect.fn("Agent.fileInvocationCounter")(function* (file: string) {
  const fs = yield* FileSystem.FileSystem
  const counter: InvocationCounter = {
    record: (invocation) =>
      fs.writeFileString(file, invocationLine(invocation), { flag: "a" }).pipe(
        Effect.mapError(
          (error) =>
            new AgentFailure({
              agentId: invocation.agent,
              phase: invocation.phase,
              failureClass: "tool-error",
              reason: `cannot count the invocation in ${file}: ${error.message}`,
              ...(invocation.taskId === undefined ? {} : { taskId: invocation.taskId }),
              attempt: invocation.attempt
            })
        )
      )
  }
  return counter
})

const parseLine = Schema.decodeUnknownEither(Schema.parseJson())
const decodeInvocation = Schema.decodeUnknownEither(Invocation, { onExcessProperty: "error" })

/**
 * The invocations recorded in a counter file, in order. A missing file means nothing was invoked (empty list);
 * a line that is not an invocation is an `InvalidAgentScript` naming the file, the line and the member.
 */
export const readInvocations = Effect.fn("Agent.readInvocations")(function* (file: string) {
  const fs = yield* FileSystem.FileSystem
  const exists = yield* fs.exists(file).pipe(Effect.orElseSucceed(() => false))
  if (!exists) return [] as ReadonlyArray<Invocation>
  const text = yield* fs
    .readFileString(file)
    .pipe(
      Effect.mapError(
        (error) => new InvalidAgentScript({ file, pointer: "", reason: `cannot read: ${error.message}` })
      )
    )
  const invocations: Array<Invocation> = []
  for (const [index, line] of text.split("\n").entries()) {
    if (line.trim() === "") continue
    const parsed = parseLine(line)
    if (Either.isLeft(parsed)) {
      return yield* new InvalidAgentScript({ file, line: index + 1, pointer: "", reason: "not a JSON line" })
    }
    const decoded = decodeInvocation(parsed.right)
    if (Either.isLeft(decoded)) {
      const issue = firstIssue(decoded.left)
      return yield* new InvalidAgentScript({
        file,
        line: index + 1,
        pointer: toPointer(issue.path),
        reason: `not an invocation: ${issue.reason}`
      })
    }
    invocations.push(decoded.right)
  }
  return invocations as ReadonlyArray<Invocation>
})
