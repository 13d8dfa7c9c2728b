import type { KeyDescriptor } from "./keys.js"
import { keyIdOf } from "./keys.js"
import type { RootSigned, TrustedKey } from "./trust-root.js"

/** A key to trust in a root, with the roles it may sign for and an optional validity window. */
export interface RootKeyGrant {
  readonly publicKey: KeyDescriptor
  readonly roles: ReadonlyArray<string>
  readonly validFrom?: string
  readonly validUntil?: string
}

/**
 * The `signed` section of a first root (version 1 unless given): every granted key, each role listing the keys
 * granted it, with the given thresholds (default 1). Sign it with `signTrustRoot` and check with `decodeTrustRoot`.
 */
export const initialRoot = (options: {
  readonly expires: string
  readonly keys: ReadonlyArray<RootKeyGrant>
  readonly thresholds?: Readonly<Record<string, number>>
  readonly version?: number
}): RootSigned =>
  applyGrants(
    { _type: "gauntlet-root", version: options.version ?? 1, expires: options.expires, keys: {}, roles: {} },
    options.keys,
    options.thresholds
  )

const applyGrants = (
  signed: RootSigned,
  grants: ReadonlyArray<RootKeyGrant>,
  thresholds: Readonly<Record<string, number>> | undefined
): RootSigned => {
  const keys: Record<string, TrustedKey> = { ...signed.keys }
  const roles: Record<string, { keyids: Array<string>; threshold: number }> = Object.fromEntries(
    Object.entries(signed.roles).map(([name, role]) => [
      name,
      { keyids: [...role.keyids], threshold: role.threshold }
    ])
  )
  for (const grant of grants) {
    const keyId = keyIdOf(grant.publicKey)
    keys[keyId] = {
      keytype: grant.publicKey.keytype,
      scheme: grant.publicKey.scheme,
      keyval: { public: grant.publicKey.keyval.public },
      ...(grant.validFrom === undefined ? {} : { validFrom: grant.validFrom }),
      ...(grant.validUntil === undefined ? {} : { validUntil: grant.validUntil })
    }
    for (const name of grant.roles) {
      const role = roles[name] ?? { keyids: [], threshold: 1 }
      if (!role.keyids.includes(keyId)) role.keyids.push(keyId)
      roles[name] = role
    }
  }
  for (const [name, threshold] of Object.entries(thresholds ?? {})) {
    const role = roles[name] ?? { keyids: [], threshold }
    role.threshold = threshold
    roles[name] = role
  }
  return { ...signed, keys, roles }
}

/**
 * The `signed` section of the next root version: version + 1, optionally a new expiry, keys added (with roles),
 * keys revoked (kept, marked `revoked: true`, so old signatures by them are refused with `revoked-key`), keys removed
 * (dropped from the keys and every role) and thresholds changed. The result must be signed by a threshold of the
 * current root keys and of the new ones (`verifyRootUpdate`).
 */
export const nextRoot = (
  current: RootSigned,
  edit: {
    readonly expires?: string
    readonly add?: ReadonlyArray<RootKeyGrant>
    readonly revoke?: ReadonlyArray<string>
    readonly remove?: ReadonlyArray<string>
    readonly thresholds?: Readonly<Record<string, number>>
  }
): RootSigned => {
  const removed = new Set(edit.remove ?? [])
  const revoked = new Set(edit.revoke ?? [])
  const keys = Object.fromEntries(
    Object.entries(current.keys)
      .filter(([keyId]) => !removed.has(keyId))
      .map(([keyId, key]) => [keyId, revoked.has(keyId) ? { ...key, revoked: true } : key])
  )
  const roles = Object.fromEntries(
    Object.entries(current.roles).map(([name, role]) => [
      name,
      { keyids: role.keyids.filter((keyId) => !removed.has(keyId)), threshold: role.threshold }
    ])
  )
  return applyGrants(
    { ...current, version: current.version + 1, expires: edit.expires ?? current.expires, keys, roles },
    edit.add ?? [],
    edit.thresholds
  )
}
