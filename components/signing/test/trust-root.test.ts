import { describe, expect, it } from "@effect/vitest"
import { canonicalBytes } from "@gauntlet/canonical"
import { Effect, Either } from "effect"
import {
  addRootSignatures,
  decodeTrustRoot,
  signTrustRoot,
  verifyBytes,
  verifyRootUpdate,
  verifyTrustRoot
} from "../src/index.js"
import { makeRoot, rootSigned, testKeys } from "./fixtures.js"

const NOW = "2027-01-01T00:00:00Z"

describe("trust root documents", () => {
  it.effect("are signed over the RFC 8785 bytes of `signed` with hex Ed25519 signatures", () =>
    Effect.gen(function* () {
      const [a, b] = yield* testKeys(2)
      if (a === undefined || b === undefined) throw new Error("keys")
      const root = yield* makeRoot({ version: 1, root: [a, b], rootThreshold: 2 }, [a, b])
      expect(root.signatures.map((s) => s.keyid)).toEqual([a.keyId, b.keyId])
      const sig = root.signatures[0]?.sig ?? ""
      expect(sig).toMatch(/^[0-9a-f]{128}$/)
      expect(verifyBytes(a.publicKey, canonicalBytes(root.signed), Buffer.from(sig, "hex"))).toBe(true)
      expect(yield* decodeTrustRoot(JSON.parse(JSON.stringify(root)))).toEqual(root)
      expect(verifyTrustRoot(root, NOW)).toEqual({ ok: true, root, signers: [a.keyId, b.keyId] })
    })
  )

  it.effect("co-signing adds signatures and replaces a key's earlier one", () =>
    Effect.gen(function* () {
      const [a, b] = yield* testKeys(2)
      if (a === undefined || b === undefined) throw new Error("keys")
      const one = yield* signTrustRoot(rootSigned({ version: 1, root: [a, b], rootThreshold: 2 }), [a])
      expect(verifyTrustRoot(one, NOW).ok).toBe(false)
      const both = yield* addRootSignatures(one, [b, a])
      expect(both.signatures.map((s) => s.keyid)).toEqual([b.keyId, a.keyId])
      expect(verifyTrustRoot(both, NOW).ok).toBe(true)
    })
  )

  it.effect("decodeTrustRoot names the inconsistent place", () =>
    Effect.gen(function* () {
      const [a, b] = yield* testKeys(2)
      if (a === undefined || b === undefined) throw new Error("keys")
      const good = yield* makeRoot({ version: 1, root: [a], rootThreshold: 1 }, [a])
      const pointerOf = (input: unknown) =>
        Effect.map(Effect.either(decodeTrustRoot(input)), (result) =>
          Either.isLeft(result) ? [result.left.pointer, result.left.message] : ["accepted"]
        )
      expect((yield* pointerOf({ ...good, signed: { ...good.signed, version: 0 } }))[0]).toBe(
        "/signed/version"
      )
      expect((yield* pointerOf({ ...good, signed: { ...good.signed, _type: "root" } }))[0]).toBe(
        "/signed/_type"
      )
      const misfiled = { ...good, signed: { ...good.signed, keys: { [b.keyId]: a.publicKey } } }
      expect((yield* pointerOf(misfiled))[0]).toBe(`/signed/keys/${b.keyId}`)
      const missingKey = {
        ...good,
        signed: { ...good.signed, roles: { root: { keyids: [a.keyId, b.keyId], threshold: 1 } } }
      }
      expect(yield* pointerOf(missingKey)).toEqual([
        "/signed/roles/root/keyids",
        `invalid trust root at /signed/roles/root/keyids: names key ${b.keyId}, which is not in /signed/keys`
      ])
      const tooHigh = {
        ...good,
        signed: { ...good.signed, roles: { root: { keyids: [a.keyId, a.keyId], threshold: 2 } } }
      }
      expect((yield* pointerOf(tooHigh))[0]).toBe("/signed/roles/root/threshold")
      const noRoot = { ...good, signed: { ...good.signed, roles: {} } }
      expect((yield* pointerOf(noRoot))[0]).toBe("/signed/roles")
      const badSig = { ...good, signatures: [{ keyid: a.keyId, sig: "ZZ" }] }
      expect((yield* pointerOf(badSig))[0]).toBe("/signatures/0/sig")
      expect((yield* pointerOf({ ...good, signed: { ...good.signed, expires: "soon" } }))[0]).toBe(
        "/signed/expires"
      )
      const offset = { ...good, signed: { ...good.signed, expires: "2030-01-01T00:00:00+02:00" } }
      expect((yield* pointerOf(offset))[0]).toBe("/signed/expires")
      const window = {
        ...good,
        signed: { ...good.signed, keys: { [a.keyId]: { ...a.publicKey, validUntil: "2030-01-01" } } }
      }
      expect((yield* pointerOf(window))[0]).toBe(`/signed/keys/${a.keyId}/validUntil`)
    })
  )

  it.effect("an expired root is refused on load", () =>
    Effect.gen(function* () {
      const [a] = yield* testKeys(1)
      if (a === undefined) throw new Error("keys")
      const root = yield* makeRoot(
        { version: 1, expires: "2026-06-01T00:00:00Z", root: [a], rootThreshold: 1 },
        [a]
      )
      expect(verifyTrustRoot(root, NOW)).toEqual({
        ok: false,
        reason: "root-expired",
        detail: "trust root version 1 expired at 2026-06-01T00:00:00Z"
      })
    })
  )
})

describe("root rotation (TUF 5.3)", () => {
  // Trusted v1: root keys k0, k1, k2 with threshold 2. Candidate v2: root keys k2, k3, k4 with threshold 2.
  const setup = Effect.gen(function* () {
    const keys = yield* testKeys(5)
    const [k0, k1, k2, k3, k4] = keys
    if (k0 === undefined || k1 === undefined || k2 === undefined || k3 === undefined || k4 === undefined) {
      throw new Error("keys")
    }
    const trusted = yield* makeRoot({ version: 1, root: [k0, k1, k2], rootThreshold: 2 }, [k0, k1])
    const next = rootSigned({ version: 2, root: [k2, k3, k4], rootThreshold: 2 })
    return { k0, k1, k2, k3, k4, trusted, next }
  })

  it.effect("accepts a root signed by a threshold of the old AND of the new root keys", () =>
    Effect.gen(function* () {
      const { k0, k1, k3, k4, trusted, next } = yield* setup
      const candidate = yield* signTrustRoot(next, [k0, k1, k3, k4])
      expect(verifyRootUpdate(trusted, candidate, NOW)).toEqual({
        ok: true,
        root: candidate,
        signers: [k0.keyId, k1.keyId, k3.keyId, k4.keyId]
      })
    })
  )

  it.effect("a key in both roots counts for both sides, once each", () =>
    Effect.gen(function* () {
      const { k0, k2, k3, trusted, next } = yield* setup
      const candidate = yield* signTrustRoot(next, [k0, k2, k3])
      expect(verifyRootUpdate(trusted, candidate, NOW).ok).toBe(true)
      const doubled = {
        ...candidate,
        signatures: [...candidate.signatures, ...candidate.signatures].slice(0, 4)
      }
      expect(verifyRootUpdate(trusted, doubled, NOW).ok).toBe(true)
    })
  )

  it.effect("refuses when the OLD root's threshold is missing", () =>
    Effect.gen(function* () {
      const { k0, k3, k4, trusted, next } = yield* setup
      const candidate = yield* signTrustRoot(next, [k0, k3, k4])
      const result = verifyRootUpdate(trusted, candidate, NOW)
      expect(result.ok === false && result.reason).toBe("threshold-not-met")
      expect(result.ok === false && result.detail).toMatch(
        /^root version 2 is signed by 1 of the 2 root key\(s\) the trusted root \(version 1\) requires/
      )
    })
  )

  it.effect("refuses when the NEW root's threshold is missing", () =>
    Effect.gen(function* () {
      const { k0, k1, k3, trusted, next } = yield* setup
      const candidate = yield* signTrustRoot(next, [k0, k1, k3])
      const result = verifyRootUpdate(trusted, candidate, NOW)
      expect(result.ok === false && result.reason).toBe("threshold-not-met")
      expect(result.ok === false && result.detail).toMatch(/the new root \(version 2\) requires/)
    })
  )

  it.effect("refuses a version that is not strictly greater (rollback), even when well signed", () =>
    Effect.gen(function* () {
      const { k0, k1, k2, trusted } = yield* setup
      const same = yield* makeRoot({ version: 1, root: [k0, k1, k2], rootThreshold: 2 }, [k0, k1, k2])
      expect(verifyRootUpdate(trusted, same, NOW)).toEqual({
        ok: false,
        reason: "rollback",
        detail: "candidate root version 1 is not greater than the trusted version 1"
      })
      const v3 = yield* makeRoot({ version: 3, root: [k0, k1, k2], rootThreshold: 2 }, [k0, k1])
      const v2 = yield* makeRoot({ version: 2, root: [k0, k1, k2], rootThreshold: 2 }, [k0, k1])
      expect(verifyRootUpdate(v3, v2, NOW).ok === false && verifyRootUpdate(v3, v2, NOW)).toMatchObject({
        reason: "rollback"
      })
    })
  )

  it.effect("refuses an expired candidate (root-expired) but rotates away from an expired trusted root", () =>
    Effect.gen(function* () {
      const { k0, k1, k2, k3, k4 } = yield* setup
      const expiredTrusted = yield* makeRoot(
        { version: 1, expires: "2026-02-01T00:00:00Z", root: [k0, k1, k2], rootThreshold: 2 },
        [k0, k1]
      )
      const stale = yield* makeRoot(
        { version: 2, expires: "2026-12-31T00:00:00Z", root: [k2, k3, k4], rootThreshold: 2 },
        [k0, k1, k3, k4]
      )
      expect(verifyRootUpdate(expiredTrusted, stale, NOW)).toEqual({
        ok: false,
        reason: "root-expired",
        detail: "candidate root version 2 expired at 2026-12-31T00:00:00Z"
      })
      const fresh = yield* makeRoot({ version: 2, root: [k2, k3, k4], rootThreshold: 2 }, [k0, k1, k3, k4])
      expect(verifyRootUpdate(expiredTrusted, fresh, NOW).ok).toBe(true)
    })
  )

  it.effect("revoked or out-of-window old root keys do not count toward the old threshold", () =>
    Effect.gen(function* () {
      const { k0, k1, k2, k3, k4 } = yield* setup
      const trusted = yield* makeRoot(
        {
          version: 1,
          root: [k0, k1, k2],
          rootThreshold: 2,
          extra: { [k1.keyId]: { revoked: true }, [k2.keyId]: { validUntil: "2026-06-01T00:00:00Z" } }
        },
        [k0, k1]
      )
      const candidate = yield* signTrustRoot(rootSigned({ version: 2, root: [k3, k4], rootThreshold: 2 }), [
        k0,
        k1,
        k2,
        k3,
        k4
      ])
      const result = verifyRootUpdate(trusted, candidate, NOW)
      expect(result.ok === false && result.reason).toBe("threshold-not-met")
      expect(result.ok === false && result.detail).toContain(`key ${k1.keyId} is revoked`)
    })
  )

  it.effect("a tampered candidate does not verify", () =>
    Effect.gen(function* () {
      const { k0, k1, k3, k4, trusted, next } = yield* setup
      const candidate = yield* signTrustRoot(next, [k0, k1, k3, k4])
      const tampered = { ...candidate, signed: { ...candidate.signed, expires: "2031-01-01T00:00:00Z" } }
      const result = verifyRootUpdate(trusted, tampered, NOW)
      expect(result.ok === false && result.reason).toBe("threshold-not-met")
      expect(result.ok === false && result.detail).toContain("does not verify")
    })
  )
})
