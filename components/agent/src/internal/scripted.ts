import { Path } from "@effect/platform"
import { sha256Digest } from "@gauntlet/canonical"
import { Duration, Effect } from "effect"
import type { Agent } from "./Agent.js"
import type { PhaseContext } from "./context.js"
import { fileInvocationCounter, type Invocation, type InvocationCounter } from "./counter.js"
import { AgentFailure } from "./errors.js"
import type { AgentOutput, Artifact } from "./output.js"
import type { AgentScript, ScriptStep } from "./script.js"
import { loadAgentScript } from "./scriptFile.js"

/** The model name every scripted response reports in `usage.model`. */
export const SCRIPTED_MODEL = "scripted"

/** Options of a scripted agent: its id (overrides the script's) and an extra invocation counter (e.g. a file). */
export interface ScriptedAgentOptions {
  readonly id?: string
  readonly counter?: InvocationCounter
}

/** A scripted step queue that still holds steps: its key and how many are left. */
export interface UnconsumedSteps {
  readonly phase: string
  readonly taskId?: string
  readonly remaining: number
}

/** An agent that replays a script; it counts every invocation and can say which steps were never used. */
export interface ScriptedAgent extends Agent {
  /** Every invocation so far, in order (counted before the step runs, including ones that failed). */
  readonly invocations: () => ReadonlyArray<Invocation>
  /** The step queues that still hold steps. */
  readonly unconsumed: () => ReadonlyArray<UnconsumedSteps>
}

interface Queue {
  readonly phase: string
  readonly taskId?: string
  readonly steps: ReadonlyArray<ScriptStep>
  cursor: number
}

const keyOf = (phase: string, taskId: string | undefined): string =>
  taskId === undefined ? `phase "${phase}"` : `phase "${phase}" task "${taskId}"`

const toArtifact = (
  artifact: NonNullable<Extract<ScriptStep, { respond: unknown }>["respond"]["artifacts"]>[number]
): Artifact => ({
  name: artifact.name,
  digest: artifact.digest ?? sha256Digest(artifact.content ?? ""),
  ...(artifact.mediaType === undefined ? {} : { mediaType: artifact.mediaType }),
  ...(artifact.content === undefined ? {} : { content: artifact.content })
})

/**
 * An agent that answers from a script: each invocation takes the next step of the queue for its phase (or, when
 * the script has one, for its phase and task id), waits `delayMs` (Effect's clock: `TestClock` in tests), then
 * responds or fails. An unscripted phase or an exhausted queue is an `AgentFailure` (`agent-error`) naming the key.
 * Responses report `usage.model: "scripted"`; artifacts given by content get their digest computed.
 */
export const makeScriptedAgent = (script: AgentScript, options: ScriptedAgentOptions = {}): ScriptedAgent => {
  const id = options.id ?? script.id ?? SCRIPTED_MODEL
  const queues = new Map<string, Queue>()
  for (const [phase, steps] of Object.entries(script.steps)) {
    queues.set(keyOf(phase, undefined), { phase, steps, cursor: 0 })
  }
  for (const [phase, byTask] of Object.entries(script.taskSteps ?? {})) {
    for (const [taskId, steps] of Object.entries(byTask)) {
      queues.set(keyOf(phase, taskId), { phase, taskId, steps, cursor: 0 })
    }
  }
  const invocations: Array<Invocation> = []

  const failure = (ctx: PhaseContext, failureClass: AgentFailure["failureClass"], reason: string) =>
    new AgentFailure({
      agentId: id,
      phase: ctx.phase,
      failureClass,
      reason,
      ...(ctx.taskId === undefined ? {} : { taskId: ctx.taskId }),
      attempt: ctx.attempt
    })

  const takeStep = (ctx: PhaseContext): Effect.Effect<ScriptStep, AgentFailure> =>
    Effect.suspend(() => {
      const queue =
        (ctx.taskId === undefined ? undefined : queues.get(keyOf(ctx.phase, ctx.taskId))) ??
        queues.get(keyOf(ctx.phase, undefined))
      if (queue === undefined) {
        return Effect.fail(
          failure(ctx, "agent-error", `no steps scripted for ${keyOf(ctx.phase, ctx.taskId)}`)
        )
      }
      const step = queue.steps[queue.cursor]
      if (step === undefined) {
        const key = keyOf(queue.phase, queue.taskId)
        return Effect.fail(
          failure(
            ctx,
            "agent-error",
            `script exhausted for ${key}: all ${queue.steps.length} steps were consumed`
          )
        )
      }
      queue.cursor += 1
      return Effect.succeed(step)
    })

  const answer = (ctx: PhaseContext, step: ScriptStep): Effect.Effect<AgentOutput, AgentFailure> => {
    if ("fail" in step) return Effect.fail(failure(ctx, step.fail.failureClass, step.fail.reason))
    const usage = step.respond.usage
    return Effect.succeed({
      output: step.respond.output,
      artifacts: (step.respond.artifacts ?? []).map(toArtifact),
      usage: {
        inputTokens: usage?.inputTokens ?? 0,
        outputTokens: usage?.outputTokens ?? 0,
        costUsd: usage?.costUsd ?? 0,
        model: SCRIPTED_MODEL
      }
    })
  }

  const invoke = (ctx: PhaseContext): Effect.Effect<AgentOutput, AgentFailure> =>
    Effect.gen(function* () {
      const invocation: Invocation = {
        agent: id,
        runId: ctx.runId,
        phase: ctx.phase,
        ...(ctx.taskId === undefined ? {} : { taskId: ctx.taskId }),
        attempt: ctx.attempt
      }
      yield* Effect.sync(() => invocations.push(invocation))
      if (options.counter !== undefined) yield* options.counter.record(invocation)
      const step = yield* takeStep(ctx)
      if (step.delayMs !== undefined && step.delayMs > 0) yield* Effect.sleep(Duration.millis(step.delayMs))
      return yield* answer(ctx, step)
    }).pipe(Effect.withSpan("ScriptedAgent.invoke", { attributes: { agent: id, phase: ctx.phase } }))

  return {
    id,
    invoke,
    invocations: () => [...invocations],
    unconsumed: () =>
      [...queues.values()]
        .filter((queue) => queue.cursor < queue.steps.length)
        .map((queue) => ({
          phase: queue.phase,
          ...(queue.taskId === undefined ? {} : { taskId: queue.taskId }),
          remaining: queue.steps.length - queue.cursor
        }))
  }
}

/** Options of `loadScriptedAgent`: an id and a counter file overriding the script's. */
export interface LoadScriptedAgentOptions {
  readonly id?: string
  readonly counterFile?: string
}

/**
 * Loads a script file and builds its agent. The counter file (the option, else the script's `counterFile`,
 * resolved against the script's directory) receives one JSON line per invocation.
 */
export const loadScriptedAgent = Effect.fn("Agent.loadScriptedAgent")(function* (
  file: string,
  options: LoadScriptedAgentOptions = {}
) {
  const path = yield* Path.Path
  const script = yield* loadAgentScript(file)
  const counterFile =
    options.counterFile ??
    (script.counterFile === undefined ? undefined : path.resolve(path.dirname(file), script.counterFile))
  const counter = counterFile === undefined ? undefined : yield* fileInvocationCounter(counterFile)
  return makeScriptedAgent(script, {
    ...(options.id === undefined ? {} : { id: options.id }),
    ...(counter === undefined ? {} : { counter })
  })
})
