/**
 * The ready set: a binary heap of node indexes ordered by priority (highest first), then declaration index
 * (lowest first), so equal priorities start in declaration order. O(log n) push and pop, no rescans.
 */
export class ReadyQueue {
  private readonly heap: Array<number> = []

  constructor(private readonly priority: Float64Array) {}

  get size(): number {
    return this.heap.length
  }

  push(node: number): void {
    const heap = this.heap
    let i = heap.length
    heap.push(node)
    while (i > 0) {
      const parent = (i - 1) >> 1
      if (!this.before(node, heap[parent]!)) break
      heap[i] = heap[parent]!
      i = parent
    }
    heap[i] = node
  }

  /** Removes and returns the first node, or -1 when empty. */
  pop(): number {
    const heap = this.heap
    if (heap.length === 0) return -1
    const top = heap[0]!
    const last = heap.pop()!
    const n = heap.length
    if (n > 0) {
      let i = 0
      for (;;) {
        const left = 2 * i + 1
        if (left >= n) break
        const right = left + 1
        const child = right < n && this.before(heap[right]!, heap[left]!) ? right : left
        if (!this.before(heap[child]!, last)) break
        heap[i] = heap[child]!
        i = child
      }
      heap[i] = last
    }
    return top
  }

  private before(a: number, b: number): boolean {
    const pa = this.priority[a]!
    const pb = this.priority[b]!
    return pa > pb || (pa === pb && a < b)
  }
}
