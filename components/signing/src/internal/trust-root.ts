import { canonicalBytes, isIsoUtc } from "@gauntlet/canonical"
import { Effect, ParseResult, Schema } from "effect"
import { findSigner } from "./dsse.js"
import { type InvalidKey, InvalidTrustRoot } from "./errors.js"
import { KeyDescriptor, keyIdOf, type SigningKey, signBytes } from "./keys.js"

const HEX = /^(?:[0-9a-f]{2})+$/

/** An instant as ISO-8601 UTC text (`2030-01-01T00:00:00Z`, N0). */
const Instant = Schema.String.pipe(
  Schema.filter(
    (text) => isIsoUtc(text) || `expected an ISO-8601 UTC instant (…Z), got ${JSON.stringify(text)}`
  )
)

/** A key the root trusts: its TUF descriptor plus an optional validity window and a revocation flag. */
export const TrustedKey = Schema.Struct({
  ...KeyDescriptor.fields,
  validFrom: Schema.optional(Instant),
  validUntil: Schema.optional(Instant),
  revoked: Schema.optional(Schema.Boolean)
})
/** A key the root trusts. */
export type TrustedKey = typeof TrustedKey.Type

/** A role: which keys may sign for it and how many distinct valid signatures it needs. */
export const RoleKeys = Schema.Struct({
  keyids: Schema.Array(Schema.String),
  threshold: Schema.Int.pipe(Schema.greaterThanOrEqualTo(1))
})
/** A role's keys and threshold. */
export type RoleKeys = typeof RoleKeys.Type

/**
 * The signed part of a trust root: `_type` "gauntlet-root", a version (integer ≥ 1), an expiry, the trusted keys by
 * key id, and roles: `root` (who may sign the next root), `packs/<namespace>` (pack publishers), `evidence`, ….
 */
export const RootSigned = Schema.Struct({
  _type: Schema.Literal("gauntlet-root"),
  version: Schema.Int.pipe(Schema.greaterThanOrEqualTo(1)),
  expires: Instant,
  keys: Schema.Record({ key: Schema.String, value: TrustedKey }),
  roles: Schema.Record({ key: Schema.String, value: RoleKeys })
})
/** The signed part of a trust root. */
export type RootSigned = typeof RootSigned.Type

/** A root signature: key id hint and the hex Ed25519 signature over the RFC 8785 bytes of `signed` (as TUF). */
export const RootSignature = Schema.Struct({
  keyid: Schema.String,
  sig: Schema.String
})
/** A root signature. */
export type RootSignature = typeof RootSignature.Type

/** A TUF-style trust root: `{ signed, signatures }`. */
export const TrustRoot = Schema.Struct({
  /** Free text for humans (e.g. "development only"); not signed, never used in a decision. */
  _comment: Schema.optional(Schema.String),
  signed: RootSigned,
  signatures: Schema.Array(RootSignature)
})
/** A TUF-style trust root. */
export type TrustRoot = typeof TrustRoot.Type

const decodeRoot = Schema.decodeUnknownEither(TrustRoot)

const pointerOf = (path: ReadonlyArray<PropertyKey>): string =>
  path.map((part) => `/${String(part).replaceAll("~", "~0").replaceAll("/", "~1")}`).join("")

/**
 * Decodes a trust root and checks it is consistent: every key is filed under its own key id, every role names only
 * keys of the root, a `root` role exists, and no threshold exceeds the number of distinct keys of its role.
 * Signatures are not checked here (see `verifyTrustRoot` and `verifyRootUpdate`).
 */
export const decodeTrustRoot = (input: unknown): Effect.Effect<TrustRoot, InvalidTrustRoot> =>
  Effect.gen(function* () {
    const decoded = decodeRoot(input, { errors: "first", onExcessProperty: "preserve" })
    if (decoded._tag === "Left") {
      const issue = ParseResult.ArrayFormatter.formatErrorSync(decoded.left)[0]
      return yield* new InvalidTrustRoot({
        pointer: pointerOf(issue?.path ?? []),
        reason: issue?.message ?? "does not decode"
      })
    }
    const root = decoded.right
    for (const [keyId, key] of Object.entries(root.signed.keys)) {
      if (keyIdOf(key) !== keyId) {
        return yield* new InvalidTrustRoot({
          pointer: pointerOf(["signed", "keys", keyId]),
          reason: `key is filed under ${keyId} but its key id is ${keyIdOf(key)}`
        })
      }
    }
    if (root.signed.roles.root === undefined) {
      return yield* new InvalidTrustRoot({ pointer: "/signed/roles", reason: 'missing the "root" role' })
    }
    for (const [name, role] of Object.entries(root.signed.roles)) {
      const unknown = role.keyids.find((keyId) => root.signed.keys[keyId] === undefined)
      if (unknown !== undefined) {
        return yield* new InvalidTrustRoot({
          pointer: pointerOf(["signed", "roles", name, "keyids"]),
          reason: `names key ${unknown}, which is not in /signed/keys`
        })
      }
      const distinct = new Set(role.keyids).size
      if (role.threshold > distinct) {
        return yield* new InvalidTrustRoot({
          pointer: pointerOf(["signed", "roles", name, "threshold"]),
          reason: `threshold ${role.threshold} exceeds the ${distinct} distinct key(s) of the role`
        })
      }
    }
    for (const signature of root.signatures) {
      if (!HEX.test(signature.sig)) {
        return yield* new InvalidTrustRoot({
          pointer: `/signatures/${root.signatures.indexOf(signature)}/sig`,
          reason: "expected lowercase hex"
        })
      }
    }
    return root
  })

/** Signs `signed` with every key: a complete root (for one-party roots and tests). */
export const signTrustRoot = (
  signed: RootSigned,
  keys: ReadonlyArray<SigningKey>
): Effect.Effect<TrustRoot, InvalidKey> => addRootSignatures({ signed, signatures: [] }, keys)

/** Adds each key's signature over `root.signed` (replacing an earlier signature by the same key): co-signing. */
export const addRootSignatures = (
  root: TrustRoot,
  keys: ReadonlyArray<SigningKey>
): Effect.Effect<TrustRoot, InvalidKey> => {
  const message = canonicalBytes(root.signed)
  return Effect.map(
    Effect.forEach(keys, (key) =>
      Effect.map(signBytes(key, message), (sig) => ({
        keyid: key.keyId,
        sig: Buffer.from(sig).toString("hex")
      }))
    ),
    (added) => {
      const replaced = new Set(added.map((signature) => signature.keyid))
      return {
        signed: root.signed,
        signatures: [...root.signatures.filter((signature) => !replaced.has(signature.keyid)), ...added]
      }
    }
  )
}

/** Milliseconds since the epoch of a `now` given as a Date, an ISO string or milliseconds. */
export const instantOf = (now: Date | string | number): number =>
  typeof now === "number" ? now : typeof now === "string" ? Date.parse(now) : now.getTime()

/** Why a key of a root cannot sign at `now`: revoked, or outside its validity window; `undefined` when it can. */
const keyProblemAt = (
  key: TrustedKey,
  now: number
): { readonly reason: "revoked-key" | "expired-key"; readonly detail: string } | undefined => {
  if (key.revoked === true) return { reason: "revoked-key", detail: "revoked" }
  if (key.validFrom !== undefined && now < Date.parse(key.validFrom)) {
    return { reason: "expired-key", detail: `not valid before ${key.validFrom}` }
  }
  if (key.validUntil !== undefined && now >= Date.parse(key.validUntil)) {
    return { reason: "expired-key", detail: `not valid since ${key.validUntil}` }
  }
  return undefined
}

/** The trusted keys of a root as a map, keeping only entries filed under their own key id. */
const keyMapOf = (signed: RootSigned): ReadonlyMap<string, TrustedKey> =>
  new Map(Object.entries(signed.keys).filter(([keyId, key]) => keyIdOf(key) === keyId))

/**
 * Distinct keys of `role` in `authority` that validly signed `message` at `now`, and the signatures rejected
 * with a reason (not a key of the role, revoked, outside its window, or not verifying under any key).
 */
export const roleSigners = (options: {
  readonly message: Uint8Array
  readonly signatures: ReadonlyArray<{ readonly keyid: string; readonly sig: Uint8Array | undefined }>
  readonly authority: RootSigned
  readonly role: RoleKeys
  readonly roleName: string
  readonly now: number
}): {
  readonly valid: ReadonlyArray<string>
  readonly rejected: ReadonlyArray<{
    readonly index: number
    readonly reason: RejectionReason
    readonly detail: string
  }>
} => {
  const keys = keyMapOf(options.authority)
  const valid: Array<string> = []
  const rejected: Array<{ index: number; reason: RejectionReason; detail: string }> = []
  options.signatures.forEach((signature, index) => {
    const signer =
      signature.sig === undefined
        ? undefined
        : findSigner(options.message, signature.sig, signature.keyid, keys)
    if (signer === undefined) {
      const known = keys.has(signature.keyid)
      rejected.push({
        index,
        reason: known ? "bad-signature" : "unknown-key",
        detail: known
          ? `signature ${index} (key ${signature.keyid}) does not verify`
          : `signature ${index} is by a key the root does not list (hint ${JSON.stringify(signature.keyid)})`
      })
      return
    }
    if (!options.role.keyids.includes(signer)) {
      rejected.push({
        index,
        reason: "unknown-key",
        detail: `signature ${index}: key ${signer} is not a key of role ${options.roleName}`
      })
      return
    }
    const key = keys.get(signer)
    const problem = key === undefined ? undefined : keyProblemAt(key, options.now)
    if (problem !== undefined) {
      rejected.push({
        index,
        reason: problem.reason,
        detail: `signature ${index}: key ${signer} is ${problem.detail}`
      })
      return
    }
    if (!valid.includes(signer)) valid.push(signer)
  })
  return { valid, rejected }
}

/** Why one signature does not count toward a threshold. */
export type RejectionReason = "unknown-key" | "revoked-key" | "expired-key" | "bad-signature"
