/**
 * @module @gauntlet/pack-archive
 * Policy pack archives (spec N4 "Archives"): a deterministic tar.gz of a pack directory whose tests pass, safe
 * extraction that refuses escaping paths, links, special files and oversize input, signing as an in-toto Statement
 * in a DSSE envelope, offline verification against a trust root with one reason code, and installation with
 * rollback protection.
 */

/** A built archive (bytes, digest, file name, file digests, manifest, predicate) and the pack test options. */
export type { BuiltPackArchive, PackTestOptions } from "./internal/build.js"
/** Builds the deterministic archive of a pack directory (valid `pack.json`, passing tests). */
export { buildPackArchive } from "./internal/build.js"
/** File-level commands for the CLI (`gauntlet pack build|sign|verify|install`) and their results. */
export type { BuiltPackFile, PackFiles, SignedPackFile } from "./internal/commands.js"
/** `pack build`, `pack sign`, `pack verify`, `pack install` over files; the default envelope path of an archive. */
export {
  buildPackFile,
  envelopePathOf,
  installPackFile,
  signPackFile,
  verifyPackFile
} from "./internal/commands.js"
/** Tagged errors: a refused entry (with its reason), an unreadable archive, an invalid pack source, I/O, refusal. */
export {
  ArchiveCorrupt,
  ArchiveEntryRefused,
  EntryRefusal,
  PackIoError,
  PackNotVerified,
  PackSourceInvalid
} from "./internal/errors.js"
/** What an extraction wrote. */
export type { ExtractedPack } from "./internal/extract.js"
/** Extracts an archive into an empty directory after checking every entry. */
export { extractPackArchive } from "./internal/extract.js"
/** Installed pack records and the install input. */
export type { InstalledPack, InstallPackInput } from "./internal/install.js"
/** Install index schema, install (verify first, rollback protection) and listing. */
export { InstallIndex, installPack, listInstalled, readInstallIndex } from "./internal/install.js"
/** The policy-pack predicate, its type URI, and the archive/subject name of a pack. */
export { archiveNameOf, PACK_PREDICATE_TYPE, PackFileDigest, PackPredicate } from "./internal/predicate.js"
/** Archive reading limits, their defaults, and reading an archive into memory with every check applied. */
export { defaultExtractLimits, ExtractLimits, readPackArchive } from "./internal/read-archive.js"
/** What `initPack` wrote. */
export type { ScaffoldedPack } from "./internal/scaffold.js"
/** Creates a new pack directory with one rule and passing tests. */
export { initPack } from "./internal/scaffold.js"
/** The signing input and result. */
export type { SignedPack, SignPackInput } from "./internal/sign.js"
/** Signs an archive (DSSE envelope over an in-toto Statement v1 whose subject is the archive digest). */
export { signPack } from "./internal/sign.js"
/** One entry of an archive. */
export type { ArchiveEntry } from "./internal/tarball.js"
/** Writes entries as a deterministic tar.gz. */
export { writeDeterministicTarGz } from "./internal/tarball.js"
/** Verification input and outcome. */
export type { PackVerification, VerifyPackInput } from "./internal/verify.js"
/** Offline verification of a signed pack: `ok` or one reason code; the reason codes. */
export { PackVerificationReason, verifyPack } from "./internal/verify.js"
