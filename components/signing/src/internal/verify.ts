import { canonicalBytes } from "@gauntlet/canonical"
import { Either } from "effect"
import semver from "semver"
import { type DsseEnvelope, decodeBase64, pae } from "./dsse.js"
import { checkSubjectDigest, type Statement, statementOf } from "./statement.js"
import {
  instantOf,
  type RejectionReason,
  type RootSigned,
  roleSigners,
  type TrustRoot
} from "./trust-root.js"

/** Every reason verification can refuse with; exactly one is reported. */
export const VERIFICATION_REASONS = [
  "unknown-key",
  "revoked-key",
  "expired-key",
  "digest-mismatch",
  "bad-signature",
  "threshold-not-met",
  "rollback",
  "root-expired"
] as const
/** A reason verification refused. */
export type VerificationReason = (typeof VERIFICATION_REASONS)[number]

/** A refusal: one reason code and a sentence saying which signature, key, role or version caused it. */
export interface VerificationFailure {
  readonly ok: false
  readonly reason: VerificationReason
  readonly detail: string
}

/** Result of `verifyWithRoot`: the distinct signing keys of the role (and the statement when it was opened). */
export type VerificationResult =
  | { readonly ok: true; readonly signers: ReadonlyArray<string>; readonly statement?: Statement }
  | VerificationFailure

/** Result of `verifyRootUpdate` / `verifyTrustRoot`: the accepted root and who signed it. */
export type RootVerificationResult =
  | { readonly ok: true; readonly root: TrustRoot; readonly signers: ReadonlyArray<string> }
  | VerificationFailure

const fail = (reason: VerificationReason, detail: string): VerificationFailure => ({
  ok: false,
  reason,
  detail
})

// When a threshold is not met and signatures were rejected, the most serious rejection is the reason.
const PRECEDENCE: ReadonlyArray<RejectionReason> = [
  "bad-signature",
  "revoked-key",
  "expired-key",
  "unknown-key"
]

const thresholdFailure = (
  what: string,
  valid: number,
  threshold: number,
  rejected: ReadonlyArray<{ readonly reason: RejectionReason; readonly detail: string }>
): VerificationFailure => {
  const counted = `${what}: ${valid} of ${threshold} required valid signature(s)`
  for (const reason of PRECEDENCE) {
    const first = rejected.find((rejection) => rejection.reason === reason)
    if (first !== undefined) return fail(reason, `${counted}; ${first.detail}`)
  }
  return fail("threshold-not-met", counted)
}

/** The trust-root role that signs packs of a pack id `namespace/name`: `packs/<namespace>`. */
export const packRole = (packId: string): string => `packs/${packId.split("/")[0] ?? packId}`

/** Compares versions: both integers numerically, else both semver (precedence rules); undefined when neither. */
export const compareVersions = (a: string, b: string): number | undefined => {
  if (/^\d+$/.test(a) && /^\d+$/.test(b)) return Math.sign(Number(a) - Number(b))
  const left = semver.valid(a)
  const right = semver.valid(b)
  return left !== null && right !== null ? semver.compare(left, right) : undefined
}

const versionInPredicate = (statement: Statement): string | undefined => {
  const predicate = statement.predicate
  if (typeof predicate !== "object" || predicate === null) return undefined
  const record = predicate as Record<string, unknown>
  if (typeof record.version === "string") return record.version
  const pack = record.pack
  if (typeof pack === "object" && pack !== null) {
    const version = (pack as Record<string, unknown>).version
    if (typeof version === "string") return version
  }
  return undefined
}

/**
 * Verifies a DSSE envelope against a trust root, offline and without side effects. Checks, in order: the root has
 * not expired (`root-expired`); the role exists; every signature against the root's keys (the `keyid` is only a
 * hint); at least `threshold` distinct valid keys of the role signed. When the threshold is not met and signatures
 * were rejected, the reason is the most serious rejection (`bad-signature`, then `revoked-key`, `expired-key`,
 * `unknown-key`), else `threshold-not-met`. Then, if `artifact` is given, its SHA-256 must match the statement's
 * subject of that name (`digest-mismatch`); if `installedVersion` is given, the candidate's version (`version`, or
 * the statement predicate's `version` / `pack.version`) must not be lower (`rollback`).
 */
export const verifyWithRoot = (options: {
  readonly envelope: DsseEnvelope
  readonly root: TrustRoot
  readonly role: string
  readonly now: Date | string | number
  readonly installedVersion?: string
  readonly version?: string
  readonly artifact?: { readonly name: string; readonly bytes: Uint8Array }
}): VerificationResult => {
  const now = instantOf(options.now)
  const signed = options.root.signed
  if (!(now < Date.parse(signed.expires))) {
    return fail("root-expired", `trust root version ${signed.version} expired at ${signed.expires}`)
  }
  const role = signed.roles[options.role]
  if (role === undefined) {
    return fail("unknown-key", `trust root version ${signed.version} defines no role ${options.role}`)
  }
  const body = decodeBase64(options.envelope.payload)
  if (body === undefined) return fail("bad-signature", "the envelope payload is not base64")
  const { valid, rejected } = roleSigners({
    message: pae(options.envelope.payloadType, body),
    signatures: options.envelope.signatures.map((signature) => ({
      keyid: signature.keyid,
      sig: decodeBase64(signature.sig)
    })),
    authority: signed,
    role,
    roleName: options.role,
    now
  })
  if (valid.length < role.threshold) {
    return thresholdFailure(`role ${options.role}`, valid.length, role.threshold, rejected)
  }
  if (options.artifact === undefined && options.installedVersion === undefined)
    return { ok: true, signers: valid }
  const opened = Either.getOrUndefined(statementOf(options.envelope))
  if (options.artifact !== undefined) {
    if (opened === undefined)
      return fail("digest-mismatch", "the signed payload is not an in-toto Statement v1")
    const check = checkSubjectDigest(opened, options.artifact.name, options.artifact.bytes)
    if (!check.ok) return fail("digest-mismatch", check.detail)
  }
  if (options.installedVersion !== undefined) {
    const candidate = options.version ?? (opened === undefined ? undefined : versionInPredicate(opened))
    if (candidate === undefined) {
      return fail(
        "rollback",
        `cannot tell the candidate's version to compare with installed ${options.installedVersion}`
      )
    }
    const order = compareVersions(candidate, options.installedVersion)
    if (order === undefined) {
      return fail("rollback", `versions ${candidate} and ${options.installedVersion} are not comparable`)
    }
    if (order < 0) {
      return fail("rollback", `version ${candidate} is lower than the installed ${options.installedVersion}`)
    }
  }
  return opened === undefined ? { ok: true, signers: valid } : { ok: true, signers: valid, statement: opened }
}

const HEX_SIG = /^(?:[0-9a-f]{2})+$/

/** Distinct keys of the `root` role of `authority` that signed `candidate.signed`, or why there are too few. */
const rootThreshold = (
  candidate: TrustRoot,
  authority: RootSigned,
  which: "trusted" | "new",
  now: number
): { readonly ok: true; readonly signers: ReadonlyArray<string> } | VerificationFailure => {
  const role = authority.roles.root
  if (role === undefined)
    return fail("threshold-not-met", `the ${which} root (version ${authority.version}) has no root role`)
  const { valid, rejected } = roleSigners({
    message: canonicalBytes(candidate.signed),
    signatures: candidate.signatures.map((signature) => ({
      keyid: signature.keyid,
      sig: HEX_SIG.test(signature.sig) ? new Uint8Array(Buffer.from(signature.sig, "hex")) : undefined
    })),
    authority,
    role,
    roleName: "root",
    now
  })
  if (valid.length >= role.threshold) return { ok: true, signers: valid }
  const counted = `root version ${candidate.signed.version} is signed by ${valid.length} of the ${role.threshold} root key(s) the ${which} root (version ${authority.version}) requires`
  const first = rejected[0]
  return fail("threshold-not-met", first === undefined ? counted : `${counted}; ${first.detail}`)
}

/**
 * Checks a root on its own (first install, or loading the installed root): not expired (`root-expired`) and signed
 * by a threshold of its own root keys (`threshold-not-met`).
 */
export const verifyTrustRoot = (root: TrustRoot, now: Date | string | number): RootVerificationResult => {
  const at = instantOf(now)
  if (!(at < Date.parse(root.signed.expires))) {
    return fail("root-expired", `trust root version ${root.signed.version} expired at ${root.signed.expires}`)
  }
  const self = rootThreshold(root, root.signed, "new", at)
  return self.ok ? { ok: true, root, signers: self.signers } : self
}

/**
 * TUF root rotation: `candidate` replaces `trusted` only if its version is strictly greater (`rollback`), it has not
 * expired (`root-expired`), and it is signed by a threshold of the trusted root's `root` keys AND a threshold of its
 * own `root` keys, each key counting once and revoked or out-of-window keys not counting (`threshold-not-met`, the
 * detail saying which side is short). The trusted root itself may have expired: rotating is how one recovers.
 */
export const verifyRootUpdate = (
  trusted: TrustRoot,
  candidate: TrustRoot,
  now: Date | string | number
): RootVerificationResult => {
  const at = instantOf(now)
  if (candidate.signed.version <= trusted.signed.version) {
    return fail(
      "rollback",
      `candidate root version ${candidate.signed.version} is not greater than the trusted version ${trusted.signed.version}`
    )
  }
  if (!(at < Date.parse(candidate.signed.expires))) {
    return fail(
      "root-expired",
      `candidate root version ${candidate.signed.version} expired at ${candidate.signed.expires}`
    )
  }
  const old = rootThreshold(candidate, trusted.signed, "trusted", at)
  if (!old.ok) return old
  const own = rootThreshold(candidate, candidate.signed, "new", at)
  if (!own.ok) return own
  return { ok: true, root: candidate, signers: [...new Set([...old.signers, ...own.signers])] }
}
