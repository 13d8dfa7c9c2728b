import type { Agent, AgentOutput, Feedback, PhaseContext } from "@gauntlet/agent"
import {
  ClassifiedFailure,
  classifyCause,
  dispositionOf,
  type FailureClass,
  messageOf
} from "@gauntlet/failure"
import type { Gate } from "@gauntlet/gate"
import { Cause, Clock, Duration, Effect, Exit } from "effect"
import type { CompiledPhase } from "./compile.js"
import { checkOutput, type GateReport } from "./gating.js"

/** How one attempt ended (before any budget or state change). */
export type AttemptResult =
  | {
      readonly kind: "output"
      readonly output: AgentOutput
      readonly report: GateReport
      /** The agent's part of the attempt. */
      readonly agentMs: number
      /** The whole attempt: the agent and the gates. */
      readonly durationMs: number
    }
  | {
      readonly kind: "agent-failed"
      readonly failureClass: FailureClass
      readonly terminal: boolean
      readonly reason: string
      readonly durationMs: number
    }

/**
 * Invokes the agent (bounded by the phase's `timeoutMs`) and, when it returned, runs the phase's gates. The runtime
 * classifies every failure with `@gauntlet/failure` (a timeout is `timeout`; an agent's declared class is checked by
 * the classifier, a defect is classified from what was thrown). Never fails: every ending is a value.
 */
export const runAttempt = (options: {
  readonly runId: string
  readonly phase: CompiledPhase
  readonly agent: Agent
  readonly gates: ReadonlyArray<Gate>
  readonly context: PhaseContext
}): Effect.Effect<AttemptResult> =>
  Effect.gen(function* () {
    const { phase } = options
    const startedAt = yield* Clock.currentTimeMillis
    const invoke = Effect.suspend(() => options.agent.invoke(options.context))
    const bounded =
      phase.timeoutMs === undefined
        ? invoke
        : invoke.pipe(
            Effect.timeoutFail({
              duration: Duration.millis(phase.timeoutMs),
              onTimeout: () =>
                new ClassifiedFailure({
                  failureClass: "timeout",
                  reason: `agent ${phase.agent} did not answer phase ${phase.name} within ${phase.timeoutMs} ms`
                })
            })
          )
    const exit = yield* Effect.exit(bounded)
    const elapsed = () => Clock.currentTimeMillis.pipe(Effect.map((now) => Math.max(0, now - startedAt)))
    if (Exit.isFailure(exit)) {
      if (Cause.isInterruptedOnly(exit.cause)) return yield* Effect.interrupt
      const classification = classifyCause(exit.cause)
      return {
        kind: "agent-failed",
        failureClass: classification.failureClass,
        terminal:
          classification.disposition === "terminal" ||
          dispositionOf(classification.failureClass) === "terminal",
        reason: messageOf(exit.cause) || `agent ${phase.agent} failed`,
        durationMs: yield* elapsed()
      }
    }
    const agentMs = yield* elapsed()
    const report = yield* checkOutput({
      runId: options.runId,
      phase: phase.name,
      gates: options.gates,
      output: exit.value
    })
    return { kind: "output", output: exit.value, report, agentMs, durationMs: yield* elapsed() }
  })

/** The strategy of an attempt: `direct` first, `alternative` for repairs, `escalated` after an approval. */
export const strategyOf = (round: number, attemptInRound: number): PhaseContext["strategy"] =>
  round > 0 ? "escalated" : attemptInRound <= 1 ? "direct" : "alternative"

/** The feedback of a failed agent invocation. */
export const agentFeedback = (
  agentId: string,
  failureClass: FailureClass,
  reason: string
): ReadonlyArray<Feedback> => [{ source: `agent:${agentId}`, message: `${failureClass}: ${reason}` }]
