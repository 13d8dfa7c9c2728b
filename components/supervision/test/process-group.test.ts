import { spawn } from "node:child_process"
import { readFileSync } from "node:fs"
import { describe, expect, it } from "@effect/vitest"
import { Effect, Exit } from "effect"
import { killProcessGroup, processGroupAlive, spawnInGroup, TimedOut, withTimeout } from "../src/index.js"

/** Whether a single process still runs (a zombie awaiting its reaper does not: Linux `/proc` state `Z`). */
const alive = (pid: number): boolean => {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8")
    return stat.slice(stat.lastIndexOf(")") + 2)[0] !== "Z"
  } catch {
    return false
  }
}

/** Starts `sh -c script` as a group leader (outside any scope) and waits until it printed its first line. */
const startGroup = (script: string) =>
  Effect.async<{ pid: number; firstLine: string }>((resume) => {
    const child = spawn("sh", ["-c", script], { detached: true, stdio: ["ignore", "pipe", "ignore"] })
    let out = ""
    child.stdout.on("data", (chunk: Buffer) => {
      out += chunk.toString()
      if (out.includes("\n"))
        resume(Effect.succeed({ pid: child.pid as number, firstLine: out.split("\n")[0]! }))
    })
  })

describe("process groups (real subprocesses)", () => {
  it.live("kills a cooperative group with SIGTERM", () =>
    Effect.gen(function* () {
      const { pid } = yield* startGroup("echo ready; exec sleep 1000")
      expect(processGroupAlive(pid)).toBe(true)
      expect(yield* killProcessGroup(pid, { graceMs: 2000 })).toEqual({
        pgid: pid,
        signal: "SIGTERM",
        ended: true
      })
      expect(processGroupAlive(pid)).toBe(false)
    })
  )

  it.live("escalates to SIGKILL for a busy group that ignores SIGTERM, children included", () =>
    Effect.gen(function* () {
      // the leader and its background child both ignore SIGTERM; the child prints its pid
      const { pid, firstLine } = yield* startGroup(
        "trap '' TERM; sh -c 'while :; do :; done' & echo $!; wait"
      )
      const grandchild = Number(firstLine)
      expect(alive(grandchild)).toBe(true)
      const started = Date.now()
      const outcome = yield* killProcessGroup(pid, { graceMs: 300 })
      expect(outcome).toEqual({ pgid: pid, signal: "SIGKILL", ended: true })
      expect(Date.now() - started).toBeGreaterThanOrEqual(300)
      expect(alive(grandchild)).toBe(false)
      expect(processGroupAlive(pid)).toBe(false)
    })
  )

  it.live("a group that is already gone is reported without a signal", () =>
    Effect.gen(function* () {
      const { pid } = yield* startGroup("echo ready")
      yield* Effect.sleep("200 millis")
      expect(yield* killProcessGroup(pid)).toEqual({ pgid: pid, signal: null, ended: true })
    })
  )

  it.live("an interrupted node that started a busy SIGTERM-ignoring subprocess really ends it", () =>
    Effect.gen(function* () {
      let pid = 0
      const node = Effect.scoped(
        Effect.gen(function* () {
          const proc = yield* spawnInGroup("sh", ["-c", "trap '' TERM; while :; do :; done"], {
            killGraceMs: 200
          })
          pid = proc.pid
          return yield* Effect.never
        })
      )
      const exit = yield* Effect.exit(withTimeout(node, 300, "node busy"))
      expect(exit).toEqual(Exit.fail(new TimedOut({ what: "node busy", ms: 300 })))
      expect(pid).toBeGreaterThan(0)
      expect(processGroupAlive(pid)).toBe(false)
    })
  )

  it.live("a subprocess that exits on its own reports its exit; closing the scope then sends nothing", () =>
    Effect.gen(function* () {
      const result = yield* Effect.scoped(
        Effect.gen(function* () {
          const proc = yield* spawnInGroup("sh", ["-c", "exit 3"])
          return yield* proc.exited
        })
      )
      expect(result).toEqual({ code: 3, signal: null })
    })
  )

  it.live("a command that cannot start fails with SpawnFailed", () =>
    Effect.gen(function* () {
      const error = yield* Effect.flip(
        Effect.scoped(spawnInGroup("/nonexistent/gauntlet-no-such-command", []))
      )
      expect(error._tag).toBe("SpawnFailed")
      expect(error.message).toContain("/nonexistent/gauntlet-no-such-command")
    })
  )
})
