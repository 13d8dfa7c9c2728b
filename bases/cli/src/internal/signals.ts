import type { ShutdownSignal, ShutdownSignalSource } from "@gauntlet/supervision"

type Handler = (signal: ShutdownSignal) => void

const graceful = new Set<Handler>()

/**
 * The process's SIGTERM/SIGINT as a `ShutdownSignalSource`. While a command is subscribed (a run in progress drains
 * and checkpoints) a signal goes to it; otherwise the runner interrupts the command (exit 130). The real
 * `process.on` wiring is `installSignalHandlers`, called once by the process entry.
 */
export const processSignals: ShutdownSignalSource = {
  subscribe: (onSignal) => {
    const handler: Handler = (signal) => onSignal(signal)
    graceful.add(handler)
    return () => {
      graceful.delete(handler)
    }
  }
}

/**
 * Routes SIGTERM/SIGINT: to the graceful subscribers when there are any, else to `interrupt`. Returns the function
 * that removes the handlers.
 */
export const installSignalHandlers = (interrupt: () => void): (() => void) => {
  const route = (signal: ShutdownSignal) => () => {
    if (graceful.size === 0) interrupt()
    else for (const handler of [...graceful]) handler(signal)
  }
  const onTerm = route("SIGTERM")
  const onInt = route("SIGINT")
  process.on("SIGTERM", onTerm)
  process.on("SIGINT", onInt)
  return () => {
    process.off("SIGTERM", onTerm)
    process.off("SIGINT", onInt)
  }
}
