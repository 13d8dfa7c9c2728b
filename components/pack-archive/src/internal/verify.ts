import { sha256Hex } from "@gauntlet/canonical"
import {
  compareVersions,
  type DsseEnvelope,
  openStatement,
  packRole,
  type TrustRoot,
  verifyWithRoot
} from "@gauntlet/signing"
import { Effect, Either, ParseResult, Schema } from "effect"
import {
  archiveNameOf,
  PACK_PREDICATE_TYPE,
  type PackPredicate,
  PackPredicate as PackPredicateSchema
} from "./predicate.js"
import { defaultExtractLimits, type ExtractLimits, readPackArchive } from "./read-archive.js"

/** Why a signed pack does not verify (N4 "Archives"): exactly one reason per refusal. */
export const PackVerificationReason = Schema.Literal(
  "unknown-key",
  "revoked-key",
  "expired-key",
  "digest-mismatch",
  "bad-signature",
  "threshold-not-met",
  "rollback",
  "root-expired"
)
/** One reason code of {@link PackVerificationReason}. */
export type PackVerificationReason = typeof PackVerificationReason.Type

/** The outcome of `verifyPack`: `ok` with what was verified, or one reason code and a human-readable detail. */
export type PackVerification =
  | {
      readonly ok: true
      readonly id: string
      readonly version: string
      /** `sha256:<hex>` of the archive bytes. */
      readonly digest: string
      /** Trusted key ids whose signatures counted towards the threshold. */
      readonly signers: ReadonlyArray<string>
      readonly predicate: PackPredicate
    }
  | { readonly ok: false; readonly reason: PackVerificationReason; readonly detail: string }

/** What `verifyPack` needs: all of it is in memory, so verification is offline and repeatable. */
export interface VerifyPackInput {
  /** The archive bytes (`.tar.gz`). */
  readonly archive: Uint8Array
  /** The DSSE envelope carrying the pack's in-toto Statement. */
  readonly envelope: DsseEnvelope
  /** The trusted root (already verified by the caller, e.g. with `verifyRootUpdate`). */
  readonly root: TrustRoot
  /** The verification time (ISO-8601 UTC or a Date): validity windows and the root's expiry are judged at it. */
  readonly now: Date | string
  /** The highest version of this pack already installed: a lower version is a `rollback`. */
  readonly installedVersion?: string | undefined
  /** Bounds for reading the archive. */
  readonly limits?: ExtractLimits | undefined
}

const refused = (reason: PackVerificationReason, detail: string): PackVerification => ({
  ok: false,
  reason,
  detail
})

const describe = (error: ParseResult.ParseError): string =>
  ParseResult.ArrayFormatter.formatErrorSync(error)
    .map((issue) => `/${issue.path.map(String).join("/")}: ${issue.message}`)
    .join("; ")

const decodePredicate = Schema.decodeUnknownEither(PackPredicateSchema)

/**
 * Verifies a signed pack offline, in this order: the envelope carries a policy-pack Statement; the trust root is not
 * expired and a threshold of `packs/<namespace>` keys signed it (`root-expired`, `unknown-key`, `revoked-key`,
 * `expired-key`, `bad-signature`, `threshold-not-met`); the archive's SHA-256 is the subject's and its files, their
 * digests and `pack.json`'s id and version are the predicate's (`digest-mismatch`); the version is not lower than
 * `installedVersion` (`rollback`). Never fails: every problem is a reason code.
 */
export const verifyPack = (input: VerifyPackInput): Effect.Effect<PackVerification> =>
  Effect.gen(function* () {
    const opened = yield* Effect.either(openStatement(input.envelope))
    if (Either.isLeft(opened)) return refused("bad-signature", `envelope: ${opened.left.message}`)
    const statement = opened.right
    if (statement.predicateType !== PACK_PREDICATE_TYPE)
      return refused(
        "bad-signature",
        `predicateType is ${JSON.stringify(statement.predicateType)}, not ${PACK_PREDICATE_TYPE}`
      )
    const predicateResult = decodePredicate(statement.predicate)
    if (Either.isLeft(predicateResult))
      return refused(
        "bad-signature",
        `predicate is not a policy-pack predicate: ${describe(predicateResult.left)}`
      )
    const predicate = predicateResult.right
    const { id, version } = predicate.pack
    const trusted = verifyWithRoot({
      envelope: input.envelope,
      root: input.root,
      role: packRole(id),
      now: input.now,
      artifact: { name: archiveNameOf(id, version), bytes: input.archive }
    })
    if (!trusted.ok) return refused(trusted.reason, trusted.detail)
    const contentProblem = yield* archiveContentProblem(
      input.archive,
      predicate,
      input.limits ?? defaultExtractLimits
    )
    if (contentProblem !== undefined) return refused("digest-mismatch", contentProblem)
    if (input.installedVersion !== undefined) {
      const order = compareVersions(version, input.installedVersion)
      if (order === undefined)
        return refused("rollback", `versions ${version} and ${input.installedVersion} are not comparable`)
      if (order < 0)
        return refused(
          "rollback",
          `${id}@${version} is lower than the installed ${id}@${input.installedVersion}`
        )
    }
    return {
      ok: true,
      id,
      version,
      digest: `sha256:${sha256Hex(input.archive)}`,
      signers: trusted.signers,
      predicate
    } satisfies PackVerification
  })

/** Compares the archive's files with the predicate's list; `undefined` when they agree exactly. */
const archiveContentProblem = (
  archive: Uint8Array,
  predicate: PackPredicate,
  limits: ExtractLimits
): Effect.Effect<string | undefined> =>
  readPackArchive(archive, limits).pipe(
    Effect.map((entries) => {
      const files = new Map(entries.filter((e) => e.kind === "file").map((e) => [e.path, e.bytes]))
      const listed = new Set(predicate.files.map((f) => f.name))
      for (const file of predicate.files) {
        const bytes = files.get(file.name)
        if (bytes === undefined) return `file ${file.name} is in the statement but not in the archive`
        if (sha256Hex(bytes) !== file.digest.sha256)
          return `file ${file.name} does not have the signed digest`
      }
      for (const name of files.keys())
        if (!listed.has(name)) return `file ${name} is in the archive but not in the statement`
      const manifest = files.get("pack.json")
      if (manifest === undefined) return "the archive has no pack.json"
      const parsed = Either.try(
        () => JSON.parse(new TextDecoder().decode(manifest)) as { id?: unknown; version?: unknown }
      )
      if (Either.isLeft(parsed)) return "pack.json is not JSON"
      if (parsed.right.id !== predicate.pack.id || parsed.right.version !== predicate.pack.version)
        return `pack.json declares ${String(parsed.right.id)}@${String(parsed.right.version)}, the statement ${predicate.pack.id}@${predicate.pack.version}`
      return undefined
    }),
    Effect.catchAll((error) => Effect.succeed(`the archive cannot be read safely: ${error.message}`))
  )
