/**
 * The `golden/signing/*.json` cases, computed from fixed keys (Ed25519 is deterministic, so the envelopes and roots
 * in the files are reproducible byte for byte). `golden.test.ts` checks the files equal this and rewrites them with
 * UPDATE_GOLDEN=1. Key `<name>` has the seed SHA-256("gauntlet-golden-key-<name>").
 */
import { sha256Hex } from "@gauntlet/canonical"
import { Effect } from "effect"
import {
  type DsseEnvelope,
  encodeBase64,
  initialRoot,
  keyIdOf,
  makeStatement,
  type RootSigned,
  type SigningKey,
  signingKeyFromSeedHex,
  signStatement,
  signTrustRoot
} from "../src/index.js"
import { RFC8032_VECTORS } from "./ed25519-vectors.js"

/** One golden case: `{ requirement, description, input, expected }`. */
export interface GoldenCase {
  readonly requirement: string
  readonly description: string
  readonly input: unknown
  readonly expected: unknown
}

const NOW = "2027-01-01T00:00:00Z"
const EXPIRES = "2030-01-01T00:00:00Z"
const ROLE = "packs/acme"
const ARCHIVE_TEXT = "acme/base 1.4.0 archive bytes"

const key = (name: string): Effect.Effect<SigningKey> =>
  signingKeyFromSeedHex(sha256Hex(`gauntlet-golden-key-${name}`)).pipe(Effect.orDie)

type Window = { readonly validFrom?: string; readonly validUntil?: string; readonly revoked?: boolean }

const root = (options: {
  readonly version?: number
  readonly expires?: string
  readonly rootKeys: ReadonlyArray<SigningKey>
  readonly rootThreshold?: number
  readonly publishers?: ReadonlyArray<SigningKey>
  readonly publisherThreshold?: number
  readonly windows?: Readonly<Record<string, Window>>
  readonly signers?: ReadonlyArray<SigningKey>
}) =>
  Effect.gen(function* () {
    const base = initialRoot({
      version: options.version ?? 1,
      expires: options.expires ?? EXPIRES,
      keys: [
        ...options.rootKeys.map((k) => ({ publicKey: k.publicKey, roles: ["root"] })),
        ...(options.publishers ?? []).map((k) => ({ publicKey: k.publicKey, roles: [ROLE] }))
      ],
      thresholds: {
        root: options.rootThreshold ?? 1,
        ...(options.publishers === undefined ? {} : { [ROLE]: options.publisherThreshold ?? 1 })
      }
    })
    const signed: RootSigned = {
      ...base,
      keys: Object.fromEntries(
        Object.entries(base.keys).map(([id, entry]) => [id, { ...entry, ...options.windows?.[id] }])
      )
    }
    return yield* signTrustRoot(signed, options.signers ?? options.rootKeys).pipe(Effect.orDie)
  })

const packStatement = (version: string) =>
  makeStatement({
    subject: [{ name: "pack.tar.gz", digest: { sha256: sha256Hex(ARCHIVE_TEXT) } }],
    predicateType: "https://gauntlet.dev/attestations/policy-pack/v1",
    predicate: { pack: { id: "acme/base", version } }
  })

const envelopeBy = (keys: ReadonlyArray<SigningKey>, version = "1.4.0"): Effect.Effect<DsseEnvelope> =>
  signStatement(packStatement(version), keys).pipe(Effect.orDie)

const verifyCase = (description: string, input: Record<string, unknown>, expected: unknown): GoldenCase => ({
  requirement: "N4-R86",
  description,
  input: { op: "verify", role: ROLE, now: NOW, ...input },
  expected
})

/** Every golden case by file name (without `.json`). */
export const goldenSigningCases: Effect.Effect<Record<string, GoldenCase>> = Effect.gen(function* () {
  const [r0, r1, r2, p1, p2, stranger] = yield* Effect.forEach(
    ["root-0", "root-1", "root-2", "pub-1", "pub-2", "stranger"],
    key
  )
  if (
    r0 === undefined ||
    r1 === undefined ||
    r2 === undefined ||
    p1 === undefined ||
    p2 === undefined ||
    stranger === undefined
  ) {
    return yield* Effect.die("keys")
  }
  const cases: Record<string, GoldenCase> = {}

  // PAE (N4-R81)
  cases["pae-dsse-spec-example"] = {
    requirement: "N4-R81",
    description: 'DSSE protocol.md example: PAE("http://example.com/HelloWorld", "hello world")',
    input: { op: "pae", payloadType: "http://example.com/HelloWorld", body: "hello world" },
    expected: { pae: "DSSEv1 29 http://example.com/HelloWorld 11 hello world" }
  }
  cases["pae-counts-utf8-bytes"] = {
    requirement: "N4-R81",
    description: 'LEN is the UTF-8 byte length: a 1-character body "é" has length 2',
    input: { op: "pae", payloadType: "application/vnd.in-toto+json", body: "é" },
    expected: { pae: "DSSEv1 28 application/vnd.in-toto+json 2 é" }
  }
  cases["pae-empty-type-and-body"] = {
    requirement: "N4-R81",
    description: "empty payload type and empty body still encode both lengths and separators",
    input: { op: "pae", payloadType: "", bodyHex: "" },
    expected: { paeHex: Buffer.from("DSSEv1 0  0 ").toString("hex") }
  }

  // Ed25519 (N4-R80): RFC 8032 section 7.1
  for (const vector of RFC8032_VECTORS) {
    const slug = vector.name
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, "-")
      .replace(/-$/, "")
    cases[`ed25519-rfc8032-${slug}`] = {
      requirement: "N4-R80",
      description: `RFC 8032 section 7.1 ${vector.name}: public key from the secret key, signature byte for byte`,
      input: { op: "ed25519-sign", secretKey: vector.secretKey, message: vector.message },
      expected: {
        publicKey: vector.publicKey,
        signature: vector.signature,
        keyId: keyIdOf({ keytype: "ed25519", scheme: "ed25519", keyval: { public: vector.publicKey } })
      }
    }
  }
  const test2 = RFC8032_VECTORS[1]
  cases["ed25519-rfc8032-test-2-wrong-message"] = {
    requirement: "N4-R80",
    description: "RFC 8032 TEST 2's signature does not verify a different one-byte message (0x73)",
    input: { op: "ed25519-verify", publicKey: test2.publicKey, message: "73", signature: test2.signature },
    expected: { valid: false }
  }
  cases["ed25519-rfc8032-test-2-verifies"] = {
    requirement: "N4-R80",
    description: "RFC 8032 TEST 2's signature verifies its message 0x72 under its public key",
    input: { op: "ed25519-verify", publicKey: test2.publicKey, message: "72", signature: test2.signature },
    expected: { valid: true }
  }

  // verifyWithRoot (N4-R86): one case per reason code, fixed keys, fixed now.
  const trusted = yield* root({ rootKeys: [r0], publishers: [p1, p2] })
  const artifact = { name: "pack.tar.gz", text: ARCHIVE_TEXT }
  cases["verify-ok"] = verifyCase(
    "a pack statement signed by a publisher of packs/acme, artifact matching, newer than installed: ok",
    { envelope: yield* envelopeBy([p1]), root: trusted, artifact, installedVersion: "1.3.0" },
    { ok: true, signers: [p1.keyId] }
  )
  cases["verify-unknown-key"] = verifyCase(
    "signed only by a key the root does not list",
    { envelope: yield* envelopeBy([stranger]), root: trusted },
    { ok: false, reason: "unknown-key" }
  )
  cases["verify-unknown-key-wrong-role"] = verifyCase(
    "signed by the root key, which the root lists but not for packs/acme",
    { envelope: yield* envelopeBy([r0]), root: trusted },
    { ok: false, reason: "unknown-key" }
  )
  const revokedRoot = yield* root({
    rootKeys: [r0],
    publishers: [p1, p2],
    windows: { [p1.keyId]: { revoked: true } }
  })
  cases["verify-revoked-key"] = verifyCase(
    "signed by a publisher key the root marks revoked",
    { envelope: yield* envelopeBy([p1]), root: revokedRoot },
    { ok: false, reason: "revoked-key" }
  )
  const windowRoot = yield* root({
    rootKeys: [r0],
    publishers: [p1, p2],
    windows: {
      [p1.keyId]: { validFrom: "2025-01-01T00:00:00Z", validUntil: "2026-07-01T00:00:00Z" },
      [p2.keyId]: { validFrom: "2027-06-01T00:00:00Z" }
    }
  })
  cases["verify-expired-key"] = verifyCase(
    "signed by a publisher key whose validity window ended before now",
    { envelope: yield* envelopeBy([p1]), root: windowRoot },
    { ok: false, reason: "expired-key" }
  )
  cases["verify-key-not-yet-valid"] = verifyCase(
    "signed by a publisher key whose validity window starts after now (reported as expired-key)",
    { envelope: yield* envelopeBy([p2]), root: windowRoot },
    { ok: false, reason: "expired-key" }
  )
  cases["verify-key-inside-window"] = verifyCase(
    "the same signature is accepted at a time inside the key's window",
    { envelope: yield* envelopeBy([p1]), root: windowRoot, now: "2026-03-01T00:00:00Z" },
    { ok: true, signers: [p1.keyId] }
  )
  const honest = yield* envelopeBy([p1])
  cases["verify-bad-signature"] = verifyCase(
    "the payload was replaced after signing (version 1.4.0 → 9.9.9): the signature no longer verifies",
    {
      envelope: {
        ...honest,
        payload: encodeBase64(new TextEncoder().encode(JSON.stringify(packStatement("9.9.9"))))
      },
      root: trusted
    },
    { ok: false, reason: "bad-signature" }
  )
  const twoOfTwo = yield* root({ rootKeys: [r0], publishers: [p1, p2], publisherThreshold: 2 })
  cases["verify-threshold-not-met"] = verifyCase(
    "packs/acme needs 2 distinct publisher signatures; one valid signature is present",
    { envelope: yield* envelopeBy([p1]), root: twoOfTwo },
    { ok: false, reason: "threshold-not-met" }
  )
  cases["verify-threshold-met"] = verifyCase(
    "packs/acme needs 2 distinct publisher signatures; both are present",
    { envelope: yield* envelopeBy([p2, p1]), root: twoOfTwo },
    { ok: true, signers: [p2.keyId, p1.keyId] }
  )
  cases["verify-digest-mismatch"] = verifyCase(
    "a validly signed statement about a different archive than the one being installed",
    {
      envelope: yield* envelopeBy([p1]),
      root: trusted,
      artifact: { name: "pack.tar.gz", text: `${ARCHIVE_TEXT}!` }
    },
    { ok: false, reason: "digest-mismatch" }
  )
  cases["verify-rollback"] = verifyCase(
    "a validly signed 1.4.0 while 1.10.0 is installed (semver precedence, not string order)",
    { envelope: yield* envelopeBy([p1]), root: trusted, installedVersion: "1.10.0" },
    { ok: false, reason: "rollback" }
  )
  const expiredRoot = yield* root({ rootKeys: [r0], publishers: [p1, p2], expires: "2026-12-31T23:59:59Z" })
  cases["verify-root-expired"] = verifyCase(
    "the trust root expired before now, whatever the signatures",
    { envelope: yield* envelopeBy([p1]), root: expiredRoot },
    { ok: false, reason: "root-expired" }
  )

  // Root rotation (N4-R87): v1 root keys r0, r1 (threshold 2) → v2 root keys r1, r2 (threshold 2).
  const v1 = yield* root({ rootKeys: [r0, r1], rootThreshold: 2, publishers: [p1] })
  const v2 = (signers: ReadonlyArray<SigningKey>, version = 2, expires = EXPIRES) =>
    root({ version, expires, rootKeys: [r1, r2], rootThreshold: 2, publishers: [p1], signers })
  const rotation = (
    description: string,
    candidate: unknown,
    expected: unknown,
    trustedRoot: unknown = v1
  ): GoldenCase => ({
    requirement: "N4-R87",
    description,
    input: { op: "root-update", trusted: trustedRoot, candidate, now: NOW },
    expected
  })
  cases["root-update-ok"] = rotation(
    "v2 signed by r0+r1 (threshold of v1's root keys) and r1+r2 (threshold of its own): accepted",
    yield* v2([r0, r1, r2]),
    { ok: true, signers: [r0.keyId, r1.keyId, r2.keyId] }
  )
  cases["root-update-old-threshold-missing"] = rotation(
    "v2 signed by r1+r2 only: one of the two v1 root keys signed",
    yield* v2([r1, r2]),
    { ok: false, reason: "threshold-not-met" }
  )
  cases["root-update-new-threshold-missing"] = rotation(
    "v2 signed by r0+r1 only: one of its own two root keys signed",
    yield* v2([r0, r1]),
    { ok: false, reason: "threshold-not-met" }
  )
  cases["root-update-rollback"] = rotation(
    "a well-signed root whose version is not greater than the trusted one",
    v1,
    { ok: false, reason: "rollback" },
    yield* v2([r0, r1, r2])
  )
  cases["root-update-expired"] = rotation(
    "a well-signed v2 that expired before now",
    yield* v2([r0, r1, r2], 2, "2026-06-01T00:00:00Z"),
    { ok: false, reason: "root-expired" }
  )
  return cases
})
