import type { RunEvent } from "@gauntlet/event-stream"

const text = (payload: Readonly<Record<string, unknown>>, key: string): string | undefined =>
  typeof payload[key] === "string" ? (payload[key] as string) : undefined

/**
 * How many scripted steps each phase has consumed so far in earlier processes: the agent calls that ended with a
 * recorded result (`agent/completed` or `agent/failed`). A call the run was stopped in the middle of (killed, or
 * interrupted after the shutdown grace) is charged on resume by an `agent/failed` recorded together with
 * `run/resumed`; its step was never answered, so it is not counted and the next attempt gets it.
 */
export const consumedSteps = (events: ReadonlyArray<RunEvent>): Readonly<Record<string, number>> => {
  const phaseOf = new Map<string, string>()
  const consumed: Record<string, number> = {}
  events.forEach((event, i) => {
    const instance = text(event.payload, "agentInstanceId")
    if (event.type === "agent/started") {
      const phase = text(event.payload, "phase")
      if (instance !== undefined && phase !== undefined) phaseOf.set(instance, phase)
      return
    }
    if (event.type !== "agent/completed" && event.type !== "agent/failed") return
    if (event.type === "agent/failed" && events[i + 1]?.type === "run/resumed") return
    const phase = text(event.payload, "phase") ?? (instance === undefined ? undefined : phaseOf.get(instance))
    if (phase !== undefined) consumed[phase] = (consumed[phase] ?? 0) + 1
  })
  return consumed
}
