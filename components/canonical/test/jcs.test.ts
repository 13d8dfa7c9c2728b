import { describe, expect, it } from "@effect/vitest"
import fc from "fast-check"
import { canonicalBytes, canonicalize } from "../src/index.js"

describe("canonicalize (RFC 8785)", () => {
  it("sorts member names by UTF-16 code units, not by code point or locale", () => {
    // U+1F602 is the surrogate pair D83D DE02, which sorts before U+FB33 although its code point is larger.
    const value = { "\ufb33": 1, "\ud83d\ude02": 2, é: 3, e: 4, E: 5, "10": 6, "1": 7, "": 8 }
    expect(canonicalize(value)).toBe('{"":8,"1":7,"10":6,"E":5,"e":4,"é":3,"\ud83d\ude02":2,"\ufb33":1}')
  })

  it("sorts nested objects recursively and keeps array order", () => {
    expect(canonicalize({ b: [3, { z: 1, y: 2 }, 1], a: { d: null, c: true } })).toBe(
      '{"a":{"c":true,"d":null},"b":[3,{"y":2,"z":1},1]}'
    )
  })

  it("formats numbers as ECMAScript does", () => {
    const cases: ReadonlyArray<readonly [number, string]> = [
      [0, "0"],
      [-0, "0"],
      [1, "1"],
      [4.5, "4.5"],
      [0.1 + 0.2, "0.30000000000000004"],
      [1e21, "1e+21"],
      [1e20, "100000000000000000000"],
      [1e-6, "0.000001"],
      [1e-7, "1e-7"],
      [-5e-324, "-5e-324"],
      [Number.MAX_SAFE_INTEGER + 1, "9007199254740992"]
    ]
    expect(cases.map(([n]) => canonicalize(n))).toEqual(cases.map(([, s]) => s))
  })

  it("escapes strings minimally with lowercase hex", () => {
    expect(canonicalize('\u0000\u0008\t\n\u000b\f\r\u001f "\\/\u007f\u00e9\u2028')).toBe(
      '"\\u0000\\b\\t\\n\\u000b\\f\\r\\u001f \\"\\\\/\u007f\u00e9\u2028"'
    )
  })

  it("drops undefined members, writes undefined array items as null, and rejects non-finite numbers", () => {
    expect(canonicalize({ a: undefined, b: [undefined, 1] })).toBe('{"b":[null,1]}')
    expect(() => canonicalize({ n: Number.NaN })).toThrow(/NaN/)
    expect(() => canonicalize([Number.POSITIVE_INFINITY])).toThrow(/Infinity/)
  })

  it("canonicalBytes is the UTF-8 encoding of the canonical text", () => {
    expect([...canonicalBytes({ é: "€" })]).toEqual([...Buffer.from('{"é":"€"}', "utf8")])
  })

  it("is idempotent: canonicalize(JSON.parse(canonicalize(x))) === canonicalize(x)", () => {
    fc.assert(
      fc.property(fc.jsonValue(), (value) => {
        const once = canonicalize(value)
        expect(canonicalize(JSON.parse(once))).toBe(once)
      }),
      { numRuns: 500 }
    )
  })

  it("does not depend on member insertion order", () => {
    fc.assert(
      fc.property(fc.dictionary(fc.string(), fc.jsonValue(), { maxKeys: 8 }), (record) => {
        const reversed = Object.fromEntries(Object.entries(record).reverse())
        expect(canonicalize(reversed)).toBe(canonicalize(record))
      })
    )
  })
})
