/**
 * @module @gauntlet/signing
 * Signing and offline verification shared by policy packs and evidence bundles: Ed25519 keys in TUF's descriptor
 * shape (node:crypto), DSSE envelopes with several signatures, in-toto Statements v1, a TUF-style threshold trust
 * root with rotation, validity windows, revocations and expiry, and key files written with mode 0600.
 */

/** Results of the command-level functions. */
export type { GeneratedKeyFiles, KeyFileGrant } from "./internal/commands.js"
/** The logic of `gauntlet keys generate|show` and `gauntlet root init|next|sign|verify`, as library functions. */
export {
  createTrustRootFile,
  describeKeyFile,
  generateKeyFiles,
  prepareNextRootFile,
  readTrustRootFile,
  signTrustRootFile,
  verifyTrustRootFile,
  writeTrustRootFile
} from "./internal/commands.js"
/** The per-signature result of verifying a DSSE envelope. */
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
/** Tagged errors: unusable key material, undecodable statement or trust root, key and root file problems. */
export {
  InvalidKey,
  InvalidStatement,
  InvalidTrustRoot,
  KeyFileError,
  TrustRootFileError
} from "./internal/errors.js"
/** The installation key and the paths of its files. */
export type { InstallationKey } from "./internal/key-files.js"
/** Key files: private (0600, refused when group/world-accessible), public, and the installation key. */
export {
  INSTALLATION_KEY_FILES,
  loadOrCreateInstallationKey,
  PrivateKeyFile,
  PublicKeyFile,
  readKeyFile,
  readPublicKeyFile,
  writeKeyFile,
  writePublicKeyFile
} from "./internal/key-files.js"
/** Ed25519 keys: TUF descriptors, key ids, generation, import/export (seed hex, PEM, raw hex), raw sign/verify. */
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
/** Trust root editing: a first root from key grants, the next version with keys added, revoked or removed. */
export type { RootKeyGrant } from "./internal/root-edit.js"
/** Builds the `signed` section of a first root or of the next root version. */
export { initialRoot, nextRoot } from "./internal/root-edit.js"
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
/** Trust root schemas (keys with windows and revocation, roles with thresholds), decoding, (co-)signing. */
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
