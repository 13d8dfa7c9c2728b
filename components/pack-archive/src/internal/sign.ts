import { mkdtemp, rm } from "node:fs/promises"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { sha256Hex } from "@gauntlet/canonical"
import {
  type DsseEnvelope,
  type InvalidKey,
  makeStatement,
  type SigningKey,
  signStatement
} from "@gauntlet/signing"
import { Effect } from "effect"
import {
  type BuiltPackArchive,
  decodeManifest,
  type PackTestOptions,
  predicateOf,
  requirePassingTests
} from "./build.js"
import { type ArchiveCorrupt, type ArchiveEntryRefused, PackIoError, PackSourceInvalid } from "./errors.js"
import { extractPackArchive } from "./extract.js"
import { archiveNameOf, PACK_PREDICATE_TYPE, type PackPredicate } from "./predicate.js"
import { defaultExtractLimits, readPackArchive } from "./read-archive.js"

/** What `signPack` needs: a freshly built archive, or archive bytes (re-read and re-tested), and the signing keys. */
export interface SignPackInput extends PackTestOptions {
  readonly archive: BuiltPackArchive | Uint8Array
  /** One signature per key (a role with threshold n needs n keys of the role). */
  readonly keys: ReadonlyArray<SigningKey>
  /** Optional RFC 3339 publication time recorded in the predicate (omitted: the envelope is deterministic). */
  readonly publishedAt?: string | undefined
}

/** A signed pack: the DSSE envelope and the predicate it attests. */
export interface SignedPack {
  readonly envelope: DsseEnvelope
  readonly predicate: PackPredicate
  /** The in-toto subject name (`<namespace>-<name>-<version>.tar.gz`). */
  readonly subjectName: string
}

/**
 * The predicate of archive bytes: the archive is read with the safe reader, extracted to a temporary directory and
 * its tests run there, so a signature never attests a pack whose tests fail.
 */
const predicateOfArchive = (
  bytes: Uint8Array,
  options: PackTestOptions
): Effect.Effect<PackPredicate, PackSourceInvalid | ArchiveEntryRefused | ArchiveCorrupt | PackIoError> =>
  Effect.gen(function* () {
    const entries = yield* readPackArchive(bytes, defaultExtractLimits)
    const pack = yield* decodeManifest(
      entries.find((e) => e.path === "pack.json")?.bytes,
      "<archive>/pack.json"
    )
    return yield* Effect.acquireUseRelease(
      Effect.tryPromise({
        try: () => mkdtemp(join(tmpdir(), "gauntlet-pack-")),
        catch: (error) =>
          new PackIoError({ operation: "create temporary directory", path: tmpdir(), detail: String(error) })
      }),
      (dir) =>
        Effect.gen(function* () {
          const dest = join(dir, "pack")
          yield* extractPackArchive(bytes, dest)
          const tests = yield* requirePassingTests(dest, options)
          return predicateOf(pack, entries, tests)
        }),
      (dir) => Effect.promise(() => rm(dir, { recursive: true, force: true }))
    )
  })

/**
 * Signs a pack archive: an in-toto Statement v1 whose subject is the archive's SHA-256 (named
 * `<namespace>-<name>-<version>.tar.gz`), predicateType `https://gauntlet.dev/attestations/policy-pack/v1` and the
 * pack predicate, in a DSSE envelope with one Ed25519 signature per key.
 */
export const signPack = (
  input: SignPackInput
): Effect.Effect<
  SignedPack,
  PackSourceInvalid | ArchiveEntryRefused | ArchiveCorrupt | PackIoError | InvalidKey
> =>
  Effect.gen(function* () {
    if (input.keys.length === 0)
      return yield* new PackSourceInvalid({ path: "keys", detail: "no signing key given" })
    const bytes = input.archive instanceof Uint8Array ? input.archive : input.archive.bytes
    const base =
      input.archive instanceof Uint8Array ? yield* predicateOfArchive(bytes, input) : input.archive.predicate
    const predicate: PackPredicate =
      input.publishedAt === undefined ? base : { ...base, publishedAt: input.publishedAt }
    const subjectName = archiveNameOf(predicate.pack.id, predicate.pack.version)
    const statement = makeStatement({
      subject: [{ name: subjectName, digest: { sha256: sha256Hex(bytes) } }],
      predicateType: PACK_PREDICATE_TYPE,
      predicate
    })
    const envelope = yield* signStatement(statement, input.keys)
    return { envelope, predicate, subjectName }
  })
