import { describe, expect, it } from "@effect/vitest"
import fc from "fast-check"
import {
  digestOf,
  fromDigestSet,
  isSha256Digest,
  type Sha256Digest,
  sha256Digest,
  sha256Hex,
  toDigestSet
} from "../src/index.js"

describe("digests", () => {
  it("sha256Hex matches the FIPS 180-2 test vectors", () => {
    expect(sha256Hex("abc")).toBe("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
    expect(sha256Hex("")).toBe("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
    expect(sha256Hex("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq")).toBe(
      "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1"
    )
  })

  it("hashes strings as UTF-8 and bytes as given", () => {
    expect(sha256Hex("é")).toBe(sha256Hex(new Uint8Array([0xc3, 0xa9])))
    expect(sha256Digest("abc")).toBe(
      "sha256:ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
    )
  })

  it("digestOf hashes the canonical form, so member order does not matter", () => {
    expect(digestOf({ b: 1, a: [true, null] })).toBe(sha256Digest('{"a":[true,null],"b":1}'))
    expect(digestOf({ a: [true, null], b: 1 })).toBe(digestOf({ b: 1, a: [true, null] }))
  })

  it("isSha256Digest accepts only sha256: and 64 lowercase hex digits", () => {
    expect(isSha256Digest(sha256Digest("x"))).toBe(true)
    const bad = [
      "sha256:",
      `sha256:${"A".repeat(64)}`,
      `sha256:${"a".repeat(63)}`,
      `sha256:${"a".repeat(65)}`,
      `sha512:${"a".repeat(64)}`,
      "a".repeat(64)
    ]
    expect(bad.filter(isSha256Digest)).toEqual([])
  })

  it("converts between record digests and in-toto DigestSets losslessly", () => {
    expect(toDigestSet(sha256Digest("abc"))).toEqual({
      sha256: "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
    })
    fc.assert(
      fc.property(fc.string(), (text) => {
        const digest: Sha256Digest = sha256Digest(text)
        expect(fromDigestSet(toDigestSet(digest))).toBe(digest)
        expect(toDigestSet(digest).sha256).toHaveLength(64)
      })
    )
  })
})
