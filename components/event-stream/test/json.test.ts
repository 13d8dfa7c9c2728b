import { canonicalize } from "@gauntlet/canonical"
import { canonicalJson, locateNonJson } from "@gauntlet/event-stream"
import fc from "fast-check"
import { describe, expect, it } from "vitest"

describe("canonicalJson (the hot-path RFC 8785 writer)", () => {
  it("is byte-identical to json-canonicalize for any JSON value", () => {
    fc.assert(
      fc.property(fc.jsonValue(), (value) => {
        expect(canonicalJson(value)).toBe(canonicalize(value))
      }),
      { numRuns: 2000 }
    )
  })

  it("is byte-identical for full-unicode keys and strings, lone surrogates included", () => {
    const text = fc.string({ unit: "binary", maxLength: 12 })
    fc.assert(
      fc.property(
        fc.dictionary(text, fc.oneof(text, fc.double({ noNaN: true, noDefaultInfinity: true }))),
        (value) => {
          expect(canonicalJson(value)).toBe(canonicalize(value))
        }
      ),
      { numRuns: 1000 }
    )
  })

  it("sorts keys by UTF-16 code units and formats numbers as ECMAScript does (RFC 8785 §3.2)", () => {
    expect(
      canonicalJson({ b: 1, a: [1e21, 0.1, -0, 1e-7], "\u20ac": true, "\ud83d\ude00": null, "\ufb33": 2 })
    ).toBe('{"a":[1e+21,0.1,0,1e-7],"b":1,"\u20ac":true,"\ud83d\ude00":null,"\ufb33":2}')
  })

  it("drops undefined members like JSON.stringify", () => {
    expect(canonicalJson({ a: undefined, b: 1 })).toBe('{"b":1}')
  })

  it.each([
    ["NaN", { x: Number.NaN }, "/x", "NaN is not a JSON number"],
    ["Infinity", { x: [1, Number.POSITIVE_INFINITY] }, "/x/1", "Infinity is not a JSON number"],
    ["a function", { f: () => 1 }, "/f", "a function is not a JSON value"],
    ["a bigint", { n: 10n }, "/n", "bigint 10 is not a JSON number"],
    ["a symbol", { s: Symbol("x") }, "/s", "a symbol is not a JSON value"],
    ["a Date", { when: new Date(0) }, "/when", "a Date instance is not a plain JSON object"],
    ["a Map", { m: new Map() }, "/m", "a Map instance is not a plain JSON object"],
    [
      "an undefined array item",
      { a: [1, undefined] },
      "/a/1",
      "undefined is not a JSON value (array items must be defined)"
    ],
    ["an escaped key", { "a/b~c": { x: Number.NaN } }, "/a~1b~0c/x", "NaN is not a JSON number"]
  ])("rejects %s and locates it", (_name, value, pointer, reason) => {
    expect(canonicalJson(value)).toBeUndefined()
    expect(locateNonJson(value)).toEqual({ pointer, reason })
  })

  it("rejects and locates a cycle", () => {
    const inner: Record<string, unknown> = { n: 1 }
    const value = { a: { inner } }
    inner.back = value
    expect(canonicalJson(value)).toBeUndefined()
    expect(locateNonJson(value)).toEqual({ pointer: "/a/inner/back", reason: "circular reference" })
  })

  it("finds nothing wrong in JSON values", () => {
    fc.assert(
      fc.property(fc.jsonValue(), (value) => {
        expect(locateNonJson(value)).toBeUndefined()
      }),
      { numRuns: 300 }
    )
  })
})
