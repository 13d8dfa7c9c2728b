import { PackId, SemVer } from "@gauntlet/policy"
import { Schema } from "effect"

/** in-toto `predicateType` of a signed policy pack. */
export const PACK_PREDICATE_TYPE = "https://gauntlet.dev/attestations/policy-pack/v1"

const Sha256Set = Schema.Struct({ sha256: Schema.String.pipe(Schema.pattern(/^[0-9a-f]{64}$/)) })

/** One file inside the archive and its SHA-256. */
export const PackFileDigest = Schema.Struct({ name: Schema.String, digest: Sha256Set })
/** One file inside the archive and its SHA-256. */
export type PackFileDigest = typeof PackFileDigest.Type

/**
 * The predicate of a policy-pack attestation (governance-formats §B.3): which pack (id, version, parents), the digest
 * of every file in the archive, a summary of its rules, and the result of its tests at build time.
 */
export const PackPredicate = Schema.Struct({
  pack: Schema.Struct({
    id: PackId,
    version: SemVer,
    extends: Schema.Array(Schema.Struct({ id: Schema.String, range: Schema.String }))
  }),
  files: Schema.Array(PackFileDigest),
  rules: Schema.Array(
    Schema.Struct({ id: Schema.String, layer: Schema.String, severity: Schema.String, action: Schema.String })
  ),
  tests: Schema.Struct({
    passed: Schema.Int,
    failed: Schema.Int,
    runner: Schema.Struct({ id: Schema.String, version: Schema.String })
  }),
  publishedAt: Schema.optional(Schema.String)
})
/** The predicate of a policy-pack attestation. */
export type PackPredicate = typeof PackPredicate.Type

/** The archive's file name (and the statement's subject name): `<namespace>-<name>-<version>.tar.gz`. */
export const archiveNameOf = (id: string, version: string): string =>
  `${id.replaceAll("/", "-")}-${version}.tar.gz`
