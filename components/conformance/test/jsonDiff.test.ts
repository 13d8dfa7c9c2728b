import { describe, expect, it } from "@effect/vitest"
import fc from "fast-check"
import { formatDiff, jsonDiff } from "../src/index.js"

describe("jsonDiff", () => {
  it("ignores object key order but nothing else", () => {
    expect(jsonDiff({ a: 1, b: [1, 2] }, { b: [1, 2], a: 1 })).toEqual([])
    expect(jsonDiff(1, "1")).toEqual([{ path: "", expected: "1", actual: '"1"' }])
    expect(jsonDiff([1], [1, 2])).toEqual([{ path: "/1", expected: "(missing)", actual: "2" }])
    expect(jsonDiff({ "a/b": { "~": 1 } }, { "a/b": {} })).toEqual([
      { path: "/a~1b/~0", expected: "1", actual: "(missing)" }
    ])
  })

  it("names non-JSON actual values", () => {
    expect(jsonDiff({ a: 1 }, { a: undefined })).toEqual([{ path: "/a", expected: "1", actual: "(missing)" }])
    expect(jsonDiff(null, new Map())).toEqual([
      { path: "", expected: "null", actual: "(Map instance, not JSON)" }
    ])
    expect(jsonDiff(1, Number.NaN)).toEqual([{ path: "", expected: "1", actual: "NaN (not JSON)" }])
  })

  it("formats one line per difference", () => {
    expect(formatDiff(jsonDiff({ x: [true] }, { x: [false], y: null }))).toBe(
      "  /x/0: expected true, got false\n  /y: expected (missing), got null"
    )
  })

  it("a JSON value never differs from its own round trip, and differs from a changed copy", () => {
    fc.assert(
      fc.property(fc.jsonValue(), (value) => {
        expect(jsonDiff(value, JSON.parse(JSON.stringify(value)))).toEqual([])
        expect(jsonDiff({ v: value }, { v: value, extra: 1 }).length).toBe(1)
      })
    )
  })
})
