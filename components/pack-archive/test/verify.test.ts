import { mkdtempSync, readFileSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { describe, expect, it } from "@effect/vitest"
import {
  type BuiltPackArchive,
  buildPackArchive,
  initPack,
  PACK_PREDICATE_TYPE,
  signPack,
  verifyPack
} from "@gauntlet/pack-archive"
import {
  type DsseEnvelope,
  makeStatement,
  openStatement,
  type RootSigned,
  type SigningKey,
  signingKeyFromSeedHex,
  signStatement,
  signTrustRoot,
  type TrustRoot
} from "@gauntlet/signing"
import { Effect } from "effect"

const NOW = "2026-11-29T12:00:00.000Z"
const seed = (n: number) => n.toString(16).padStart(2, "0").repeat(32)
const key = (n: number) => Effect.orDie(signingKeyFromSeedHex(seed(n)))

/** Keys: 1 root, 2 and 3 publishers, 4 revoked, 5 expired, 6 not in the root. */
const fixtures = Effect.gen(function* () {
  const [root, pub, pub2, revoked, expired, stranger] = yield* Effect.all([1, 2, 3, 4, 5, 6].map(key))
  const k = { root, pub, pub2, revoked, expired, stranger } as Record<string, SigningKey>
  const trusted = (name: string, extra: object = {}) => ({ ...(k[name] as SigningKey).publicKey, ...extra })
  const signed: RootSigned = {
    _type: "gauntlet-root",
    version: 1,
    expires: "2027-01-01T00:00:00Z",
    keys: {
      [root.keyId]: trusted("root"),
      [pub.keyId]: trusted("pub"),
      [pub2.keyId]: trusted("pub2"),
      [revoked.keyId]: trusted("revoked", { revoked: true }),
      [expired.keyId]: trusted("expired", { validUntil: "2026-06-01T00:00:00Z" })
    },
    roles: {
      root: { keyids: [root.keyId], threshold: 1 },
      "packs/acme": { keyids: [pub.keyId, pub2.keyId, revoked.keyId, expired.keyId], threshold: 1 },
      "packs/strict": { keyids: [pub.keyId, pub2.keyId], threshold: 2 }
    }
  }
  const trustRoot = yield* Effect.orDie(signTrustRoot(signed, [root]))
  return {
    keys: k as Record<"root" | "pub" | "pub2" | "revoked" | "expired" | "stranger", SigningKey>,
    trustRoot
  }
})

const scaffold = (id: string, version = "0.1.0") =>
  Effect.gen(function* () {
    const dir = join(mkdtempSync(join(tmpdir(), "pack-verify-")), "pack")
    yield* initPack(dir, id)
    const manifest = JSON.parse(readFileSync(join(dir, "pack.json"), "utf8")) as { version: string }
    writeFileSync(join(dir, "pack.json"), `${JSON.stringify({ ...manifest, version }, null, 2)}\n`)
    return dir
  })

const built = (id: string, version = "0.1.0") =>
  Effect.flatMap(scaffold(id, version), (dir) => buildPackArchive(dir))

const reasonOf = (
  archive: BuiltPackArchive | Uint8Array,
  envelope: DsseEnvelope,
  root: TrustRoot,
  extra = {}
) =>
  Effect.map(
    verifyPack({
      archive: archive instanceof Uint8Array ? archive : archive.bytes,
      envelope,
      root,
      now: NOW,
      ...extra
    }),
    (result) => (result.ok ? "ok" : result.reason)
  )

describe("signPack + verifyPack, end to end with real archives", () => {
  it.effect(
    "a pack signed by a publisher of its namespace verifies, naming the signer; the statement is in-toto v1",
    () =>
      Effect.gen(function* () {
        const { keys, trustRoot } = yield* fixtures
        const archive = yield* built("acme/demo")
        const { envelope, subjectName } = yield* signPack({ archive, keys: [keys.pub] })
        const result = yield* verifyPack({ archive: archive.bytes, envelope, root: trustRoot, now: NOW })
        expect(result.ok).toBe(true)
        if (!result.ok) return
        expect([result.id, result.version, result.digest, result.signers]).toEqual([
          "acme/demo",
          "0.1.0",
          archive.digest,
          [keys.pub.keyId]
        ])
        const statement = yield* openStatement(envelope)
        expect(envelope.payloadType).toBe("application/vnd.in-toto+json")
        expect(statement.predicateType).toBe(PACK_PREDICATE_TYPE)
        expect(statement.subject).toEqual([
          { name: subjectName, digest: { sha256: archive.digest.slice("sha256:".length) } }
        ])
        expect(subjectName).toBe("acme-demo-0.1.0.tar.gz")
        expect(result.predicate.tests.passed).toBe(2)
        expect(result.predicate.rules).toEqual([
          { id: "no-debugger", layer: "L2", severity: "medium", action: "block" }
        ])
      }),
    60_000
  )

  it.effect(
    "signing archive bytes re-runs the tests and gives the same envelope as signing the fresh build",
    () =>
      Effect.gen(function* () {
        const { keys } = yield* fixtures
        const archive = yield* built("acme/demo")
        const fromBuild = yield* signPack({ archive, keys: [keys.pub] })
        const fromBytes = yield* signPack({ archive: archive.bytes, keys: [keys.pub] })
        expect(fromBytes.envelope).toEqual(fromBuild.envelope)
      }),
    60_000
  )

  it.effect(
    "every reason code",
    () =>
      Effect.gen(function* () {
        const { keys, trustRoot } = yield* fixtures
        const archive = yield* built("acme/demo")
        const strict = yield* built("strict/demo")
        const sign = (what: BuiltPackArchive, ...by: Array<SigningKey>) =>
          Effect.map(signPack({ archive: what, keys: by }), (signed) => signed.envelope)
        const good = yield* sign(archive, keys.pub)

        expect(yield* reasonOf(archive, good, trustRoot)).toBe("ok")
        expect(yield* reasonOf(archive, yield* sign(archive, keys.stranger), trustRoot)).toBe("unknown-key")
        expect(yield* reasonOf(archive, yield* sign(archive, keys.revoked), trustRoot)).toBe("revoked-key")
        expect(yield* reasonOf(archive, yield* sign(archive, keys.expired), trustRoot)).toBe("expired-key")
        // a publisher of another namespace's role cannot sign for acme: the root key is not in packs/acme
        expect(yield* reasonOf(archive, yield* sign(archive, keys.root), trustRoot)).toBe("unknown-key")

        const forged = {
          ...good,
          signatures: good.signatures.map((s) => ({
            ...s,
            sig: Buffer.from(Buffer.from(s.sig, "base64").map((b, i) => (i === 0 ? b ^ 1 : b))).toString(
              "base64"
            )
          }))
        }
        expect(yield* reasonOf(archive, forged, trustRoot)).toBe("bad-signature")

        expect(yield* reasonOf(strict, yield* sign(strict, keys.pub), trustRoot)).toBe("threshold-not-met")
        expect(yield* reasonOf(strict, yield* sign(strict, keys.pub, keys.pub), trustRoot)).toBe(
          "threshold-not-met"
        )
        expect(yield* reasonOf(strict, yield* sign(strict, keys.pub, keys.pub2), trustRoot)).toBe("ok")

        expect(yield* reasonOf(archive, good, trustRoot, { installedVersion: "0.2.0" })).toBe("rollback")
        expect(yield* reasonOf(archive, good, trustRoot, { installedVersion: "0.1.0" })).toBe("ok")
        expect(yield* reasonOf(archive, good, trustRoot, { installedVersion: "0.0.9" })).toBe("ok")

        expect(yield* reasonOf(archive, good, trustRoot, { now: "2027-01-01T00:00:00Z" })).toBe(
          "root-expired"
        )
      }),
    60_000
  )

  it.effect(
    "a tampered tarball is digest-mismatch; so is another pack's archive under this envelope",
    () =>
      Effect.gen(function* () {
        const { keys, trustRoot } = yield* fixtures
        const archive = yield* built("acme/demo")
        const { envelope } = yield* signPack({ archive, keys: [keys.pub] })
        const flipped = Uint8Array.from(archive.bytes)
        flipped[flipped.length - 12] = (flipped[flipped.length - 12] ?? 0) ^ 0xff
        const result = yield* verifyPack({ archive: flipped, envelope, root: trustRoot, now: NOW })
        expect(result).toMatchObject({ ok: false, reason: "digest-mismatch" })

        const dir = yield* scaffold("acme/demo")
        writeFileSync(join(dir, "README.md"), "# a different readme\n")
        const other = yield* buildPackArchive(dir)
        expect(yield* reasonOf(other, envelope, trustRoot)).toBe("digest-mismatch")
      }),
    60_000
  )

  it.effect(
    "a statement signed by a trusted key but inconsistent with the archive contents is digest-mismatch",
    () =>
      Effect.gen(function* () {
        const { keys, trustRoot } = yield* fixtures
        const archive = yield* built("acme/demo")
        const lying = makeStatement({
          subject: [{ name: archive.fileName, digest: { sha256: archive.digest.slice(7) } }],
          predicateType: PACK_PREDICATE_TYPE,
          predicate: { ...archive.predicate, files: archive.predicate.files.slice(1) }
        })
        const envelope = yield* signStatement(lying, [keys.pub])
        const result = yield* verifyPack({ archive: archive.bytes, envelope, root: trustRoot, now: NOW })
        expect(result).toMatchObject({ ok: false, reason: "digest-mismatch" })
        if (!result.ok) expect(result.detail).toContain("README.md")
      }),
    60_000
  )

  it.effect(
    "an envelope that is not a policy-pack attestation is refused as bad-signature, not trusted",
    () =>
      Effect.gen(function* () {
        const { keys, trustRoot } = yield* fixtures
        const archive = yield* built("acme/demo")
        const other = makeStatement({
          subject: [{ name: archive.fileName, digest: { sha256: archive.digest.slice(7) } }],
          predicateType: "https://slsa.dev/provenance/v1",
          predicate: archive.predicate
        })
        const envelope = yield* signStatement(other, [keys.pub])
        const result = yield* verifyPack({ archive: archive.bytes, envelope, root: trustRoot, now: NOW })
        expect(result).toMatchObject({ ok: false, reason: "bad-signature" })
      }),
    60_000
  )
})

describe("a trusted signer cannot smuggle a path through the pack id", () => {
  it.effect(
    "a predicate whose id is not namespace/name (e.g. with '..') does not decode: bad-signature, nothing trusted",
    () =>
      Effect.gen(function* () {
        const { keys, trustRoot } = yield* fixtures
        const archive = yield* built("acme/demo")
        const statement = makeStatement({
          subject: [{ name: "acme-..-evil-0.1.0.tar.gz", digest: { sha256: archive.digest.slice(7) } }],
          predicateType: PACK_PREDICATE_TYPE,
          predicate: { ...archive.predicate, pack: { ...archive.predicate.pack, id: "acme/../../evil" } }
        })
        const envelope = yield* signStatement(statement, [keys.pub])
        const result = yield* verifyPack({ archive: archive.bytes, envelope, root: trustRoot, now: NOW })
        expect(result).toMatchObject({ ok: false, reason: "bad-signature" })
        if (!result.ok) expect(result.detail).toContain("/pack/id")
      }),
    60_000
  )
})
