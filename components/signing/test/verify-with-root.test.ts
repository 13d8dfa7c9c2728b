import { describe, expect, it } from "@effect/vitest"
import { sha256Hex } from "@gauntlet/canonical"
import { Effect } from "effect"
import {
  compareVersions,
  encodeBase64,
  makeStatement,
  packRole,
  type SigningKey,
  signStatement,
  type TrustRoot,
  VERIFICATION_REASONS,
  verifyWithRoot
} from "../src/index.js"
import { makeRoot, testKeys } from "./fixtures.js"

const NOW = "2027-01-01T00:00:00Z"
const archive = new TextEncoder().encode("deterministic tarball bytes")
const statement = makeStatement({
  subject: [{ name: "pack.tar.gz", digest: { sha256: sha256Hex(archive) } }],
  predicateType: "https://gauntlet.dev/attestations/policy-pack/v1",
  predicate: { pack: { id: "acme/base", version: "1.4.0" } }
})

// Root key k0; pack publishers k1, k2 (threshold given per test); k3 is known to nobody.
const setup = (options: {
  readonly threshold?: number
  readonly extra?: Readonly<
    Record<string, Partial<{ validFrom: string; validUntil: string; revoked: boolean }>>
  >
  readonly expires?: string
}) =>
  Effect.gen(function* () {
    const [k0, k1, k2, k3] = yield* testKeys(4)
    if (k0 === undefined || k1 === undefined || k2 === undefined || k3 === undefined) throw new Error("keys")
    const root: TrustRoot = yield* makeRoot(
      {
        version: 1,
        root: [k0],
        rootThreshold: 1,
        packs: [k1, k2],
        packsThreshold: options.threshold ?? 1,
        ...(options.extra === undefined ? {} : { extra: options.extra }),
        ...(options.expires === undefined ? {} : { expires: options.expires })
      },
      [k0]
    )
    return { k0, k1, k2, k3, root }
  })

const sign = (keys: ReadonlyArray<SigningKey>) => signStatement(statement, keys).pipe(Effect.orDie)

describe("verifyWithRoot: one reason code each", () => {
  it("knows exactly the eight reason codes", () => {
    expect([...VERIFICATION_REASONS].sort()).toEqual(
      [
        "bad-signature",
        "digest-mismatch",
        "expired-key",
        "revoked-key",
        "rollback",
        "root-expired",
        "threshold-not-met",
        "unknown-key"
      ].sort()
    )
  })

  it.effect(
    "ok: a threshold of the role's keys signed; signers come from the root, statement is returned",
    () =>
      Effect.gen(function* () {
        const { k1, root } = yield* setup({})
        const envelope = yield* sign([k1])
        expect(verifyWithRoot({ envelope, root, role: "packs/acme", now: NOW })).toEqual({
          ok: true,
          signers: [k1.keyId]
        })
        expect(
          verifyWithRoot({
            envelope,
            root,
            role: "packs/acme",
            now: NOW,
            artifact: { name: "pack.tar.gz", bytes: archive },
            installedVersion: "1.3.9"
          })
        ).toEqual({ ok: true, signers: [k1.keyId], statement })
      })
  )

  it.effect("unknown-key: signed by a key the root does not list", () =>
    Effect.gen(function* () {
      const { k3, root } = yield* setup({})
      const result = verifyWithRoot({ envelope: yield* sign([k3]), root, role: "packs/acme", now: NOW })
      expect(result).toEqual({
        ok: false,
        reason: "unknown-key",
        detail: `role packs/acme: 0 of 1 required valid signature(s); signature 0 is by a key the root does not list (hint "${k3.keyId}")`
      })
    })
  )

  it.effect(
    "unknown-key: signed by a root key that is not a key of the role, or for a role the root lacks",
    () =>
      Effect.gen(function* () {
        const { k0, k1, root } = yield* setup({})
        const byRootKey = verifyWithRoot({ envelope: yield* sign([k0]), root, role: "packs/acme", now: NOW })
        expect(byRootKey.ok === false && byRootKey.reason).toBe("unknown-key")
        expect(byRootKey.ok === false && byRootKey.detail).toContain(
          `key ${k0.keyId} is not a key of role packs/acme`
        )
        const noRole = verifyWithRoot({ envelope: yield* sign([k1]), root, role: "packs/other", now: NOW })
        expect(noRole).toEqual({
          ok: false,
          reason: "unknown-key",
          detail: "trust root version 1 defines no role packs/other"
        })
      })
  )

  it.effect("revoked-key: the only signer is revoked", () =>
    Effect.gen(function* () {
      const keys = yield* testKeys(2)
      const k1 = keys[1]
      if (k1 === undefined) throw new Error("keys")
      const { root } = yield* setup({ extra: { [k1.keyId]: { revoked: true } } })
      const result = verifyWithRoot({ envelope: yield* sign([k1]), root, role: "packs/acme", now: NOW })
      expect(result).toEqual({
        ok: false,
        reason: "revoked-key",
        detail: `role packs/acme: 0 of 1 required valid signature(s); signature 0: key ${k1.keyId} is revoked`
      })
    })
  )

  it.effect("expired-key: the signer's validity window has ended, or has not begun", () =>
    Effect.gen(function* () {
      const keys = yield* testKeys(3)
      const [, k1, k2] = keys
      if (k1 === undefined || k2 === undefined) throw new Error("keys")
      const { root } = yield* setup({
        extra: {
          [k1.keyId]: { validFrom: "2025-01-01T00:00:00Z", validUntil: "2026-01-01T00:00:00Z" },
          [k2.keyId]: { validFrom: "2028-01-01T00:00:00Z" }
        }
      })
      const ended = verifyWithRoot({ envelope: yield* sign([k1]), root, role: "packs/acme", now: NOW })
      expect(ended.ok === false && ended.reason).toBe("expired-key")
      expect(ended.ok === false && ended.detail).toContain("not valid since 2026-01-01T00:00:00Z")
      const notYet = verifyWithRoot({ envelope: yield* sign([k2]), root, role: "packs/acme", now: NOW })
      expect(notYet.ok === false && notYet.detail).toContain("not valid before 2028-01-01T00:00:00Z")
      // Inside the window the same signature is fine.
      expect(
        verifyWithRoot({ envelope: yield* sign([k1]), root, role: "packs/acme", now: "2025-06-01T00:00:00Z" })
          .ok
      ).toBe(true)
    })
  )

  it.effect("bad-signature: a tampered payload", () =>
    Effect.gen(function* () {
      const { k1, root } = yield* setup({})
      const envelope = yield* sign([k1])
      const forged = makeStatement({
        ...statement,
        predicate: { pack: { id: "acme/base", version: "9.9.9" } }
      })
      const tampered = {
        ...envelope,
        payload: encodeBase64(new TextEncoder().encode(JSON.stringify(forged)))
      }
      expect(verifyWithRoot({ envelope: tampered, root, role: "packs/acme", now: NOW })).toEqual({
        ok: false,
        reason: "bad-signature",
        detail: `role packs/acme: 0 of 1 required valid signature(s); signature 0 (key ${k1.keyId}) does not verify`
      })
    })
  )

  it.effect("threshold-not-met: one valid signature where two are required; none at all", () =>
    Effect.gen(function* () {
      const { k1, root } = yield* setup({ threshold: 2 })
      const envelope = yield* sign([k1])
      expect(verifyWithRoot({ envelope, root, role: "packs/acme", now: NOW })).toEqual({
        ok: false,
        reason: "threshold-not-met",
        detail: "role packs/acme: 1 of 2 required valid signature(s)"
      })
      const twice = yield* sign([k1, k1])
      expect(verifyWithRoot({ envelope: twice, root, role: "packs/acme", now: NOW }).ok).toBe(false)
      const unsigned = { ...envelope, signatures: [] }
      expect(verifyWithRoot({ envelope: unsigned, root, role: "packs/acme", now: NOW })).toMatchObject({
        reason: "threshold-not-met"
      })
    })
  )

  it.effect("a threshold met by valid keys tolerates an extra bad or revoked signature (TUF counting)", () =>
    Effect.gen(function* () {
      const { k1, k2, k3, root } = yield* setup({ threshold: 2 })
      const envelope = yield* sign([k1, k3, k2])
      expect(verifyWithRoot({ envelope, root, role: "packs/acme", now: NOW })).toEqual({
        ok: true,
        signers: [k1.keyId, k2.keyId]
      })
    })
  )

  it.effect("digest-mismatch: the artifact is not the one the statement names", () =>
    Effect.gen(function* () {
      const { k1, root } = yield* setup({})
      const result = verifyWithRoot({
        envelope: yield* sign([k1]),
        root,
        role: "packs/acme",
        now: NOW,
        artifact: { name: "pack.tar.gz", bytes: new TextEncoder().encode("tampered tarball bytes") }
      })
      expect(result.ok === false && result.reason).toBe("digest-mismatch")
      expect(result.ok === false && result.detail).toContain(`statement says sha256 ${sha256Hex(archive)}`)
    })
  )

  it.effect("rollback: the candidate's version is lower than the installed one", () =>
    Effect.gen(function* () {
      const { k1, root } = yield* setup({})
      const envelope = yield* sign([k1])
      expect(
        verifyWithRoot({ envelope, root, role: "packs/acme", now: NOW, installedVersion: "1.10.0" })
      ).toEqual({
        ok: false,
        reason: "rollback",
        detail: "version 1.4.0 is lower than the installed 1.10.0"
      })
      expect(
        verifyWithRoot({ envelope, root, role: "packs/acme", now: NOW, installedVersion: "1.4.0" }).ok
      ).toBe(true)
      const explicit = verifyWithRoot({
        envelope,
        root,
        role: "packs/acme",
        now: NOW,
        installedVersion: "3",
        version: "2"
      })
      expect(explicit.ok === false && explicit.reason).toBe("rollback")
    })
  )

  it.effect("root-expired: the trust root itself has expired, whatever the signatures", () =>
    Effect.gen(function* () {
      const { k1, root } = yield* setup({ expires: "2026-12-31T23:59:59Z" })
      expect(verifyWithRoot({ envelope: yield* sign([k1]), root, role: "packs/acme", now: NOW })).toEqual({
        ok: false,
        reason: "root-expired",
        detail: "trust root version 1 expired at 2026-12-31T23:59:59Z"
      })
    })
  )

  it.effect(
    "precedence when several signatures fail: bad-signature before revoked-key before unknown-key",
    () =>
      Effect.gen(function* () {
        const keys = yield* testKeys(4)
        const [, k1, k2, k3] = keys
        if (k1 === undefined || k2 === undefined || k3 === undefined) throw new Error("keys")
        const { root } = yield* setup({ threshold: 2, extra: { [k2.keyId]: { revoked: true } } })
        const envelope = yield* sign([k3, k2])
        expect(verifyWithRoot({ envelope, root, role: "packs/acme", now: NOW })).toMatchObject({
          reason: "revoked-key"
        })
        const withBad = {
          ...envelope,
          signatures: [...envelope.signatures, { keyid: k1.keyId, sig: encodeBase64(new Uint8Array(64)) }]
        }
        expect(verifyWithRoot({ envelope: withBad, root, role: "packs/acme", now: NOW })).toMatchObject({
          reason: "bad-signature"
        })
      })
  )
})

describe("helpers", () => {
  it("packRole maps a pack id to its namespace role", () => {
    expect(packRole("acme/base")).toBe("packs/acme")
    expect(packRole("gauntlet/foundations")).toBe("packs/gauntlet")
  })

  it("compareVersions orders integers numerically and semver by precedence", () => {
    expect(compareVersions("10", "9")).toBe(1)
    expect(compareVersions("1.10.0", "1.9.0")).toBe(1)
    expect(compareVersions("1.0.0-rc.1", "1.0.0")).toBe(-1)
    expect(compareVersions("2.0.0", "2.0.0")).toBe(0)
    expect(compareVersions("x", "1.0.0")).toBeUndefined()
  })
})
