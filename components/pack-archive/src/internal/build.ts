import { join } from "node:path"
import { sha256Hex } from "@gauntlet/canonical"
import { assertPublishable, type LoadedPack, PolicyPack, testPack } from "@gauntlet/policy"
import { Effect, Either, ParseResult, Schema } from "effect"
import { collectPackEntries } from "./collect.js"
import type { ArchiveCorrupt, ArchiveEntryRefused, PackIoError } from "./errors.js"
import { PackSourceInvalid } from "./errors.js"
import { archiveNameOf, type PackFileDigest, type PackPredicate } from "./predicate.js"
import { type ArchiveEntry, writeDeterministicTarGz } from "./tarball.js"

/** A built pack archive: its bytes, digest, file name and the predicate a signature will attest. */
export interface BuiltPackArchive {
  /** The deterministic `.tar.gz` bytes. */
  readonly bytes: Uint8Array
  /** `sha256:<hex>` of `bytes`. */
  readonly digest: string
  /** `<namespace>-<name>-<version>.tar.gz`: the file name and the in-toto subject name. */
  readonly fileName: string
  /** Every file in the archive with its SHA-256, sorted by name. */
  readonly files: ReadonlyArray<PackFileDigest>
  /** The decoded manifest. */
  readonly pack: PolicyPack
  /** The predicate (pack, files, rules, tests) that `signPack` attests. */
  readonly predicate: PackPredicate
}

const describe = (error: ParseResult.ParseError): string =>
  ParseResult.ArrayFormatter.formatErrorSync(error)
    .map((issue) => `/${issue.path.map(String).join("/")}: ${issue.message}`)
    .join("; ")

/** Decodes `pack.json` bytes with the policy pack schema; the error names the file and the JSON pointer at fault. */
export const decodeManifest = (
  bytes: Uint8Array | undefined,
  path: string
): Effect.Effect<PolicyPack, PackSourceInvalid> => {
  if (bytes === undefined) return Effect.fail(new PackSourceInvalid({ path, detail: "missing pack.json" }))
  const json = Either.try(() => JSON.parse(new TextDecoder().decode(bytes)) as unknown)
  if (Either.isLeft(json))
    return Effect.fail(new PackSourceInvalid({ path, detail: `not JSON: ${String(json.left)}` }))
  return Schema.decodeUnknown(PolicyPack)(json.right).pipe(
    Effect.mapError(
      (error) => new PackSourceInvalid({ path, detail: `invalid pack manifest: ${describe(error)}` })
    )
  )
}

/** The version of `@gauntlet/policy`'s test runner recorded in predicates. */
const TEST_RUNNER = { id: "@gauntlet/policy/testPack", version: "0.1.0" } as const

/** The predicate of a pack: manifest facts, file digests and the test result. */
export const predicateOf = (
  pack: PolicyPack,
  entries: ReadonlyArray<ArchiveEntry>,
  tests: { readonly passed: number; readonly failed: number }
): PackPredicate => ({
  pack: {
    id: pack.id,
    version: pack.version,
    extends: (pack.extends ?? []).map((p) => ({ id: p.id, range: p.range }))
  },
  files: entries
    .filter((entry) => entry.kind === "file")
    .map((entry) => ({ name: entry.path, digest: { sha256: sha256Hex(entry.bytes) } }))
    .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0)),
  rules: pack.rules.map((rule) => ({
    id: rule.id,
    layer: rule.layer,
    severity: rule.severity,
    action: rule.action
  })),
  tests: { passed: tests.passed, failed: tests.failed, runner: TEST_RUNNER }
})

/** Options for running a pack's tests: parents its `extends` names (loaded packs), and the evaluation budget. */
export interface PackTestOptions {
  readonly available?: ReadonlyArray<LoadedPack>
  readonly budgetMs?: number
}

/**
 * Runs the pack's tests in `dir` (`testPack`); a pack with no tests or a failing test is refused
 * (`PackSourceInvalid` naming the failing case files and why each failed).
 */
export const requirePassingTests = (
  dir: string,
  options: PackTestOptions = {}
): Effect.Effect<{ readonly passed: number; readonly failed: number }, PackSourceInvalid> =>
  testPack(dir, options).pipe(
    Effect.mapError((error) => new PackSourceInvalid({ path: dir, detail: error.message })),
    Effect.flatMap((report) =>
      Either.match(assertPublishable(report), {
        onLeft: (refusal) => {
          const reasons = report.cases
            .filter((c) => !c.passed)
            .map((c) => `${c.file}: ${c.problem ?? "failed"}`)
          return Effect.fail(
            new PackSourceInvalid({
              path: join(dir, "tests"),
              detail: [refusal.message, ...reasons].join("; ")
            })
          )
        },
        onRight: (passing) => Effect.succeed({ passed: passing.cases.length, failed: 0 })
      })
    )
  )

/**
 * Builds the deterministic archive of the pack in `dir`: `pack.json` must decode with the `PolicyPack` schema and
 * its tests must pass (`testPack`, parents from `options.available`); files are collected (no links, portable paths) and written by
 * `writeDeterministicTarGz`. Same directory content → same bytes, whatever the files' times and owners.
 */
export const buildPackArchive = (
  dir: string,
  options: PackTestOptions = {}
): Effect.Effect<BuiltPackArchive, PackSourceInvalid | ArchiveEntryRefused | ArchiveCorrupt | PackIoError> =>
  Effect.gen(function* () {
    const entries = yield* collectPackEntries(dir)
    const manifestPath = join(dir, "pack.json")
    const pack = yield* decodeManifest(entries.find((e) => e.path === "pack.json")?.bytes, manifestPath)
    const tests = yield* requirePassingTests(dir, options)
    const bytes = yield* writeDeterministicTarGz(entries)
    const predicate = predicateOf(pack, entries, tests)
    return {
      bytes,
      digest: `sha256:${sha256Hex(bytes)}`,
      fileName: archiveNameOf(pack.id, pack.version),
      files: predicate.files,
      pack,
      predicate
    }
  })
