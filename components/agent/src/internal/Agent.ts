import { Context, Effect, Either, Layer } from "effect"
import type { PhaseContext } from "./context.js"
import { type AgentFailure, DuplicateAgent, UnknownAgent } from "./errors.js"
import type { AgentOutput } from "./output.js"

/**
 * An agent: something that does a phase's work. `invoke` receives the phase context and returns the output the
 * phase's gates will check, or an `AgentFailure` declaring its class. An agent needs nothing from the environment:
 * whatever it uses (a model client, a file system) is captured when it is built.
 */
export interface Agent {
  readonly id: string
  readonly invoke: (ctx: PhaseContext) => Effect.Effect<AgentOutput, AgentFailure>
}

/** The registry of agents a workflow engine may call, by id. */
export interface AgentsShape {
  /** The agent with this id, or `UnknownAgent` listing the registered ids. */
  readonly get: (id: string) => Effect.Effect<Agent, UnknownAgent>
  /** The registered ids, in registration order. */
  readonly ids: ReadonlyArray<string>
}

/** Builds a registry; two agents with the same id are refused with `DuplicateAgent`. */
export const makeAgents = (agents: ReadonlyArray<Agent>): Either.Either<AgentsShape, DuplicateAgent> => {
  const byId = new Map<string, Agent>()
  for (const agent of agents) {
    if (byId.has(agent.id)) return Either.left(new DuplicateAgent({ agentId: agent.id }))
    byId.set(agent.id, agent)
  }
  const ids = [...byId.keys()]
  return Either.right({
    ids,
    get: (id) => {
      const agent = byId.get(id)
      return agent === undefined
        ? Effect.fail(new UnknownAgent({ agentId: id, known: ids }))
        : Effect.succeed(agent)
    }
  })
}

/** The `Agents` registry service. */
export class Agents extends Context.Tag("@gauntlet/agent/Agents")<Agents, AgentsShape>() {
  /** A registry holding exactly these agents; fails with `DuplicateAgent` when two share an id. */
  static readonly layer = (agents: ReadonlyArray<Agent>): Layer.Layer<Agents, DuplicateAgent> =>
    Layer.effect(Agents, makeAgents(agents))
}
