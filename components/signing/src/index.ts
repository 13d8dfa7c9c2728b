/**
 * @module @gauntlet/signing
 * Signing and offline verification shared by policy packs and evidence bundles: Ed25519 keys in TUF's descriptor
 * shape (node:crypto), DSSE envelopes with several signatures, in-toto Statements v1, a TUF-style threshold trust
 * root with rotation, validity windows, revocations and expiry, and key files written with mode 0600.
 */

/** DSSE envelope schemas and the per-signature verification result. */
export type { EnvelopeSignatureCheck, SignatureProblem } from "./internal/dsse.js"
/** DSSE: PAE, envelopes, signing and verification against trusted keys; strict base64. */
export {
  DsseEnvelope,
  DsseSignature,
  decodeBase64,
  encodeBase64,
  pae,
  signEnvelope,
  verifyEnvelopeSignatures
} from "./internal/dsse.js"
/** Tagged errors: unusable key material, undecodable statement or trust root, key file problems. */
export { InvalidKey, InvalidStatement, InvalidTrustRoot, KeyFileError } from "./internal/errors.js"
/** Ed25519 key descriptors (TUF shape) and private signing keys. */
/** Key ids, generation, import/export (seed hex, PEM, raw public hex), raw signing and verification. */
export {
  descriptorOfPublicHex,
  generateSigningKey,
  KeyDescriptor,
  keyIdOf,
  publicKeyFromHex,
  publicKeyFromPem,
  publicKeyToPem,
  SigningKey,
  seedHexOf,
  signBytes,
  signingKeyFromPem,
  signingKeyFromSeedHex,
  verifyBytes
} from "./internal/keys.js"
/** Result of matching an artifact's bytes against a statement subject. */
export type { SubjectDigestCheck } from "./internal/statement.js"
/** in-toto Statement v1: schemas, constants, building, signing, opening and subject digest checks. */
export {
  checkSubjectDigest,
  DigestSet,
  IN_TOTO_PAYLOAD_TYPE,
  makeStatement,
  openStatement,
  STATEMENT_TYPE,
  Statement,
  Subject,
  signStatement,
  statementOf
} from "./internal/statement.js"
/** Trust root schemas: trusted keys with validity windows and revocation, roles with thresholds, signatures. */
/** Trust root decoding (with consistency checks) and (co-)signing. */
export {
  addRootSignatures,
  decodeTrustRoot,
  RoleKeys,
  RootSignature,
  RootSigned,
  signTrustRoot,
  TrustedKey,
  TrustRoot
} from "./internal/trust-root.js"
/** Verification results and the reason codes. */
export type {
  RootVerificationResult,
  VerificationFailure,
  VerificationReason,
  VerificationResult
} from "./internal/verify.js"
/** Offline verification against a trust root, root rotation, version comparison, the pack role of a pack id. */
export {
  compareVersions,
  packRole,
  VERIFICATION_REASONS,
  verifyRootUpdate,
  verifyTrustRoot,
  verifyWithRoot
} from "./internal/verify.js"
