import { EventLog } from "@gauntlet/event-stream"
import {
  ModelRegistry,
  type RoutingDecision,
  type RoutingPolicy,
  type RoutingStrategy,
  routedPayload,
  routeModel,
  type TaskFacts
} from "@gauntlet/models"
import { Effect } from "effect"

/** Options of `routeCall`: strategy, policy, the cascade state and a pinned model. */
export interface RouteCallOptions {
  readonly strategy?: RoutingStrategy
  readonly policy?: RoutingPolicy
  readonly attempt?: number
  readonly failedModels?: ReadonlyArray<string>
  readonly pinnedModel?: string
  readonly actor?: string
}

/**
 * Routes a task over the registry's models and records the decision as a `model/routed` event with its rationale
 * (spec N7-R9). Fails with `NoModelAvailable` (nothing recorded) when no model fits.
 */
export const routeCall = (runId: string, facts: TaskFacts, options: RouteCallOptions = {}) =>
  Effect.gen(function* () {
    const registry = yield* ModelRegistry
    const log = yield* EventLog
    const decision: RoutingDecision = yield* routeModel({
      facts,
      models: registry.all,
      isAvailable: registry.isAvailable,
      ...(options.strategy === undefined ? {} : { strategy: options.strategy }),
      ...(options.policy === undefined ? {} : { policy: options.policy }),
      ...(options.attempt === undefined ? {} : { attempt: options.attempt }),
      ...(options.failedModels === undefined ? {} : { failedModels: options.failedModels }),
      ...(options.pinnedModel === undefined ? {} : { pinnedModel: options.pinnedModel })
    })
    yield* log.append({
      runId,
      type: "model/routed",
      actor: options.actor ?? "router",
      payload: routedPayload(decision, options.attempt === undefined ? {} : { attempt: options.attempt })
    })
    return decision
  })
