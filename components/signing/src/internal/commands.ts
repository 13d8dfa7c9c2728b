import { FileSystem, Path } from "@effect/platform"
import type { PlatformError } from "@effect/platform/Error"
import { Effect } from "effect"
import { type InvalidKey, InvalidTrustRoot, KeyFileError, TrustRootFileError } from "./errors.js"
import { readKeyFile, readPublicKeyFile, writeKeyFile, writePublicKeyFile } from "./key-files.js"
import { generateSigningKey, type KeyDescriptor } from "./keys.js"
import { initialRoot, nextRoot } from "./root-edit.js"
import { addRootSignatures, decodeTrustRoot, type TrustRoot } from "./trust-root.js"
import { type RootVerificationResult, verifyRootUpdate, verifyTrustRoot } from "./verify.js"

/** What `gauntlet keys generate` made. */
export interface GeneratedKeyFiles {
  readonly keyId: string
  readonly publicKey: KeyDescriptor
  readonly privateKeyPath: string
  readonly publicKeyPath: string
}

/**
 * `gauntlet keys generate --out <dir> [--name <name>]`: a fresh Ed25519 key written as `<dir>/<name>.key` (0600)
 * and `<dir>/<name>.pub.json`; `name` defaults to "signing". Never overwrites (`KeyFileError` "exists").
 */
export const generateKeyFiles = (options: {
  readonly outDir: string
  readonly name?: string
}): Effect.Effect<GeneratedKeyFiles, KeyFileError, FileSystem.FileSystem | Path.Path> =>
  Effect.gen(function* () {
    const fs = yield* FileSystem.FileSystem
    const path = yield* Path.Path
    const name = options.name ?? "signing"
    if (name.length === 0 || name.includes("/") || name.includes("\\") || name.startsWith(".")) {
      return yield* new KeyFileError({
        path: options.outDir,
        reason: "malformed",
        detail: `key name ${JSON.stringify(name)} must be a plain file name`
      })
    }
    const privateKeyPath = path.join(options.outDir, `${name}.key`)
    const publicKeyPath = path.join(options.outDir, `${name}.pub.json`)
    yield* fs
      .makeDirectory(options.outDir, { recursive: true, mode: 0o700 })
      .pipe(
        Effect.mapError(
          (error) => new KeyFileError({ path: options.outDir, reason: "io", detail: error.message })
        )
      )
    const key = yield* generateSigningKey
    yield* writeKeyFile(privateKeyPath, key)
    yield* writePublicKeyFile(publicKeyPath, key.publicKey)
    return { keyId: key.keyId, publicKey: key.publicKey, privateKeyPath, publicKeyPath }
  })

/** `gauntlet keys show <file>`: the key id and public descriptor of a private or public key file. */
export const describeKeyFile = (
  file: string
): Effect.Effect<
  { readonly kind: "private" | "public"; readonly keyId: string; readonly publicKey: KeyDescriptor },
  KeyFileError | InvalidKey,
  FileSystem.FileSystem
> =>
  Effect.gen(function* () {
    const fs = yield* FileSystem.FileSystem
    const text = yield* fs
      .readFileString(file)
      .pipe(Effect.mapError((error) => new KeyFileError({ path: file, reason: "io", detail: error.message })))
    const json = yield* Effect.try({
      try: () => JSON.parse(text) as unknown,
      catch: () => new KeyFileError({ path: file, reason: "malformed", detail: "not JSON" })
    })
    const isPrivate =
      typeof json === "object" && json !== null && "_type" in json && json._type === "gauntlet-signing-key"
    const kind = isPrivate ? "private" : "public"
    if (kind === "private") {
      const key = yield* readKeyFile(file)
      return { kind, keyId: key.keyId, publicKey: key.publicKey }
    }
    const pub = yield* readPublicKeyFile(file)
    return { kind, keyId: pub.keyId, publicKey: pub.publicKey }
  })

const rootIoError = (path: string) => (error: PlatformError) =>
  new TrustRootFileError({
    path,
    reason: error._tag === "SystemError" && error.reason === "AlreadyExists" ? "exists" : "io",
    detail: error.message
  })

/** Reads and decodes a trust root file (`decodeTrustRoot`'s consistency checks; signatures not checked). */
export const readTrustRootFile = (
  file: string
): Effect.Effect<TrustRoot, TrustRootFileError | InvalidTrustRoot, FileSystem.FileSystem> =>
  Effect.gen(function* () {
    const fs = yield* FileSystem.FileSystem
    const text = yield* fs.readFileString(file).pipe(Effect.mapError(rootIoError(file)))
    const json = yield* Effect.try({
      try: () => JSON.parse(text) as unknown,
      catch: (cause) => new InvalidTrustRoot({ pointer: "", reason: `${file} is not JSON: ${String(cause)}` })
    })
    return yield* decodeTrustRoot(json)
  })

/** Writes a trust root as indented JSON; refuses to replace a file unless `overwrite`. */
export const writeTrustRootFile = (
  file: string,
  root: TrustRoot,
  options?: { readonly overwrite?: boolean }
): Effect.Effect<void, TrustRootFileError, FileSystem.FileSystem> =>
  Effect.flatMap(FileSystem.FileSystem, (fs) =>
    fs
      .writeFileString(file, `${JSON.stringify(root, null, 2)}\n`, {
        flag: options?.overwrite === true ? "w" : "wx"
      })
      .pipe(Effect.mapError(rootIoError(file)))
  )

/** A key to grant in `gauntlet root init|next`: a public key file and the roles it signs for. */
export interface KeyFileGrant {
  readonly publicKeyFile: string
  readonly roles: ReadonlyArray<string>
  readonly validFrom?: string
  readonly validUntil?: string
}

const grantsOf = (grants: ReadonlyArray<KeyFileGrant>) =>
  Effect.forEach(grants, (grant) =>
    Effect.map(readPublicKeyFile(grant.publicKeyFile), (file) => ({
      publicKey: file.publicKey,
      roles: grant.roles,
      ...(grant.validFrom === undefined ? {} : { validFrom: grant.validFrom }),
      ...(grant.validUntil === undefined ? {} : { validUntil: grant.validUntil })
    }))
  )

const signWithFiles = (root: TrustRoot, keyFiles: ReadonlyArray<string>) =>
  Effect.flatMap(Effect.forEach(keyFiles, readKeyFile), (keys) => addRootSignatures(root, keys))

/**
 * `gauntlet root init --out <root.json> --expires <iso> --key <pub.json>=<role>[,<role>]… [--threshold <role>=<n>]…
 * --sign <key>…`: a version-1 root granting the keys, signed by the given private key files, checked
 * (`decodeTrustRoot`, then `verifyTrustRoot` at `now`) before it is written.
 */
export const createTrustRootFile = (options: {
  readonly out: string
  readonly expires: string
  readonly keys: ReadonlyArray<KeyFileGrant>
  readonly thresholds?: Readonly<Record<string, number>>
  readonly signWith: ReadonlyArray<string>
  readonly now: Date | string | number
}): Effect.Effect<
  RootVerificationResult,
  KeyFileError | InvalidKey | InvalidTrustRoot | TrustRootFileError,
  FileSystem.FileSystem
> =>
  Effect.gen(function* () {
    const signed = initialRoot({
      expires: options.expires,
      keys: yield* grantsOf(options.keys),
      ...(options.thresholds === undefined ? {} : { thresholds: options.thresholds })
    })
    const root = yield* decodeTrustRoot(yield* signWithFiles({ signed, signatures: [] }, options.signWith))
    const verdict = verifyTrustRoot(root, options.now)
    if (verdict.ok) yield* writeTrustRootFile(options.out, root)
    return verdict
  })

/**
 * `gauntlet root next --from <root.json> --out <next.json> [--expires <iso>] [--key <pub.json>=<roles>]…
 * [--revoke <keyid>]… [--remove <keyid>]… [--threshold <role>=<n>]…`: the next version, unsigned. Sign it with
 * `root sign` by a threshold of the current and of the new root keys.
 */
export const prepareNextRootFile = (options: {
  readonly from: string
  readonly out: string
  readonly expires?: string
  readonly add?: ReadonlyArray<KeyFileGrant>
  readonly revoke?: ReadonlyArray<string>
  readonly remove?: ReadonlyArray<string>
  readonly thresholds?: Readonly<Record<string, number>>
}): Effect.Effect<
  TrustRoot,
  KeyFileError | InvalidKey | InvalidTrustRoot | TrustRootFileError,
  FileSystem.FileSystem
> =>
  Effect.gen(function* () {
    const current = yield* readTrustRootFile(options.from)
    const signed = nextRoot(current.signed, {
      add: yield* grantsOf(options.add ?? []),
      ...(options.expires === undefined ? {} : { expires: options.expires }),
      ...(options.revoke === undefined ? {} : { revoke: options.revoke }),
      ...(options.remove === undefined ? {} : { remove: options.remove }),
      ...(options.thresholds === undefined ? {} : { thresholds: options.thresholds })
    })
    const root = yield* decodeTrustRoot({ signed, signatures: [] })
    yield* writeTrustRootFile(options.out, root)
    return root
  })

/** `gauntlet root sign <root.json> --key <key>…`: adds (or replaces) each key's signature, rewriting the file. */
export const signTrustRootFile = (options: {
  readonly rootFile: string
  readonly keyFiles: ReadonlyArray<string>
}): Effect.Effect<
  TrustRoot,
  KeyFileError | InvalidKey | InvalidTrustRoot | TrustRootFileError,
  FileSystem.FileSystem
> =>
  Effect.gen(function* () {
    const root = yield* signWithFiles(yield* readTrustRootFile(options.rootFile), options.keyFiles)
    yield* writeTrustRootFile(options.rootFile, root, { overwrite: true })
    return root
  })

/**
 * `gauntlet root verify <root.json> [--trusted <current.json>] [--now <iso>]`: without `trusted`, the root on its
 * own (`verifyTrustRoot`); with it, the rotation rule (`verifyRootUpdate`). Pure apart from reading the files.
 */
export const verifyTrustRootFile = (options: {
  readonly rootFile: string
  readonly trustedFile?: string
  readonly now: Date | string | number
}): Effect.Effect<RootVerificationResult, InvalidTrustRoot | TrustRootFileError, FileSystem.FileSystem> =>
  Effect.gen(function* () {
    const candidate = yield* readTrustRootFile(options.rootFile)
    if (options.trustedFile === undefined) return verifyTrustRoot(candidate, options.now)
    return verifyRootUpdate(yield* readTrustRootFile(options.trustedFile), candidate, options.now)
  })
