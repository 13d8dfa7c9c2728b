import { mkdir, readFile, writeFile } from "node:fs/promises"
import { join } from "node:path"
import type { FileSystem } from "@effect/platform"
import { sha256Hex } from "@gauntlet/canonical"
import {
  DsseEnvelope,
  type InvalidKey,
  type InvalidTrustRoot,
  type KeyFileError,
  readKeyFile,
  readTrustRootFile,
  type TrustRootFileError
} from "@gauntlet/signing"
import { Effect, Either, ParseResult, Schema } from "effect"
import { buildPackArchive, type PackTestOptions } from "./build.js"
import {
  type ArchiveCorrupt,
  type ArchiveEntryRefused,
  PackIoError,
  type PackNotVerified,
  PackSourceInvalid
} from "./errors.js"
import { type InstalledPack, installPack, readInstallIndex } from "./install.js"
import { PackPredicate } from "./predicate.js"
import { signPack } from "./sign.js"
import { type PackVerification, verifyPack } from "./verify.js"

const io = (operation: string, path: string) => (error: unknown) =>
  new PackIoError({ operation, path, detail: error instanceof Error ? error.message : String(error) })

const readBytes = (path: string) =>
  Effect.tryPromise({ try: () => readFile(path), catch: io("read", path) }).pipe(
    Effect.map((buffer) => new Uint8Array(buffer.buffer, buffer.byteOffset, buffer.byteLength))
  )

/** `<archive>.tar.gz` → `<archive>.dsse.json`: where the envelope of an archive lives by default. */
export const envelopePathOf = (archivePath: string): string =>
  `${archivePath.endsWith(".tar.gz") ? archivePath.slice(0, -".tar.gz".length) : archivePath}.dsse.json`

const readEnvelope = (path: string): Effect.Effect<DsseEnvelope, PackIoError | PackSourceInvalid> =>
  Effect.gen(function* () {
    const text = yield* Effect.tryPromise({ try: () => readFile(path, "utf8"), catch: io("read", path) })
    const json = Either.try(() => JSON.parse(text) as unknown)
    if (Either.isLeft(json)) return yield* new PackSourceInvalid({ path, detail: "the envelope is not JSON" })
    return yield* Schema.decodeUnknown(DsseEnvelope)(json.right).pipe(
      Effect.mapError(
        (error) =>
          new PackSourceInvalid({
            path,
            detail: `not a DSSE envelope: ${ParseResult.TreeFormatter.formatErrorSync(error)}`
          })
      )
    )
  })

/** What `gauntlet pack build` reports. */
export interface BuiltPackFile {
  readonly archivePath: string
  readonly pack: string
  readonly digest: string
  readonly files: number
  readonly tests: { readonly passed: number; readonly failed: number }
}

/**
 * `gauntlet pack build <dir> --out <outDir>`: builds the deterministic archive of the pack in `dir` (valid
 * `pack.json`, passing tests) and writes it to `<outDir>/<namespace>-<name>-<version>.tar.gz`.
 */
export const buildPackFile = (
  options: { readonly dir: string; readonly outDir: string } & PackTestOptions
): Effect.Effect<BuiltPackFile, PackSourceInvalid | ArchiveEntryRefused | ArchiveCorrupt | PackIoError> =>
  Effect.gen(function* () {
    const built = yield* buildPackArchive(options.dir, options)
    const archivePath = join(options.outDir, built.fileName)
    yield* Effect.tryPromise({
      try: async () => {
        await mkdir(options.outDir, { recursive: true })
        await writeFile(archivePath, built.bytes, { mode: 0o644 })
      },
      catch: io("write", archivePath)
    })
    return {
      archivePath,
      pack: `${built.pack.id}@${built.pack.version}`,
      digest: built.digest,
      files: built.files.length,
      tests: { passed: built.predicate.tests.passed, failed: built.predicate.tests.failed }
    }
  })

/** What `gauntlet pack sign` reports. */
export interface SignedPackFile {
  readonly envelopePath: string
  readonly pack: string
  readonly subject: { readonly name: string; readonly digest: { readonly sha256: string } }
  readonly keyIds: ReadonlyArray<string>
}

/**
 * `gauntlet pack sign <archive> --key <key file>… [--out <envelope>]`: re-reads the archive (every safety check),
 * re-runs its tests, signs it with each private key file (0600, `readKeyFile`) and writes the DSSE envelope to
 * `--out` (default `<archive without .tar.gz>.dsse.json`).
 */
export const signPackFile = (
  options: {
    readonly archive: string
    readonly keyFiles: ReadonlyArray<string>
    readonly out?: string
    readonly publishedAt?: string
  } & PackTestOptions
): Effect.Effect<
  SignedPackFile,
  PackSourceInvalid | ArchiveEntryRefused | ArchiveCorrupt | PackIoError | KeyFileError | InvalidKey,
  FileSystem.FileSystem
> =>
  Effect.gen(function* () {
    const bytes = yield* readBytes(options.archive)
    const keys = yield* Effect.forEach(options.keyFiles, readKeyFile)
    const signed = yield* signPack({ ...options, archive: bytes, keys })
    const envelopePath = options.out ?? envelopePathOf(options.archive)
    yield* Effect.tryPromise({
      try: () => writeFile(envelopePath, `${JSON.stringify(signed.envelope, null, 2)}\n`),
      catch: io("write", envelopePath)
    })
    return {
      envelopePath,
      pack: `${signed.predicate.pack.id}@${signed.predicate.pack.version}`,
      subject: { name: signed.subjectName, digest: { sha256: sha256Hex(bytes) } },
      keyIds: keys.map((key) => key.keyId)
    }
  })

/** The files a verification or installation reads. */
export interface PackFiles {
  /** The `.tar.gz`. */
  readonly archive: string
  /** The envelope; default `<archive without .tar.gz>.dsse.json`. */
  readonly envelope?: string
  /** The trust root file. */
  readonly rootFile: string
  /** Verification time (ISO-8601); the CLI passes the current time unless `--now` is given. */
  readonly now: string
}

/**
 * `gauntlet pack verify <archive> --root <root.json> [--envelope <file>] [--installed-dir <dir>] [--now <iso>]`:
 * `verifyPack` over the files; with `installedDir`, the highest installed version of the pack there is the rollback
 * floor. Returns `ok` (id, version, digest, signers) or one reason code with its detail; only unreadable inputs fail.
 */
export const verifyPackFile = (
  options: PackFiles & { readonly installedDir?: string }
): Effect.Effect<
  PackVerification,
  PackIoError | PackSourceInvalid | TrustRootFileError | InvalidTrustRoot,
  FileSystem.FileSystem
> =>
  Effect.gen(function* () {
    const archive = yield* readBytes(options.archive)
    const envelope = yield* readEnvelope(options.envelope ?? envelopePathOf(options.archive))
    const root = yield* readTrustRootFile(options.rootFile)
    let installedVersion: string | undefined
    if (options.installedDir !== undefined) {
      const index = yield* readInstallIndex(options.installedDir)
      const claimed = yield* Effect.either(claimedId(envelope))
      if (Either.isRight(claimed)) installedVersion = index.packs[claimed.right]?.highestVersion
    }
    return yield* verifyPack({ archive, envelope, root, now: options.now, installedVersion })
  })

/** The pack id an envelope claims (unverified: only used to look up the rollback floor). */
const claimedId = (envelope: DsseEnvelope) =>
  Effect.try(() => {
    const statement = JSON.parse(Buffer.from(envelope.payload, "base64").toString("utf8")) as {
      predicate?: unknown
    }
    return Schema.decodeUnknownSync(PackPredicate)(statement.predicate).pack.id
  })

/**
 * `gauntlet pack install <archive> --root <root.json> [--envelope <file>] [--dir <dir>] [--now <iso>]`: `installPack`
 * over the files (refuses any pack that does not verify, including a rollback below the highest installed version).
 */
export const installPackFile = (
  options: PackFiles & { readonly dir: string }
): Effect.Effect<
  InstalledPack,
  | PackNotVerified
  | PackSourceInvalid
  | PackIoError
  | ArchiveEntryRefused
  | ArchiveCorrupt
  | TrustRootFileError
  | InvalidTrustRoot,
  FileSystem.FileSystem
> =>
  Effect.gen(function* () {
    const archive = yield* readBytes(options.archive)
    const envelope = yield* readEnvelope(options.envelope ?? envelopePathOf(options.archive))
    const root = yield* readTrustRootFile(options.rootFile)
    return yield* installPack({ dir: options.dir, archive, envelope, root, now: options.now })
  })
