import { type Agent, AgentFailure, type AgentOutput, type PhaseContext } from "@gauntlet/agent"
import { Effect } from "effect"
import type { AgentCliError } from "./errors.js"
import { type AgentCliRequest, runAgentCli } from "./run.js"

/**
 * The default prompt of a phase: its input (a string as is, anything else as JSON), then the feedback of earlier
 * attempts, one line per item, so a repair attempt sees what the gates said.
 */
export const defaultPromptOf = (ctx: PhaseContext): string => {
  const input = typeof ctx.input === "string" ? ctx.input : JSON.stringify(ctx.input, null, 2)
  if (ctx.feedback.length === 0) return input
  const feedback = ctx.feedback.map(
    (item) => `- ${item.source}${item.ruleId === undefined ? "" : ` [${item.ruleId}]`}: ${item.message}`
  )
  return `${input}\n\nYour previous attempt was rejected. Fix these problems:\n${feedback.join("\n")}`
}

/** An agent-CLI agent: the agent id, the run options (everything but the prompt) and how a phase becomes a prompt. */
export interface AgentCliAgentOptions extends Omit<AgentCliRequest, "prompt"> {
  readonly id: string
  readonly promptOf?: (ctx: PhaseContext) => string
}

/**
 * An implementer backend for the workflow engine: each invocation runs the agent CLI on the phase's prompt and
 * returns `{ output: { text, backend, sessionId, numTurns, toolCalls, costSource }, artifacts: [], usage }` (the
 * CLI changes files in `cwd` itself; gates inspect them). A failed run is an `AgentFailure` with the run's class.
 */
export const agentCliAgent = (options: AgentCliAgentOptions): Agent => {
  const { id, promptOf = defaultPromptOf, ...run } = options
  return {
    id,
    invoke: (ctx) =>
      runAgentCli({ ...run, prompt: promptOf(ctx) }).pipe(
        Effect.map(
          (result): AgentOutput => ({
            output: {
              text: result.text,
              backend: result.backend,
              ...(result.sessionId === undefined ? {} : { sessionId: result.sessionId }),
              ...(result.numTurns === undefined ? {} : { numTurns: result.numTurns }),
              toolCalls: result.toolCalls,
              costSource: result.costSource
            },
            artifacts: [],
            usage: {
              inputTokens: result.usage.inputTokens,
              outputTokens: result.usage.outputTokens,
              costUsd: result.costUsd,
              ...(result.model === undefined ? {} : { model: result.model })
            }
          })
        ),
        Effect.mapError(
          (error: AgentCliError) =>
            new AgentFailure({
              agentId: id,
              phase: ctx.phase,
              reason: error.message,
              failureClass: error.failureClass,
              attempt: ctx.attempt,
              ...(ctx.taskId === undefined ? {} : { taskId: ctx.taskId })
            })
        )
      )
  }
}
