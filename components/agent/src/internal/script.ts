import { sha256Digest } from "@gauntlet/canonical"
import { FailureClass } from "@gauntlet/failure"
import { Either, Schema } from "effect"
import { ArtifactDigest } from "./output.js"
import { firstIssue } from "./pointer.js"

const Text = Schema.String.pipe(Schema.minLength(1))
const NonNegative = Schema.Number.pipe(Schema.nonNegative(), Schema.finite())

/** An artifact in a script: give its `content` (the digest is computed) or its `digest`, or both (they must agree). */
export const ScriptedArtifact = Schema.Struct({
  name: Text,
  mediaType: Schema.optional(Text),
  content: Schema.optional(Schema.String),
  digest: Schema.optional(ArtifactDigest)
}).annotations({ identifier: "ScriptedArtifact" })

/** Scripted usage; absent members are 0. The model is always reported as `"scripted"`. */
export const ScriptedUsage = Schema.Struct({
  inputTokens: Schema.optional(Schema.Int.pipe(Schema.nonNegative())),
  outputTokens: Schema.optional(Schema.Int.pipe(Schema.nonNegative())),
  costUsd: Schema.optional(NonNegative)
}).annotations({ identifier: "ScriptedUsage" })

/** A step that answers: the output (any JSON), optional artifacts and usage; optionally after `delayMs`. */
export const RespondStep = Schema.Struct({
  respond: Schema.Struct({
    output: Schema.Unknown,
    artifacts: Schema.optional(Schema.Array(ScriptedArtifact)),
    usage: Schema.optional(ScriptedUsage)
  }),
  delayMs: Schema.optional(Schema.Int.pipe(Schema.nonNegative()))
}).annotations({ identifier: "RespondStep" })

/** A step that fails with an `AgentFailure` of the given class and reason; optionally after `delayMs`. */
export const FailStep = Schema.Struct({
  fail: Schema.Struct({ failureClass: FailureClass, reason: Text }),
  delayMs: Schema.optional(Schema.Int.pipe(Schema.nonNegative()))
}).annotations({ identifier: "FailStep" })

/** One scripted step. */
export const ScriptStep = Schema.Union(RespondStep, FailStep).annotations({ identifier: "ScriptStep" })

/** One scripted step. */
export type ScriptStep = typeof ScriptStep.Type

/** Steps keyed by phase name, consumed in order. */
const StepsByPhase = Schema.Record({ key: Text, value: Schema.Array(ScriptStep) })

/**
 * The scripted agent's script (JSON or YAML): `steps` keyed by phase, consumed in order one per invocation;
 * `taskSteps` keyed by phase then DAG task id, used instead of `steps[phase]` for invocations with that task id.
 * `id` is the agent id (default `"scripted"`); `counterFile` is where invocations are appended as JSON lines
 * (relative to the script file when loaded from one). Unknown members are refused, so a typo cannot pass silently.
 */
export const AgentScript = Schema.Struct({
  id: Schema.optional(Text),
  counterFile: Schema.optional(Text),
  steps: StepsByPhase,
  taskSteps: Schema.optional(Schema.Record({ key: Text, value: StepsByPhase }))
}).annotations({ identifier: "AgentScript", title: "Scripted agent script" })

/** A scripted agent's script. */
export type AgentScript = typeof AgentScript.Type

/** Where and why a script value is invalid (before a file name and a line are attached). */
export interface ScriptIssue {
  readonly path: ReadonlyArray<PropertyKey>
  readonly reason: string
}

const decode = Schema.decodeUnknownEither(AgentScript, { onExcessProperty: "error" })

const artifactIssue = (script: AgentScript): ScriptIssue | undefined => {
  const groups: Array<[ReadonlyArray<PropertyKey>, ReadonlyArray<ScriptStep>]> = Object.entries(
    script.steps
  ).map(([phase, steps]) => [["steps", phase], steps])
  for (const [phase, byTask] of Object.entries(script.taskSteps ?? {})) {
    for (const [task, steps] of Object.entries(byTask)) groups.push([["taskSteps", phase, task], steps])
  }
  for (const [at, steps] of groups) {
    for (const [index, step] of steps.entries()) {
      if (!("respond" in step)) continue
      for (const [i, artifact] of (step.respond.artifacts ?? []).entries()) {
        const path = [...at, index, "respond", "artifacts", i]
        if (artifact.content === undefined && artifact.digest === undefined) {
          return { path, reason: "an artifact needs its content or its digest" }
        }
        if (artifact.content !== undefined && artifact.digest !== undefined) {
          const actual = sha256Digest(artifact.content)
          if (actual !== artifact.digest) {
            return {
              path: [...path, "digest"],
              reason: `digest does not match the content (content is ${actual})`
            }
          }
        }
      }
    }
  }
  return undefined
}

/** Decodes a parsed script value; unknown members are refused. The issue carries the path of the first problem. */
export const decodeAgentScript = (value: unknown): Either.Either<AgentScript, ScriptIssue> =>
  Either.flatMap(Either.mapLeft(decode(value), firstIssue), (script) => {
    const issue = artifactIssue(script)
    return issue === undefined ? Either.right(script) : Either.left(issue)
  })
