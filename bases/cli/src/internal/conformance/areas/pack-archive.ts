import { createHash } from "node:crypto"
import type { GoldenAdapter } from "@gauntlet/conformance"
import { ArchiveEntryRefused, ExtractLimits, readPackArchive, verifyPack } from "@gauntlet/pack-archive"
import { DsseEnvelope, decodeTrustRoot } from "@gauntlet/signing"
import { Effect, ParseResult, Schema } from "effect"

/**
 * Golden adapter for area `pack-archive` (spec N4 "Archives"). The input's `op` names the operation:
 * - `verify` `{ archive (base64 .tar.gz), envelope (DSSE), root (trust root), now, installedVersion? }` →
 *   `{ ok: true, id, version, digest, signers }` or `{ ok: false, reason }` (one reason code; the human-readable
 *   detail is not compared).
 * - `read` `{ archive (base64), limits? }` → `{ entries: [{ path, kind, executable, sha256 }] }` (what a safe
 *   extraction would write) or `{ error: "ArchiveEntryRefused", entry, reason }`.
 * A malformed case input fails the case with `InvalidPackArchiveCase` naming what is wrong.
 */

const Base64 = Schema.String.pipe(Schema.pattern(/^[A-Za-z0-9+/]*={0,2}$/))

const PackArchiveCaseInput = Schema.Union(
  Schema.Struct({
    op: Schema.Literal("verify"),
    archive: Base64,
    envelope: DsseEnvelope,
    root: Schema.Unknown,
    now: Schema.String,
    installedVersion: Schema.optional(Schema.String)
  }),
  Schema.Struct({ op: Schema.Literal("read"), archive: Base64, limits: Schema.optional(ExtractLimits) })
)

/** The case input is not one of the operations above. */
class InvalidPackArchiveCase extends Schema.TaggedError<InvalidPackArchiveCase>()("InvalidPackArchiveCase", {
  detail: Schema.String
}) {
  override get message() {
    return `invalid golden input for area pack-archive: ${this.detail}`
  }
}

const describeIssues = (error: ParseResult.ParseError): string =>
  ParseResult.ArrayFormatter.formatErrorSync(error)
    .map((issue) => `/${issue.path.map(String).join("/")}: ${issue.message}`)
    .join("; ")

const bytesOf = (base64: string) => new Uint8Array(Buffer.from(base64, "base64"))

const evaluate = (
  input: typeof PackArchiveCaseInput.Type
): Effect.Effect<unknown, InvalidPackArchiveCase> => {
  if (input.op === "read")
    return readPackArchive(bytesOf(input.archive), input.limits).pipe(
      Effect.map((entries) => ({
        entries: entries.map((entry) => ({
          path: entry.path,
          kind: entry.kind,
          executable: entry.executable,
          sha256: createHash("sha256").update(entry.bytes).digest("hex")
        }))
      })),
      Effect.catchAll((error) =>
        Effect.succeed(
          error instanceof ArchiveEntryRefused
            ? { error: error._tag, entry: error.entry, reason: error.reason }
            : { error: error._tag }
        )
      )
    )
  return Effect.gen(function* () {
    const root = yield* decodeTrustRoot(input.root).pipe(
      Effect.mapError((error) => new InvalidPackArchiveCase({ detail: `/root: ${error.message}` }))
    )
    const result = yield* verifyPack({
      archive: bytesOf(input.archive),
      envelope: input.envelope,
      root,
      now: input.now,
      installedVersion: input.installedVersion
    })
    return result.ok
      ? { ok: true, id: result.id, version: result.version, digest: result.digest, signers: result.signers }
      : { ok: false, reason: result.reason }
  })
}

const run = (input: unknown): Effect.Effect<unknown, InvalidPackArchiveCase> =>
  Schema.decodeUnknown(PackArchiveCaseInput)(input).pipe(
    Effect.mapError((error) => new InvalidPackArchiveCase({ detail: describeIssues(error) })),
    Effect.flatMap(evaluate)
  )

/** The `pack-archive` area: verification reason codes and safe reading of pack archives (`@gauntlet/pack-archive`). */
export const adapter: GoldenAdapter = { area: "pack-archive", run }
