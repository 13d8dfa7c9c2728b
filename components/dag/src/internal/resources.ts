import { type CompiledGlob, compileGlob, globListsMayOverlap } from "./file-globs.js"
import { ReadyQueue } from "./ready-queue.js"
import type { DagNode } from "./spec.js"

/** Lock name of a set of file globs; the NUL prefix keeps it apart from user lock names. */
const groupLockOf = (globs: ReadonlyArray<CompiledGlob>): string =>
  `\u0000files:${globs
    .map((g) => g.source)
    .sort()
    .join("\n")}`

/**
 * Who holds which exclusive resource, and who waits for it.
 *
 * - Named locks (`repo-write`) are held by one running node at a time. Nodes blocked on a lock wait in that lock's
 *   own priority queue; a release hands exactly one waiter back to the ready queue (a wake token), and if that
 *   waiter turns out to be blocked elsewhere the next one is woken, so a free lock with waiters always has one of
 *   them in the ready queue. A contended lock costs O(log n) per hand-over, never a rescan.
 * - File globs: nodes with the same set of globs certainly conflict, so each distinct set is an implicit lock
 *   handled as above. Nodes of different sets conflict when their globs may overlap (`globsMayOverlap`); a node
 *   blocked that way waits on the running node it conflicts with, and while it waits it keeps its set's lock
 *   claimed, because every other node of its set would be blocked by the same running node. So at most one node per
 *   glob set waits on a running node, and a release re-checks at most one node per set.
 *
 * A node that is not running sits in exactly one place: the ready queue or one waiting list.
 */
export class ResourceTable {
  private readonly locksOf: Array<ReadonlyArray<string> | undefined>
  private readonly globsOf: Array<ReadonlyArray<CompiledGlob> | undefined>
  private readonly groupOf: Array<string | undefined>
  private readonly holders = new Map<string, number>()
  private readonly lockWaiters = new Map<string, ReadyQueue>()
  private readonly runningWithFiles = new Set<number>()
  private readonly fileWaiters = new Map<number, Array<number>>()
  private readonly wokenFrom: Array<string | undefined>

  constructor(
    nodes: ReadonlyArray<DagNode>,
    private readonly priority: Float64Array
  ) {
    const n = nodes.length
    this.locksOf = new Array(n)
    this.globsOf = new Array(n)
    this.groupOf = new Array(n)
    this.wokenFrom = new Array(n)
    const compiled = new Map<string, CompiledGlob>()
    for (let i = 0; i < n; i++) {
      const { locks, files } = nodes[i]!
      const names = locks !== undefined && locks.length > 0 ? [...new Set(locks)] : []
      if (files !== undefined && files.length > 0) {
        const globs = [...new Set(files)].map((f) => {
          let glob = compiled.get(f)
          if (glob === undefined) {
            glob = compileGlob(f)
            compiled.set(f, glob)
          }
          return glob
        })
        const group = groupLockOf(globs)
        this.globsOf[i] = globs
        this.groupOf[i] = group
        names.push(group)
      }
      if (names.length > 0) this.locksOf[i] = names
    }
  }

  /**
   * Acquires every resource of node `i` and returns true, or parks `i` where it waits and returns false. Wake-ups
   * owed to other waiters are pushed onto `ready`.
   */
  tryAcquire(i: number, ready: ReadyQueue): boolean {
    const locks = this.locksOf[i]
    if (locks === undefined) return true
    const from = this.wokenFrom[i]
    this.wokenFrom[i] = undefined
    const group = this.groupOf[i]
    for (const lock of locks) {
      const holder = this.holders.get(lock)
      if (holder === undefined || holder === i) continue
      // Blocked on a lock: give up a claim on the glob set, so nodes of the same set may run meanwhile.
      const claimed = group !== undefined && this.holders.get(group) === i
      if (claimed) {
        this.holders.delete(group!)
        this.wakeNext(group!, ready)
      }
      this.waitFor(lock, i)
      if (!(claimed && from === group)) this.passOn(from, ready)
      return false
    }
    const globs = this.globsOf[i]
    if (globs !== undefined) {
      for (const other of this.runningWithFiles) {
        if (globListsMayOverlap(globs, this.globsOf[other]!)) {
          this.holders.set(group!, i)
          const waiters = this.fileWaiters.get(other)
          if (waiters === undefined) this.fileWaiters.set(other, [i])
          else waiters.push(i)
          this.passOn(from, ready)
          return false
        }
      }
      this.runningWithFiles.add(i)
    }
    for (const lock of locks) this.holders.set(lock, i)
    return true
  }

  /** Releases node `i`'s resources and returns their waiters to `ready`. */
  release(i: number, ready: ReadyQueue): void {
    const locks = this.locksOf[i]
    if (locks === undefined) return
    for (const lock of locks) {
      if (this.holders.get(lock) === i) {
        this.holders.delete(lock)
        this.wakeNext(lock, ready)
      }
    }
    if (this.globsOf[i] !== undefined) {
      this.runningWithFiles.delete(i)
      const waiters = this.fileWaiters.get(i)
      if (waiters !== undefined) {
        this.fileWaiters.delete(i)
        for (const w of waiters) ready.push(w)
      }
    }
  }

  private waitFor(lock: string, i: number): void {
    let queue = this.lockWaiters.get(lock)
    if (queue === undefined) {
      queue = new ReadyQueue(this.priority)
      this.lockWaiters.set(lock, queue)
    }
    queue.push(i)
  }

  /** A woken waiter that could not take the lock it was woken for passes the wake token on. */
  private passOn(from: string | undefined, ready: ReadyQueue): void {
    if (from !== undefined && !this.holders.has(from)) this.wakeNext(from, ready)
  }

  private wakeNext(lock: string, ready: ReadyQueue): void {
    const queue = this.lockWaiters.get(lock)
    if (queue === undefined) return
    const next = queue.pop()
    if (next < 0) return
    this.wokenFrom[next] = lock
    ready.push(next)
  }
}
