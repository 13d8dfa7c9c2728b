import { type CompiledGlob, compileGlob, globListsMayOverlap } from "./file-globs.js"
import { ReadyQueue } from "./ready-queue.js"
import type { DagNode } from "./spec.js"

/**
 * Who holds which exclusive resource, and who waits for it. Two kinds of resource:
 * - named locks (`repo-write`): held by one running node at a time. Nodes blocked on a lock wait in that lock's
 *   own priority queue; a release hands exactly one waiter back to the ready queue (a "wake token"), and if that
 *   waiter turns out to be blocked elsewhere the next waiter is woken, so a free lock with waiters always has one
 *   of them in the ready queue. Heavily contended locks therefore cost O(log n) per hand-over, not a rescan.
 * - exclusive file globs: a node whose globs may overlap a running node's globs waits on that node; when it
 *   finishes, all of its waiters return to the ready queue (each re-checks against what is running then).
 * A node that is not running sits in exactly one place: the ready queue or one waiting list.
 */
export class ResourceTable {
  private readonly locksOf: Array<ReadonlyArray<string> | undefined>
  private readonly globsOf: Array<ReadonlyArray<CompiledGlob> | undefined>
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
    this.wokenFrom = new Array(n)
    for (let i = 0; i < n; i++) {
      const { locks, files } = nodes[i]!
      if (locks !== undefined && locks.length > 0) this.locksOf[i] = [...new Set(locks)]
      if (files !== undefined && files.length > 0) this.globsOf[i] = [...new Set(files)].map(compileGlob)
    }
  }

  /**
   * Acquires every resource of node `i` and returns true, or parks `i` where it waits and returns false. Wake-ups
   * owed to other waiters are pushed onto `ready`.
   */
  tryAcquire(i: number, ready: ReadyQueue): boolean {
    const locks = this.locksOf[i]
    const globs = this.globsOf[i]
    if (locks === undefined && globs === undefined) return true
    const from = this.wokenFrom[i]
    this.wokenFrom[i] = undefined
    if (this.park(i, locks, globs)) {
      if (from !== undefined && !this.holders.has(from)) this.wakeNext(from, ready)
      return false
    }
    if (locks !== undefined) for (const lock of locks) this.holders.set(lock, i)
    if (globs !== undefined) this.runningWithFiles.add(i)
    return true
  }

  /** Releases node `i`'s resources and returns their waiters to `ready`. */
  release(i: number, ready: ReadyQueue): void {
    const locks = this.locksOf[i]
    if (locks !== undefined) {
      for (const lock of locks) {
        if (this.holders.get(lock) === i) {
          this.holders.delete(lock)
          this.wakeNext(lock, ready)
        }
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

  private park(
    i: number,
    locks: ReadonlyArray<string> | undefined,
    globs: ReadonlyArray<CompiledGlob> | undefined
  ): boolean {
    if (locks !== undefined) {
      for (const lock of locks) {
        if (this.holders.has(lock)) {
          let queue = this.lockWaiters.get(lock)
          if (queue === undefined) {
            queue = new ReadyQueue(this.priority)
            this.lockWaiters.set(lock, queue)
          }
          queue.push(i)
          return true
        }
      }
    }
    if (globs !== undefined) {
      for (const other of this.runningWithFiles) {
        if (globListsMayOverlap(globs, this.globsOf[other]!)) {
          const waiters = this.fileWaiters.get(other)
          if (waiters === undefined) this.fileWaiters.set(other, [i])
          else waiters.push(i)
          return true
        }
      }
    }
    return false
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
