import { type ChildProcess, type SpawnOptions, spawn } from "node:child_process"
import { readdirSync, readFileSync } from "node:fs"
import { Deferred, Duration, Effect, Exit, FiberId, type Scope } from "effect"
import { SpawnFailed } from "./errors.js"

/** How a process group was ended. */
export interface GroupKillOutcome {
  readonly pgid: number
  /** The last signal sent: `null` when the group was already gone. */
  readonly signal: "SIGTERM" | "SIGKILL" | null
  /** Whether the group was gone when the helper returned (a zombie nobody reaps keeps it "alive"). */
  readonly ended: boolean
}

/** `graceMs`: how long the group has after SIGTERM before SIGKILL (default 2000). `pollMs`: check interval (25). */
export interface KillGroupOptions {
  readonly graceMs?: number | undefined
  readonly pollMs?: number | undefined
}

/** Whether a signal-0 probe finds a member of the group (zombies included: they still hold the group id). */
const probeGroup = (pgid: number): boolean => {
  try {
    process.kill(-pgid, 0)
    return true
  } catch (error) {
    // EPERM: a member exists but belongs to someone else — still alive
    return (error as NodeJS.ErrnoException).code === "EPERM"
  }
}

/** Linux: whether `/proc` lists a member of the group that is not a zombie (`null` when `/proc` is unreadable). */
const procGroupHasLiveMember = (pgid: number): boolean | null => {
  let entries: ReadonlyArray<string>
  try {
    entries = readdirSync("/proc")
  } catch {
    return null
  }
  for (const entry of entries) {
    if (!/^\d+$/.test(entry)) continue
    let stat: string
    try {
      stat = readFileSync(`/proc/${entry}/stat`, "utf8")
    } catch {
      continue // the process ended while we looked
    }
    // "<pid> (<comm>) <state> <ppid> <pgrp> …" — comm may hold spaces and parentheses
    const [state, , pgrp] = stat.slice(stat.lastIndexOf(")") + 2).split(" ")
    if (Number(pgrp) === pgid && state !== "Z" && state !== "X") return true
  }
  return false
}

/**
 * Whether any process of group `pgid` still runs. A killed process stays a zombie until its parent reaps it (for
 * orphans, PID 1, which may take a while): on Linux zombies are not counted (read from `/proc`), elsewhere a
 * signal-0 probe decides.
 */
export const processGroupAlive = (pgid: number): boolean => {
  if (!probeGroup(pgid)) return false
  return procGroupHasLiveMember(pgid) ?? true
}

const signalGroup = (pgid: number, signal: NodeJS.Signals): void => {
  try {
    process.kill(-pgid, signal)
  } catch {
    // ESRCH: the group ended between the probe and the signal
  }
}

/** Waits (polling on the Effect clock) until the group is gone or `ms` passed; true when gone. */
const awaitGone = (pgid: number, ms: number, pollMs: number): Effect.Effect<boolean> =>
  Effect.gen(function* () {
    let waited = 0
    while (processGroupAlive(pgid)) {
      if (waited >= ms) return false
      yield* Effect.sleep(Duration.millis(pollMs))
      waited += pollMs
    }
    return true
  })

/**
 * Ends every process of group `pgid` (a process started with `spawnInGroup` leads a group whose id is its pid):
 * SIGTERM to the whole group, up to `graceMs` for it to go, then SIGKILL, which cannot be ignored. Waits for the
 * group to be gone (up to `graceMs` more after SIGKILL) and says how it ended. Never fails.
 */
export const killProcessGroup = (
  pgid: number,
  options: KillGroupOptions = {}
): Effect.Effect<GroupKillOutcome> =>
  Effect.gen(function* () {
    const graceMs = options.graceMs ?? 2000
    const pollMs = options.pollMs ?? 25
    const outcome = (signal: GroupKillOutcome["signal"], ended: boolean): GroupKillOutcome => ({
      pgid,
      signal,
      ended
    })
    if (!processGroupAlive(pgid)) return outcome(null, true)
    signalGroup(pgid, "SIGTERM")
    if (yield* awaitGone(pgid, graceMs, pollMs)) return outcome("SIGTERM", true)
    signalGroup(pgid, "SIGKILL")
    return outcome("SIGKILL", yield* awaitGone(pgid, graceMs, pollMs))
  }).pipe(Effect.withSpan("killProcessGroup", { attributes: { pgid } }))

/** A subprocess leading its own process group. */
export interface GroupProcess {
  readonly pid: number
  readonly child: ChildProcess
  /** Completes when the leader exits, with its exit code or signal. */
  readonly exited: Effect.Effect<{ readonly code: number | null; readonly signal: NodeJS.Signals | null }>
}

/** `spawn` options (except `detached`, always true) plus the kill grace period used when the scope closes. */
export interface SpawnInGroupOptions extends Omit<SpawnOptions, "detached"> {
  readonly killGraceMs?: number | undefined
}

/**
 * Starts `command` with `args` (no shell unless you run one) as the leader of a new process group, bound to the
 * current scope: when the scope closes — the node finished, timed out or was interrupted — the whole group is
 * ended with `killProcessGroup` (SIGTERM, then SIGKILL after `killGraceMs`), so a busy or SIGTERM-ignoring
 * subprocess and its children do not outlive the node. Fails with `SpawnFailed` when it cannot start.
 */
export const spawnInGroup = (
  command: string,
  args: ReadonlyArray<string>,
  options: SpawnInGroupOptions = {}
): Effect.Effect<GroupProcess, SpawnFailed, Scope.Scope> =>
  Effect.acquireRelease(
    Effect.async<GroupProcess, SpawnFailed>((resume) => {
      const { killGraceMs: _, ...spawnOptions } = options
      const child = spawn(command, [...args], { stdio: "ignore", ...spawnOptions, detached: true })
      const exitedDeferred = Deferred.unsafeMake<{ code: number | null; signal: NodeJS.Signals | null }>(
        FiberId.none
      )
      child.once("exit", (code, signal) => {
        Deferred.unsafeDone(exitedDeferred, Exit.succeed({ code, signal }))
      })
      child.once("error", (error) => {
        resume(Effect.fail(new SpawnFailed({ command, reason: error.message })))
      })
      child.once("spawn", () => {
        resume(Effect.succeed({ pid: child.pid as number, child, exited: Deferred.await(exitedDeferred) }))
      })
    }),
    (proc) => killProcessGroup(proc.pid, { graceMs: options.killGraceMs })
  )
