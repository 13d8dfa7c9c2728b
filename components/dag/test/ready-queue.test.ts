import { describe, expect, it } from "@effect/vitest"
import { FastCheck as fc } from "effect"
import { ReadyQueue } from "../src/internal/ready-queue.js"

describe("ReadyQueue", () => {
  it.prop(
    "pops by priority (highest first), then declaration index (lowest first)",
    [fc.array(fc.integer({ min: -3, max: 3 }), { minLength: 1, maxLength: 200 }), fc.func(fc.boolean())],
    ([priorities, interleave]) => {
      const priority = Float64Array.from(priorities)
      const queue = new ReadyQueue(priority)
      const expected = priorities.map((_, i) => i).sort((a, b) => priority[b]! - priority[a]! || a - b)
      // Push in a scrambled order and pop some early, to exercise both sift directions.
      const order = priorities
        .map((_, i) => i)
        .sort((a, b) => ((a * 7919) % 101) - ((b * 7919) % 101) || a - b)
      const popped: Array<number> = []
      const shadow = new Set<number>()
      for (const i of order) {
        queue.push(i)
        shadow.add(i)
        if (interleave(i)) {
          const top = queue.pop()
          const best = [...shadow].sort((a, b) => priority[b]! - priority[a]! || a - b)[0]
          expect(top).toBe(best)
          shadow.delete(top)
          popped.push(top)
        }
      }
      while (queue.size > 0) popped.push(queue.pop())
      expect(queue.pop()).toBe(-1)
      expect([...popped].sort((a, b) => a - b)).toEqual(priorities.map((_, i) => i))
      if (!order.some((i) => interleave(i))) expect(popped).toEqual(expected)
    }
  )
})
