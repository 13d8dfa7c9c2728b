import { createHash } from "node:crypto"
import { describe, expect, it } from "@effect/vitest"
import { canonicalize, sha256Hex } from "@gauntlet/canonical"
import { Effect, Either } from "effect"
import {
  generateSigningKey,
  keyIdOf,
  publicKeyFromHex,
  publicKeyFromPem,
  publicKeyToPem,
  seedHexOf,
  signBytes,
  signingKeyFromPem,
  signingKeyFromSeedHex,
  verifyBytes
} from "../src/index.js"
import { RFC8032_VECTORS } from "./ed25519-vectors.js"

const hex = (bytes: Uint8Array): string => Buffer.from(bytes).toString("hex")
const bytesOf = (text: string): Uint8Array => new Uint8Array(Buffer.from(text, "hex"))

describe("Ed25519 (RFC 8032 section 7.1)", () => {
  it('TEST SHA(abc)\'s message is SHA-512 of "abc"', () => {
    expect(createHash("sha512").update("abc").digest("hex")).toBe(RFC8032_VECTORS[3].message)
  })

  for (const vector of RFC8032_VECTORS) {
    it.effect(`${vector.name}: public key from the secret, signature byte for byte, verification`, () =>
      Effect.gen(function* () {
        const key = yield* signingKeyFromSeedHex(vector.secretKey)
        expect(key.publicKey.keyval.public).toBe(vector.publicKey)
        const signature = yield* signBytes(key, bytesOf(vector.message))
        expect(hex(signature)).toBe(vector.signature)
        expect(verifyBytes(key.publicKey, bytesOf(vector.message), bytesOf(vector.signature))).toBe(true)
        expect(yield* seedHexOf(key)).toBe(vector.secretKey)
      })
    )
  }

  it.effect("a flipped bit in the message or the signature does not verify", () =>
    Effect.gen(function* () {
      const vector = RFC8032_VECTORS[2]
      const key = yield* signingKeyFromSeedHex(vector.secretKey)
      const message = bytesOf(vector.message)
      const signature = bytesOf(vector.signature)
      for (let bit = 0; bit < 16; bit++) {
        const tampered = Uint8Array.from(message)
        tampered[bit >> 3] = (tampered[bit >> 3] ?? 0) ^ (1 << (bit & 7))
        expect(verifyBytes(key.publicKey, tampered, signature)).toBe(false)
      }
      const badSig = Uint8Array.from(signature)
      badSig[10] = (badSig[10] ?? 0) ^ 1
      expect(verifyBytes(key.publicKey, message, badSig)).toBe(false)
      expect(verifyBytes(key.publicKey, message, signature.subarray(0, 63))).toBe(false)
    })
  )
})

describe("key descriptors and ids", () => {
  it.effect("the key id is the SHA-256 of the RFC 8785 form of the TUF descriptor", () =>
    Effect.gen(function* () {
      const key = yield* signingKeyFromSeedHex(RFC8032_VECTORS[0].secretKey)
      expect(key.publicKey).toEqual({
        keytype: "ed25519",
        scheme: "ed25519",
        keyval: { public: RFC8032_VECTORS[0].publicKey }
      })
      const expected = sha256Hex(
        `{"keytype":"ed25519","keyval":{"public":"${RFC8032_VECTORS[0].publicKey}"},"scheme":"ed25519"}`
      )
      expect(key.keyId).toBe(expected)
      expect(keyIdOf(key.publicKey)).toBe(expected)
      expect(sha256Hex(canonicalize(key.publicKey))).toBe(expected)
    })
  )

  it("extra members (validity, revocation) do not change the key id", () => {
    const descriptor = {
      keytype: "ed25519" as const,
      scheme: "ed25519" as const,
      keyval: { public: RFC8032_VECTORS[1].publicKey }
    }
    const withExtras = { ...descriptor, validFrom: "2026-01-01T00:00:00Z", revoked: true }
    expect(keyIdOf(withExtras)).toBe(keyIdOf(descriptor))
  })

  it.effect("generated keys are distinct, sign and round-trip through PEM", () =>
    Effect.gen(function* () {
      const a = yield* generateSigningKey
      const b = yield* generateSigningKey
      expect(a.keyId).not.toBe(b.keyId)
      expect(a.keyId).toMatch(/^[0-9a-f]{64}$/)
      expect(a.privateKeyPem).toContain("BEGIN PRIVATE KEY")
      const again = yield* signingKeyFromPem(a.privateKeyPem)
      expect(again).toEqual(a)
      const pem = yield* publicKeyToPem(a.publicKey)
      expect(pem).toContain("BEGIN PUBLIC KEY")
      expect(yield* publicKeyFromPem(pem)).toEqual(a.publicKey)
      expect(yield* publicKeyFromHex(a.publicKey.keyval.public)).toEqual(a.publicKey)
      const message = new TextEncoder().encode("hello")
      expect(verifyBytes(a.publicKey, message, yield* signBytes(a, message))).toBe(true)
      expect(verifyBytes(b.publicKey, message, yield* signBytes(a, message))).toBe(false)
    })
  )

  it.effect("malformed key material fails with InvalidKey naming the source", () =>
    Effect.gen(function* () {
      const seed = yield* Effect.either(signingKeyFromSeedHex("abc"))
      expect(Either.isLeft(seed) && seed.left.source).toBe("seed-hex")
      const upper = yield* Effect.either(signingKeyFromSeedHex(RFC8032_VECTORS[0].secretKey.toUpperCase()))
      expect(Either.isLeft(upper)).toBe(true)
      const pem = yield* Effect.either(
        signingKeyFromPem("-----BEGIN PRIVATE KEY-----\nnope\n-----END PRIVATE KEY-----")
      )
      expect(Either.isLeft(pem) && pem.left.source).toBe("private-pem")
      expect(Either.isLeft(pem) && pem.left.message).toMatch(/^invalid private-pem key: /)
      const pub = yield* Effect.either(publicKeyFromHex("zz"))
      expect(Either.isLeft(pub) && pub.left.source).toBe("public-hex")
      const pubPem = yield* Effect.either(publicKeyFromPem("not a pem"))
      expect(Either.isLeft(pubPem) && pubPem.left.source).toBe("public-pem")
    })
  )

  it("verifyBytes never throws on a malformed descriptor", () => {
    const bad = { keytype: "ed25519" as const, scheme: "ed25519" as const, keyval: { public: "00" } }
    expect(verifyBytes(bad, new Uint8Array(1), new Uint8Array(64))).toBe(false)
  })
})
