import { randomBytes } from "node:crypto"
import { FileSystem, Path } from "@effect/platform"
import type { PlatformError } from "@effect/platform/Error"
import { Effect, Either, Schema } from "effect"
import { InvalidKey, KeyFileError } from "./errors.js"
import { generateSigningKey, KeyDescriptor, keyIdOf, type SigningKey, signingKeyFromPem } from "./keys.js"

/** A private key file: JSON, mode 0600. `keyId` and `publicKey` are checked against the PEM when read. */
export const PrivateKeyFile = Schema.Struct({
  _type: Schema.Literal("gauntlet-signing-key"),
  keyId: Schema.String,
  publicKey: KeyDescriptor,
  privateKeyPem: Schema.String
})
/** A private key file. */
export type PrivateKeyFile = typeof PrivateKeyFile.Type

/** A public key file: JSON, what verifiers and trust roots are given. */
export const PublicKeyFile = Schema.Struct({
  _type: Schema.Literal("gauntlet-public-key"),
  keyId: Schema.String,
  publicKey: KeyDescriptor
})
/** A public key file. */
export type PublicKeyFile = typeof PublicKeyFile.Type

/** File names of the installation key inside its directory. */
export const INSTALLATION_KEY_FILES = {
  privateKey: "installation.key",
  publicKey: "installation.pub.json"
} as const

const ioError = (path: string) => (error: PlatformError) =>
  new KeyFileError({
    path,
    reason: error._tag === "SystemError" && error.reason === "AlreadyExists" ? "exists" : "io",
    detail: error.message
  })

const writeNew = (path: string, text: string, mode: number, overwrite: boolean) =>
  Effect.gen(function* () {
    const fs = yield* FileSystem.FileSystem
    if (!overwrite) {
      // "wx": created here with `mode`, never over an existing key, never briefly readable by others.
      yield* fs.writeFileString(path, text, { flag: "wx", mode }).pipe(Effect.mapError(ioError(path)))
      yield* fs.chmod(path, mode).pipe(Effect.mapError(ioError(path)))
      return
    }
    const temporary = `${path}.${randomBytes(6).toString("hex")}.tmp`
    yield* fs.writeFileString(temporary, text, { flag: "wx", mode }).pipe(Effect.mapError(ioError(temporary)))
    yield* fs.chmod(temporary, mode).pipe(Effect.mapError(ioError(temporary)))
    yield* fs.rename(temporary, path).pipe(Effect.mapError(ioError(path)))
  })

/**
 * Writes a private key file with mode 0600. Refuses to replace an existing file (`exists`) unless `overwrite`, in
 * which case the new file is written beside it and renamed over it.
 */
export const writeKeyFile = (
  path: string,
  key: SigningKey,
  options?: { readonly overwrite?: boolean }
): Effect.Effect<void, KeyFileError, FileSystem.FileSystem> => {
  const file: PrivateKeyFile = {
    _type: "gauntlet-signing-key",
    keyId: key.keyId,
    publicKey: key.publicKey,
    privateKeyPem: key.privateKeyPem
  }
  return writeNew(path, `${JSON.stringify(file, null, 2)}\n`, 0o600, options?.overwrite === true)
}

/** Writes a public key file (mode 0644): the key id and TUF descriptor. */
export const writePublicKeyFile = (
  path: string,
  publicKey: KeyDescriptor,
  options?: { readonly overwrite?: boolean }
): Effect.Effect<void, KeyFileError, FileSystem.FileSystem> => {
  const file: PublicKeyFile = { _type: "gauntlet-public-key", keyId: keyIdOf(publicKey), publicKey }
  return writeNew(path, `${JSON.stringify(file, null, 2)}\n`, 0o644, options?.overwrite === true)
}

const readJson = (path: string) =>
  Effect.gen(function* () {
    const fs = yield* FileSystem.FileSystem
    const text = yield* fs.readFileString(path).pipe(Effect.mapError(ioError(path)))
    return yield* Effect.try({
      try: () => JSON.parse(text) as unknown,
      catch: () => new KeyFileError({ path, reason: "malformed", detail: "not JSON" })
    })
  })

const decodeWith =
  <A, I>(schema: Schema.Schema<A, I>, path: string, what: string) =>
  (json: unknown): Effect.Effect<A, KeyFileError> =>
    Either.match(Schema.decodeUnknownEither(schema)(json), {
      onLeft: () =>
        Effect.fail(new KeyFileError({ path, reason: "malformed", detail: `not a ${what} file` })),
      onRight: Effect.succeed
    })

/**
 * Reads a private key file. Refuses a file readable or writable by group or others (`insecure-permissions`: fix
 * with `chmod 600`), and a file whose `keyId` or `publicKey` do not belong to its PEM (`InvalidKey`).
 */
export const readKeyFile = (
  path: string
): Effect.Effect<SigningKey, KeyFileError | InvalidKey, FileSystem.FileSystem> =>
  Effect.gen(function* () {
    const fs = yield* FileSystem.FileSystem
    const info = yield* fs.stat(path).pipe(Effect.mapError(ioError(path)))
    const mode = info.mode & 0o777
    if ((mode & 0o077) !== 0) {
      return yield* new KeyFileError({
        path,
        reason: "insecure-permissions",
        detail: `mode ${mode.toString(8).padStart(4, "0")} lets group or others access a private key; run chmod 600 ${path}`
      })
    }
    const file = yield* readJson(path).pipe(
      Effect.flatMap(decodeWith(PrivateKeyFile, path, "gauntlet-signing-key"))
    )
    const key = yield* signingKeyFromPem(file.privateKeyPem)
    if (key.keyId !== file.keyId || key.publicKey.keyval.public !== file.publicKey.keyval.public) {
      return yield* new InvalidKey({
        source: "key-file",
        reason: `${path}: keyId/publicKey do not match the private key (its key id is ${key.keyId})`
      })
    }
    return key
  })

/** Reads a public key file; its `keyId` must be the key id of its descriptor. */
export const readPublicKeyFile = (
  path: string
): Effect.Effect<PublicKeyFile, KeyFileError | InvalidKey, FileSystem.FileSystem> =>
  Effect.gen(function* () {
    const file = yield* readJson(path).pipe(
      Effect.flatMap(decodeWith(PublicKeyFile, path, "gauntlet-public-key"))
    )
    if (keyIdOf(file.publicKey) !== file.keyId) {
      return yield* new InvalidKey({
        source: "key-file",
        reason: `${path}: keyId ${file.keyId} is not the key id of its publicKey (${keyIdOf(file.publicKey)})`
      })
    }
    return file
  })

/** The installation key and where it lives. */
export interface InstallationKey {
  readonly key: SigningKey
  /** True when this call generated it. */
  readonly created: boolean
  readonly privateKeyPath: string
  readonly publicKeyPath: string
}

/**
 * The evidence default key: `<dir>/installation.key` (0600) and its public half `<dir>/installation.pub.json`,
 * generated on first use (directory created with mode 0700). When two processes race, the loser reads the
 * winner's key. A missing public file is rewritten from the private key.
 */
export const loadOrCreateInstallationKey = (
  dir: string
): Effect.Effect<InstallationKey, KeyFileError | InvalidKey, FileSystem.FileSystem | Path.Path> =>
  Effect.gen(function* () {
    const fs = yield* FileSystem.FileSystem
    const path = yield* Path.Path
    const privateKeyPath = path.join(dir, INSTALLATION_KEY_FILES.privateKey)
    const publicKeyPath = path.join(dir, INSTALLATION_KEY_FILES.publicKey)
    yield* fs.makeDirectory(dir, { recursive: true, mode: 0o700 }).pipe(Effect.mapError(ioError(dir)))
    const existing = yield* fs.exists(privateKeyPath).pipe(Effect.mapError(ioError(privateKeyPath)))
    let created = false
    if (!existing) {
      const fresh = yield* generateSigningKey
      const written = yield* Effect.either(writeKeyFile(privateKeyPath, fresh))
      if (Either.isLeft(written) && written.left.reason !== "exists") return yield* written.left
      created = Either.isRight(written)
    }
    const key = yield* readKeyFile(privateKeyPath)
    const hasPublic = yield* fs.exists(publicKeyPath).pipe(Effect.mapError(ioError(publicKeyPath)))
    if (created || !hasPublic) {
      yield* writePublicKeyFile(publicKeyPath, key.publicKey, { overwrite: true })
    }
    return { key, created, privateKeyPath, publicKeyPath }
  })
