import { execFileSync } from "node:child_process"
import { mkdtempSync, rmSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { describe, expect, it } from "@effect/vitest"
import { Effect } from "effect"
import fc from "fast-check"
import {
  type DsseEnvelope,
  decodeBase64,
  encodeBase64,
  IN_TOTO_PAYLOAD_TYPE,
  type KeyDescriptor,
  pae,
  publicKeyToPem,
  signEnvelope,
  signingKeyFromSeedHex,
  verifyEnvelopeSignatures
} from "../src/index.js"
import { RFC8032_VECTORS } from "./ed25519-vectors.js"

const text = (bytes: Uint8Array): string => new TextDecoder().decode(bytes)
const utf8 = (value: string): Uint8Array => new TextEncoder().encode(value)

// The independent verifier: OpenSSL 3 (its own Ed25519), found on PATH.
const OPENSSL = "openssl"

const opensslAvailable = (() => {
  try {
    execFileSync(OPENSSL, ["version"], { stdio: "pipe" })
    return true
  } catch {
    return false
  }
})()

// Shown in the test name when the independent check cannot run, so a skip is never silent.
const SKIP_NOTE = opensslAvailable ? "" : " (SKIPPED: openssl is not on PATH)"

const keys = Effect.all([
  signingKeyFromSeedHex(RFC8032_VECTORS[0].secretKey),
  signingKeyFromSeedHex(RFC8032_VECTORS[1].secretKey),
  signingKeyFromSeedHex(RFC8032_VECTORS[2].secretKey)
])

describe("DSSE PAE", () => {
  it("matches the DSSE specification's example", () => {
    expect(text(pae("http://example.com/HelloWorld", utf8("hello world")))).toBe(
      "DSSEv1 29 http://example.com/HelloWorld 11 hello world"
    )
  })

  it("counts bytes, not characters, and allows empty parts", () => {
    expect(text(pae("", new Uint8Array()))).toBe("DSSEv1 0  0 ")
    expect(text(pae("application/vnd.in-toto+json", utf8("é")))).toBe(
      "DSSEv1 28 application/vnd.in-toto+json 2 é"
    )
    expect(text(pae("tÿpe", utf8("x")))).toBe("DSSEv1 5 tÿpe 1 x")
  })

  it("is injective: different (type, body) pairs never share an encoding", () => {
    fc.assert(
      fc.property(fc.string(), fc.uint8Array(), fc.string(), fc.uint8Array(), (t1, b1, t2, b2) => {
        fc.pre(t1 !== t2 || Buffer.compare(Buffer.from(b1), Buffer.from(b2)) !== 0)
        expect(Buffer.compare(Buffer.from(pae(t1, b1)), Buffer.from(pae(t2, b2)))).not.toBe(0)
      })
    )
  })
})

describe("DSSE envelopes", () => {
  it.effect("carry the base64 body and one signature per key; all verify against trusted keys", () =>
    Effect.gen(function* () {
      const [a, b] = yield* keys
      const body = utf8('{"hello":"world"}')
      const envelope = yield* signEnvelope({ payloadType: "application/vnd.test+json", body, keys: [a, b] })
      expect(envelope.payload).toBe(Buffer.from(body).toString("base64"))
      expect(envelope.signatures.map((s) => s.keyid)).toEqual([a.keyId, b.keyId])
      const trusted = new Map<string, KeyDescriptor>([
        [a.keyId, a.publicKey],
        [b.keyId, b.publicKey]
      ])
      expect(verifyEnvelopeSignatures(envelope, trusted)).toEqual({ valid: [a.keyId, b.keyId], invalid: [] })
    })
  )

  it.effect("a tampered payload or payloadType makes every signature bad", () =>
    Effect.gen(function* () {
      const [a, b] = yield* keys
      const envelope = yield* signEnvelope({ payloadType: "t", body: utf8("original"), keys: [a, b] })
      const trusted = new Map([
        [a.keyId, a.publicKey],
        [b.keyId, b.publicKey]
      ])
      const tamperedBody: DsseEnvelope = { ...envelope, payload: encodeBase64(utf8("Original")) }
      expect(verifyEnvelopeSignatures(tamperedBody, trusted)).toEqual({
        valid: [],
        invalid: [
          { index: 0, keyid: a.keyId, reason: "bad-signature" },
          { index: 1, keyid: b.keyId, reason: "bad-signature" }
        ]
      })
      const tamperedType: DsseEnvelope = { ...envelope, payloadType: "u" }
      expect(verifyEnvelopeSignatures(tamperedType, trusted).valid).toEqual([])
    })
  )

  it.effect(
    "keyid is only a hint: wrong hints still verify under the right trusted key, unknown signers do not",
    () =>
      Effect.gen(function* () {
        const [a, b, c] = yield* keys
        const envelope = yield* signEnvelope({ payloadType: "t", body: utf8("x"), keys: [a, c] })
        const swapped: DsseEnvelope = {
          ...envelope,
          signatures: envelope.signatures.map((s, i) => ({ ...s, keyid: i === 0 ? b.keyId : "made-up" }))
        }
        const trusted = new Map([
          [a.keyId, a.publicKey],
          [b.keyId, b.publicKey]
        ])
        expect(verifyEnvelopeSignatures(swapped, trusted)).toEqual({
          valid: [a.keyId],
          invalid: [{ index: 1, keyid: "made-up", reason: "unknown-key" }]
        })
      })
  )

  it.effect("a map entry whose id is not its descriptor's key id is never trusted", () =>
    Effect.gen(function* () {
      const [a, b] = yield* keys
      const envelope = yield* signEnvelope({ payloadType: "t", body: utf8("x"), keys: [a] })
      const lying = new Map([[b.keyId, a.publicKey]])
      expect(verifyEnvelopeSignatures(envelope, lying).valid).toEqual([])
    })
  )

  it.effect("a signature repeated by one key counts once; non-base64 parts are malformed", () =>
    Effect.gen(function* () {
      const [a] = yield* keys
      const envelope = yield* signEnvelope({ payloadType: "t", body: utf8("x"), keys: [a, a] })
      const trusted = new Map([[a.keyId, a.publicKey]])
      expect(verifyEnvelopeSignatures(envelope, trusted)).toEqual({ valid: [a.keyId], invalid: [] })
      const badSig = { ...envelope, signatures: [{ keyid: a.keyId, sig: "***" }] }
      expect(verifyEnvelopeSignatures(badSig, trusted).invalid).toEqual([
        { index: 0, keyid: a.keyId, reason: "malformed" }
      ])
      const badPayload = { ...envelope, payload: "not base64!" }
      expect(verifyEnvelopeSignatures(badPayload, trusted).invalid.map((p) => p.reason)).toEqual([
        "malformed",
        "malformed"
      ])
    })
  )

  it("decodeBase64 is strict", () => {
    expect(decodeBase64("aGVsbG8=")).toEqual(utf8("hello"))
    expect(decodeBase64("aGVsbG8")).toBeUndefined()
    expect(decodeBase64("aGV sbG8=")).toBeUndefined()
    expect(decodeBase64("")).toEqual(new Uint8Array())
  })

  // Independent check: OpenSSL (a second Ed25519 implementation sharing no code with ours) verifies the signature
  // over the PAE bytes, so a bug in our signer cannot hide behind a matching bug in our verifier.
  it.effect.skipIf(!opensslAvailable)(
    `openssl pkeyutl -verify -rawin accepts our signature over the PAE${SKIP_NOTE}`,
    () =>
      Effect.gen(function* () {
        const [, b] = yield* keys
        const body = utf8('{"_type":"https://in-toto.io/Statement/v1"}')
        const envelope = yield* signEnvelope({ payloadType: "application/vnd.in-toto+json", body, keys: [b] })
        const sig = decodeBase64(envelope.signatures[0]?.sig ?? "")
        const pem = yield* publicKeyToPem(b.publicKey)
        const dir = yield* Effect.acquireRelease(
          Effect.sync(() => mkdtempSync(join(tmpdir(), "gauntlet-dsse-"))),
          (path) => Effect.sync(() => rmSync(path, { recursive: true, force: true }))
        )
        const opensslVerifies = (data: Uint8Array): boolean => {
          writeFileSync(join(dir, "pub.pem"), pem)
          writeFileSync(join(dir, "data.bin"), data)
          writeFileSync(join(dir, "sig.bin"), sig ?? new Uint8Array())
          try {
            const out = execFileSync(
              OPENSSL,
              ["pkeyutl", "-verify", "-rawin", "-pubin", "-inkey", join(dir, "pub.pem")].concat([
                "-in",
                join(dir, "data.bin"),
                "-sigfile",
                join(dir, "sig.bin")
              ]),
              { stdio: "pipe" }
            )
            return out.toString().includes("Signature Verified Successfully")
          } catch {
            return false
          }
        }
        expect(sig?.length).toBe(64)
        expect(opensslVerifies(pae(envelope.payloadType, body))).toBe(true)
        expect(opensslVerifies(pae(envelope.payloadType, utf8('{"_type":"x"}')))).toBe(false)
        expect(opensslVerifies(body)).toBe(false)
      }).pipe(Effect.scoped)
  )
  it.effect.skipIf(!opensslAvailable)(
    `openssl signs the PAE with our private key byte for byte like us; we verify it${SKIP_NOTE}`,
    () =>
      Effect.gen(function* () {
        const [a] = yield* keys
        const body = utf8('{"_type":"https://in-toto.io/Statement/v1","subject":[]}')
        const message = pae(IN_TOTO_PAYLOAD_TYPE, body)
        const dir = yield* Effect.acquireRelease(
          Effect.sync(() => mkdtempSync(join(tmpdir(), "gauntlet-dsse-"))),
          (path) => Effect.sync(() => rmSync(path, { recursive: true, force: true }))
        )
        writeFileSync(join(dir, "key.pem"), a.privateKeyPem, { mode: 0o600 })
        writeFileSync(join(dir, "pae.bin"), message)
        const opensslSig = new Uint8Array(
          execFileSync(
            OPENSSL,
            ["pkeyutl", "-sign", "-rawin", "-inkey", join(dir, "key.pem"), "-in", join(dir, "pae.bin")],
            {
              stdio: "pipe"
            }
          )
        )
        const opensslPub = execFileSync(OPENSSL, ["pkey", "-in", join(dir, "key.pem"), "-pubout"], {
          stdio: "pipe"
        }).toString()
        expect(opensslPub).toBe(yield* publicKeyToPem(a.publicKey))
        const ours = yield* signEnvelope({ payloadType: IN_TOTO_PAYLOAD_TYPE, body, keys: [a] })
        expect(encodeBase64(opensslSig)).toBe(ours.signatures[0]?.sig)
        const fromOpenssl: DsseEnvelope = {
          ...ours,
          signatures: [{ keyid: a.keyId, sig: encodeBase64(opensslSig) }]
        }
        expect(verifyEnvelopeSignatures(fromOpenssl, new Map([[a.keyId, a.publicKey]])).valid).toEqual([
          a.keyId
        ])
      }).pipe(Effect.scoped)
  )
})
