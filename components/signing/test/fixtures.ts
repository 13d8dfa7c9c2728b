import { sha256Hex } from "@gauntlet/canonical"
import { Effect } from "effect"
import {
  type RootSigned,
  type SigningKey,
  signingKeyFromSeedHex,
  signTrustRoot,
  type TrustRoot
} from "../src/index.js"

/** Deterministic test keys: the seed of key `n` is SHA-256 of "gauntlet-test-key-<n>". */
const testKey = (n: number): Effect.Effect<SigningKey> =>
  signingKeyFromSeedHex(sha256Hex(`gauntlet-test-key-${n}`)).pipe(Effect.orDie)

/** Keys 0..count-1. */
export const testKeys = (count: number): Effect.Effect<ReadonlyArray<SigningKey>> =>
  Effect.forEach(
    Array.from({ length: count }, (_, n) => n),
    testKey
  )

/** A `signed` section trusting `root` keys (threshold) for the root role and `packs` keys for `packs/acme`. */
export const rootSigned = (options: {
  readonly version: number
  readonly expires?: string
  readonly root: ReadonlyArray<SigningKey>
  readonly rootThreshold: number
  readonly packs?: ReadonlyArray<SigningKey>
  readonly packsThreshold?: number
  readonly extra?: Readonly<
    Record<string, Partial<{ validFrom: string; validUntil: string; revoked: boolean }>>
  >
}): RootSigned => {
  const all = [...options.root, ...(options.packs ?? [])]
  return {
    _type: "gauntlet-root",
    version: options.version,
    expires: options.expires ?? "2030-01-01T00:00:00Z",
    keys: Object.fromEntries(
      all.map((key) => [key.keyId, { ...key.publicKey, ...options.extra?.[key.keyId] }])
    ),
    roles: {
      root: { keyids: options.root.map((key) => key.keyId), threshold: options.rootThreshold },
      ...(options.packs === undefined
        ? {}
        : {
            "packs/acme": {
              keyids: options.packs.map((key) => key.keyId),
              threshold: options.packsThreshold ?? 1
            }
          })
    }
  }
}

/** `rootSigned` signed by `signers`. */
export const makeRoot = (
  options: Parameters<typeof rootSigned>[0],
  signers: ReadonlyArray<SigningKey>
): Effect.Effect<TrustRoot> => signTrustRoot(rootSigned(options), signers).pipe(Effect.orDie)
