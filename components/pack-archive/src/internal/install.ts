import { randomUUID } from "node:crypto"
import { mkdir, readFile, rename, rm, writeFile } from "node:fs/promises"
import { join } from "node:path"
import { compareVersions, type DsseEnvelope, openStatement, type TrustRoot } from "@gauntlet/signing"
import { Effect, Either, Schema } from "effect"
import {
  type ArchiveCorrupt,
  type ArchiveEntryRefused,
  PackIoError,
  PackNotVerified,
  PackSourceInvalid
} from "./errors.js"
import { extractPackArchive } from "./extract.js"
import { PackPredicate } from "./predicate.js"
import type { ExtractLimits } from "./read-archive.js"
import { verifyPack } from "./verify.js"

/** One installed version of a pack, as the index records it. */
const InstalledVersion = Schema.Struct({
  digest: Schema.String,
  installedAt: Schema.String,
  signers: Schema.Array(Schema.String)
})

/**
 * The install index `<dir>/packs/index.json`: per pack id, the highest version ever installed (rollback protection:
 * it never goes down) and every installed version.
 */
export const InstallIndex = Schema.Struct({
  formatVersion: Schema.Literal(1),
  packs: Schema.Record({
    key: Schema.String,
    value: Schema.Struct({
      highestVersion: Schema.String,
      versions: Schema.Record({ key: Schema.String, value: InstalledVersion })
    })
  })
})
/** The install index. */
export type InstallIndex = typeof InstallIndex.Type

/** An installed pack version, as `installPack` and `listInstalled` report it. */
export interface InstalledPack {
  readonly id: string
  readonly version: string
  /** `sha256:<hex>` of the archive. */
  readonly digest: string
  readonly installedAt: string
  readonly signers: ReadonlyArray<string>
  /** The directory holding the extracted pack: `<dir>/packs/<id>/<version>`. */
  readonly path: string
  /** The highest version of this id ever installed here. */
  readonly highestVersion: string
}

const emptyIndex: InstallIndex = { formatVersion: 1, packs: {} }

const io = (operation: string, path: string) => (error: unknown) =>
  new PackIoError({ operation, path, detail: error instanceof Error ? error.message : String(error) })

const indexPath = (dir: string) => join(dir, "packs", "index.json")

/** Reads the install index (an absent file is an empty index; an unreadable one is an error, never reset). */
export const readInstallIndex = (
  dir: string
): Effect.Effect<InstallIndex, PackIoError | PackSourceInvalid> => {
  const path = indexPath(dir)
  return Effect.tryPromise({ try: () => readFile(path, "utf8"), catch: (error) => error }).pipe(
    Effect.matchEffect({
      onFailure: (error) =>
        (error as { code?: string }).code === "ENOENT"
          ? Effect.succeed(emptyIndex)
          : Effect.fail(io("read", path)(error)),
      onSuccess: (text) =>
        Effect.try({ try: () => JSON.parse(text) as unknown, catch: () => undefined }).pipe(
          Effect.flatMap(Schema.decodeUnknown(InstallIndex)),
          Effect.mapError(
            () => new PackSourceInvalid({ path, detail: "not a pack install index (formatVersion 1)" })
          )
        )
    })
  )
}

const writeInstallIndex = (dir: string, index: InstallIndex) => {
  const path = indexPath(dir)
  const temp = `${path}.${randomUUID()}.tmp`
  return Effect.tryPromise({
    try: async () => {
      await writeFile(temp, `${JSON.stringify(index, null, 2)}\n`, { mode: 0o644 })
      await rename(temp, path)
    },
    catch: io("write", path)
  })
}

/** What `installPack` needs. */
export interface InstallPackInput {
  /** The installation directory: packs go to `<dir>/packs/<id>/<version>/`. */
  readonly dir: string
  readonly archive: Uint8Array
  readonly envelope: DsseEnvelope
  readonly root: TrustRoot
  readonly now: Date | string
  readonly limits?: ExtractLimits | undefined
}

const isoOf = (now: Date | string) => (typeof now === "string" ? now : now.toISOString())

/**
 * Installs a signed pack: refuses (`PackNotVerified`) any pack that does not verify against the root, including a
 * version lower than the highest ever installed for its id (`rollback`); refuses a second, different archive for an
 * installed version; extracts through a staging directory renamed into `<dir>/packs/<id>/<version>/`; keeps the
 * archive and envelope beside it (`<version>.tar.gz`, `<version>.dsse.json`) and updates the index atomically.
 * Reinstalling the identical archive is a no-op that returns the existing record. One install at a time per
 * directory (`<dir>/packs.lock`).
 */
export const installPack = (
  input: InstallPackInput
): Effect.Effect<
  InstalledPack,
  PackNotVerified | PackSourceInvalid | PackIoError | ArchiveEntryRefused | ArchiveCorrupt
> => withInstallLock(input.dir, installUnlocked(input))

/**
 * Runs `effect` holding `<dir>/packs.lock` (created exclusively, removed afterwards): a second install into the same
 * directory at the same time fails with `PackIoError` instead of racing on the index. A lock left by a crashed
 * process must be removed by hand; the error says so.
 */
const withInstallLock = <A, E>(
  dir: string,
  effect: Effect.Effect<A, E>
): Effect.Effect<A, E | PackIoError> => {
  const lock = join(dir, "packs.lock")
  return Effect.acquireUseRelease(
    Effect.tryPromise({
      try: async () => {
        await mkdir(dir, { recursive: true })
        await writeFile(lock, `${process.pid}\n`, { flag: "wx" })
      },
      catch: (error) =>
        (error as { code?: string }).code === "EEXIST"
          ? new PackIoError({
              operation: "lock",
              path: lock,
              detail:
                "another install is in progress here (if none is, a crashed one left the lock: remove the file)"
            })
          : io("lock", lock)(error)
    }),
    () => effect,
    () => Effect.promise(() => rm(lock, { force: true }))
  )
}

const installUnlocked = (
  input: InstallPackInput
): Effect.Effect<
  InstalledPack,
  PackNotVerified | PackSourceInvalid | PackIoError | ArchiveEntryRefused | ArchiveCorrupt
> =>
  Effect.gen(function* () {
    const index = yield* readInstallIndex(input.dir)
    const claimed = yield* Effect.either(
      Effect.flatMap(openStatement(input.envelope), (statement) =>
        Schema.decodeUnknown(PackPredicate)(statement.predicate)
      )
    )
    const claimedId = Either.isRight(claimed) ? claimed.right.pack.id : undefined
    const entry = claimedId === undefined ? undefined : index.packs[claimedId]
    const verified = yield* verifyPack({
      archive: input.archive,
      envelope: input.envelope,
      root: input.root,
      now: input.now,
      installedVersion: entry?.highestVersion,
      limits: input.limits
    })
    if (!verified.ok)
      return yield* new PackNotVerified({
        pack: claimedId ?? "<unknown>",
        reason: verified.reason,
        detail: verified.detail
      })
    const { id, version, digest, signers } = verified
    const packDir = join(input.dir, "packs", ...id.split("/"))
    const target = join(packDir, version)
    const existing = entry?.versions[version]
    if (existing !== undefined) {
      if (existing.digest !== digest)
        return yield* new PackSourceInvalid({
          path: target,
          detail: `${id}@${version} is already installed with digest ${existing.digest}, not ${digest}`
        })
      return { id, version, ...existing, path: target, highestVersion: entry?.highestVersion ?? version }
    }
    const staging = join(input.dir, "packs", `.staging-${randomUUID()}`)
    yield* extractPackArchive(input.archive, staging, input.limits).pipe(
      Effect.tapError(() => Effect.promise(() => rm(staging, { recursive: true, force: true })))
    )
    yield* Effect.tryPromise({
      try: async () => {
        await mkdir(packDir, { recursive: true })
        await rename(staging, target)
        await writeFile(join(packDir, `${version}.tar.gz`), input.archive, { mode: 0o644 })
        await writeFile(join(packDir, `${version}.dsse.json`), `${JSON.stringify(input.envelope, null, 2)}\n`)
      },
      catch: io("install into", target)
    }).pipe(Effect.tapError(() => Effect.promise(() => rm(staging, { recursive: true, force: true }))))
    const highestVersion =
      entry === undefined || (compareVersions(version, entry.highestVersion) ?? 0) > 0
        ? version
        : entry.highestVersion
    const record = { digest, installedAt: isoOf(input.now), signers: [...signers] }
    yield* writeInstallIndex(input.dir, {
      formatVersion: 1,
      packs: {
        ...index.packs,
        [id]: { highestVersion, versions: { ...(entry?.versions ?? {}), [version]: record } }
      }
    })
    return { id, version, ...record, path: target, highestVersion }
  })

/** Every installed pack version under `<dir>/packs`, sorted by id then version (semver order). */
export const listInstalled = (
  dir: string
): Effect.Effect<ReadonlyArray<InstalledPack>, PackIoError | PackSourceInvalid> =>
  Effect.map(readInstallIndex(dir), (index) =>
    Object.keys(index.packs)
      .sort()
      .flatMap((id) => {
        const entry = index.packs[id]
        if (entry === undefined) return []
        return Object.keys(entry.versions)
          .sort((a, b) => compareVersions(a, b) ?? (a < b ? -1 : a > b ? 1 : 0))
          .flatMap((version) => {
            const record = entry.versions[version]
            return record === undefined
              ? []
              : [
                  {
                    id,
                    version,
                    ...record,
                    path: join(dir, "packs", ...id.split("/"), version),
                    highestVersion: entry.highestVersion
                  }
                ]
          })
      })
  )
