import {
  createPrivateKey,
  createPublicKey,
  generateKeyPairSync,
  type KeyObject,
  sign,
  verify
} from "node:crypto"
import { canonicalize, sha256Hex } from "@gauntlet/canonical"
import { Effect, Schema } from "effect"
import { InvalidKey } from "./errors.js"

const HEX_32 = /^[0-9a-f]{64}$/

/** A public key in TUF's shape: `{ keytype: "ed25519", scheme: "ed25519", keyval: { public: "<64 hex>" } }`. */
export const KeyDescriptor = Schema.Struct({
  keytype: Schema.Literal("ed25519"),
  scheme: Schema.Literal("ed25519"),
  keyval: Schema.Struct({ public: Schema.String.pipe(Schema.pattern(HEX_32)) })
})
/** A public key in TUF's shape. */
export type KeyDescriptor = typeof KeyDescriptor.Type

/** A private Ed25519 key with its public descriptor and key id. `privateKeyPem` is PKCS#8 PEM. */
export const SigningKey = Schema.Struct({
  keyId: Schema.String,
  publicKey: KeyDescriptor,
  privateKeyPem: Schema.String
})
/** A private Ed25519 key with its public descriptor and key id. */
export type SigningKey = typeof SigningKey.Type

// DER prefixes of an Ed25519 SubjectPublicKeyInfo and PKCS#8 PrivateKeyInfo (RFC 8410); the key bytes follow.
const SPKI_PREFIX = Buffer.from("302a300506032b6570032100", "hex")
const PKCS8_PREFIX = Buffer.from("302e020100300506032b657004220420", "hex")

/**
 * The key id: lowercase hex SHA-256 of the RFC 8785 form of the descriptor's `keytype`, `scheme` and `keyval`
 * (extra members such as validity windows are not part of the identity).
 */
export const keyIdOf = (descriptor: KeyDescriptor): string =>
  sha256Hex(
    canonicalize({
      keytype: descriptor.keytype,
      scheme: descriptor.scheme,
      keyval: { public: descriptor.keyval.public }
    })
  )

/** The descriptor of a raw 32-byte Ed25519 public key given as 64 hex digits. */
export const descriptorOfPublicHex = (publicHex: string): KeyDescriptor => ({
  keytype: "ed25519",
  scheme: "ed25519",
  keyval: { public: publicHex }
})

const rawPublicOf = (key: KeyObject): string =>
  Buffer.from(key.export({ format: "der", type: "spki" }) as Buffer)
    .subarray(SPKI_PREFIX.length)
    .toString("hex")

const signingKeyOf = (privateKey: KeyObject): SigningKey => {
  const publicKey = descriptorOfPublicHex(rawPublicOf(createPublicKey(privateKey)))
  return {
    keyId: keyIdOf(publicKey),
    publicKey,
    privateKeyPem: privateKey.export({ format: "pem", type: "pkcs8" }) as string
  }
}

/** A fresh random Ed25519 signing key (node:crypto). */
export const generateSigningKey: Effect.Effect<SigningKey> = Effect.sync(() =>
  signingKeyOf(generateKeyPairSync("ed25519").privateKey)
)

/** The signing key whose RFC 8032 32-byte secret (seed) is given as 64 hex digits. */
export const signingKeyFromSeedHex = (seedHex: string): Effect.Effect<SigningKey, InvalidKey> =>
  HEX_32.test(seedHex)
    ? Effect.try({
        try: () =>
          signingKeyOf(
            createPrivateKey({
              key: Buffer.concat([PKCS8_PREFIX, Buffer.from(seedHex, "hex")]),
              format: "der",
              type: "pkcs8"
            })
          ),
        catch: (cause) => new InvalidKey({ source: "seed-hex", reason: String(cause) })
      })
    : Effect.fail(new InvalidKey({ source: "seed-hex", reason: "expected 64 lowercase hex digits" }))

const privateKeyObject = (pem: string): Effect.Effect<KeyObject, InvalidKey> =>
  Effect.try({
    try: () => createPrivateKey({ key: pem, format: "pem" }),
    catch: (cause) => new InvalidKey({ source: "private-pem", reason: String(cause) })
  }).pipe(
    Effect.filterOrFail(
      (key) => key.asymmetricKeyType === "ed25519",
      (key) =>
        new InvalidKey({
          source: "private-pem",
          reason: `expected an ed25519 key, got ${key.asymmetricKeyType}`
        })
    )
  )

/** The signing key of a PKCS#8 PEM Ed25519 private key. */
export const signingKeyFromPem = (pem: string): Effect.Effect<SigningKey, InvalidKey> =>
  Effect.map(privateKeyObject(pem), signingKeyOf)

/** The RFC 8032 32-byte secret (seed) of a signing key as 64 hex digits. */
export const seedHexOf = (key: SigningKey): Effect.Effect<string, InvalidKey> =>
  Effect.map(privateKeyObject(key.privateKeyPem), (object) =>
    Buffer.from(object.export({ format: "der", type: "pkcs8" }) as Buffer)
      .subarray(PKCS8_PREFIX.length)
      .toString("hex")
  )

/** A descriptor from 64 hex digits of a raw Ed25519 public key, checked to be a valid curve point. */
export const publicKeyFromHex = (publicHex: string): Effect.Effect<KeyDescriptor, InvalidKey> =>
  HEX_32.test(publicHex)
    ? Effect.as(
        Effect.try({
          try: () => publicKeyObject(publicHex),
          catch: (cause) => new InvalidKey({ source: "public-hex", reason: String(cause) })
        }),
        descriptorOfPublicHex(publicHex)
      )
    : Effect.fail(new InvalidKey({ source: "public-hex", reason: "expected 64 lowercase hex digits" }))

/** A descriptor from an SPKI PEM Ed25519 public key. */
export const publicKeyFromPem = (pem: string): Effect.Effect<KeyDescriptor, InvalidKey> =>
  Effect.try({
    try: () => createPublicKey({ key: pem, format: "pem" }),
    catch: (cause) => new InvalidKey({ source: "public-pem", reason: String(cause) })
  }).pipe(
    Effect.filterOrFail(
      (key) => key.asymmetricKeyType === "ed25519",
      (key) =>
        new InvalidKey({
          source: "public-pem",
          reason: `expected an ed25519 key, got ${key.asymmetricKeyType}`
        })
    ),
    Effect.map((key) => descriptorOfPublicHex(rawPublicOf(key)))
  )

/** The SPKI PEM of a descriptor's public key (what `openssl pkeyutl -pubin` reads). */
export const publicKeyToPem = (descriptor: KeyDescriptor): Effect.Effect<string, InvalidKey> =>
  Effect.try({
    try: () => publicKeyObject(descriptor.keyval.public).export({ format: "pem", type: "spki" }) as string,
    catch: (cause) => new InvalidKey({ source: "descriptor", reason: String(cause) })
  })

const publicKeyCache = new Map<string, KeyObject>()

const publicKeyObject = (publicHex: string): KeyObject => {
  const cached = publicKeyCache.get(publicHex)
  if (cached !== undefined) return cached
  const key = createPublicKey({
    key: Buffer.concat([SPKI_PREFIX, Buffer.from(publicHex, "hex")]),
    format: "der",
    type: "spki"
  })
  if (publicKeyCache.size >= 1024) publicKeyCache.clear()
  publicKeyCache.set(publicHex, key)
  return key
}

/** The 64-byte Ed25519 signature (RFC 8032, pure EdDSA) of `message` under `key`. */
export const signBytes = (key: SigningKey, message: Uint8Array): Effect.Effect<Uint8Array, InvalidKey> =>
  Effect.map(privateKeyObject(key.privateKeyPem), (object) => new Uint8Array(sign(null, message, object)))

/**
 * True when `signature` is a valid Ed25519 signature of `message` under the descriptor's key. A malformed
 * descriptor or signature is simply not valid (never throws).
 */
export const verifyBytes = (
  descriptor: KeyDescriptor,
  message: Uint8Array,
  signature: Uint8Array
): boolean => {
  if (descriptor.keytype !== "ed25519" || !HEX_32.test(descriptor.keyval.public) || signature.length !== 64) {
    return false
  }
  try {
    return verify(null, message, publicKeyObject(descriptor.keyval.public), signature)
  } catch {
    return false
  }
}
