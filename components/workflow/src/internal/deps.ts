import type { AgentsShape } from "@gauntlet/agent"
import type { Ids } from "@gauntlet/canonical"
import type { Gates } from "@gauntlet/gate"
import type { RunJournalShape, RunStoreShape } from "@gauntlet/run-store"
import type { CircuitBreaker } from "@gauntlet/supervision"
import type { Context, Deferred, Ref } from "effect"
import type { RunOutcome } from "./outcome.js"
import type { TerminalHookShape } from "./TerminalHook.js"

/** A control request sent to a run this engine is executing. */
export interface ControlRequest {
  readonly by: string
  readonly reason: string
}

/** The control channel of a run executing in this engine. */
export interface Control {
  /** Set by `pause`: honoured at the next phase-attempt boundary. */
  readonly pause: Ref.Ref<ControlRequest | undefined>
  /** Completed by `cancel`: interrupts the running attempt. */
  readonly cancel: Deferred.Deferred<ControlRequest>
  /** Completed when this execution stops (any stop: terminal, paused, awaiting approval, error). */
  readonly done: Deferred.Deferred<RunOutcome, unknown>
}

/** The services the engine uses, captured once when its layer is built. */
export interface EngineDeps {
  readonly journal: RunJournalShape
  readonly store: RunStoreShape
  readonly agents: AgentsShape
  readonly gates: Context.Tag.Service<typeof Gates>
  readonly ids: Context.Tag.Service<typeof Ids>
  readonly hook: TerminalHookShape
  /** Runs executing in this engine, by run id. */
  readonly active: Ref.Ref<ReadonlyMap<string, Control>>
  /** When present, `start` is refused while it is open, and every run's terminal outcome is recorded in it. */
  readonly breaker: CircuitBreaker | undefined
}
