import { describe, expect, it } from "@effect/vitest"
import { Effect } from "effect"
import fc from "fast-check"
import {
  type DsseEnvelope,
  decodeBase64,
  encodeBase64,
  signEnvelope,
  verifyEnvelopeSignatures
} from "../src/index.js"
import { testKeys } from "./fixtures.js"

describe("envelope properties", () => {
  it.effect("any body signs and verifies; any single changed payload byte makes the signature bad", () =>
    Effect.gen(function* () {
      const [a] = yield* testKeys(1)
      if (a === undefined) throw new Error("keys")
      const trusted = new Map([[a.keyId, a.publicKey]])
      const samples = fc.sample(
        fc.record({
          type: fc.string({ maxLength: 40 }),
          body: fc.uint8Array({ minLength: 1, maxLength: 300 }),
          position: fc.nat(),
          flip: fc.integer({ min: 1, max: 255 })
        }),
        { numRuns: 60, seed: 8032 }
      )
      for (const sample of samples) {
        const envelope: DsseEnvelope = yield* signEnvelope({
          payloadType: sample.type,
          body: sample.body,
          keys: [a]
        })
        expect(decodeBase64(envelope.payload)).toEqual(sample.body)
        expect(verifyEnvelopeSignatures(envelope, trusted).valid).toEqual([a.keyId])
        const changed = Uint8Array.from(sample.body)
        const index = sample.position % changed.length
        changed[index] = (changed[index] ?? 0) ^ sample.flip
        const tampered = { ...envelope, payload: encodeBase64(changed) }
        expect(verifyEnvelopeSignatures(tampered, trusted)).toEqual({
          valid: [],
          invalid: [{ index: 0, keyid: a.keyId, reason: "bad-signature" }]
        })
      }
    })
  )

  it("base64 encoding round-trips through the strict decoder", () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 200 }), (bytes) => {
        expect(decodeBase64(encodeBase64(bytes))).toEqual(bytes)
      })
    )
  })
})
