import { readFileSync } from "node:fs"
import {
  buildPackFile,
  initPack,
  installPackFile,
  listInstalled,
  signPackFile,
  verifyPackFile
} from "@gauntlet/pack-archive"
import {
  evaluatePacks,
  Intent,
  loadPack,
  type PolicyResult,
  parseUnifiedDiff,
  testPack
} from "@gauntlet/policy"
import { Effect, Either, Option, Schema } from "effect"
import { InvalidOptionValue } from "../errors.js"
import { ChangeBlocked, InputNotFound, PackTestsFailed, VerificationRefused } from "../governance/errors.js"
import { writeLines } from "../output.js"
import { nowOf } from "./keysHandlers.js"

const json = (value: unknown) => JSON.stringify(value)

/** `gauntlet pack init <dir> --id <ns/name>`. */
export const packInit = (options: { readonly dir: string; readonly id: string; readonly json: boolean }) =>
  Effect.gen(function* () {
    const made = yield* initPack(options.dir, options.id)
    yield* writeLines(
      options.json
        ? [json(made)]
        : [
            `pack ${made.id} created in ${made.dir}: ${made.files.join(", ")}`,
            `  next: gauntlet pack test ${made.dir}`
          ]
    )
  })

/** `gauntlet pack test <dir>`: every case with its verdict; `PackTestsFailed` (14) when one fails or none exist. */
export const packTest = (options: { readonly dir: string; readonly json: boolean }) =>
  Effect.gen(function* () {
    const report = yield* testPack(options.dir)
    const failed = report.cases.filter((c) => !c.passed)
    yield* writeLines(
      options.json
        ? [json(report)]
        : [
            ...report.cases.map((c) =>
              c.passed
                ? `pass  ${c.file}  ${c.description}`
                : `FAIL  ${c.file}  ${c.description}\n      ${c.problem ?? "failed"}`
            ),
            `pack ${report.pack}: ${report.cases.length - failed.length} passed, ${failed.length} failed`
          ]
    )
    if (!report.passed)
      return yield* new PackTestsFailed({
        pack: report.pack,
        failed: failed.length,
        total: report.cases.length
      })
  })

/** `gauntlet pack build <dir> [--out <dir>]`. */
export const packBuild = (options: { readonly dir: string; readonly out: string; readonly json: boolean }) =>
  Effect.gen(function* () {
    const built = yield* buildPackFile({ dir: options.dir, outDir: options.out })
    yield* writeLines(
      options.json
        ? [json(built)]
        : [
            `built ${built.pack}: ${built.archivePath}`,
            `  digest: ${built.digest}`,
            `  files: ${built.files}, tests: ${built.tests.passed} passed`
          ]
    )
  })

/** `gauntlet pack sign <archive> --key <file>… [--out <envelope>]`. */
export const packSign = (options: {
  readonly archive: string
  readonly keys: ReadonlyArray<string>
  readonly out: Option.Option<string>
  readonly json: boolean
}) =>
  Effect.gen(function* () {
    if (options.keys.length === 0)
      return yield* new InvalidOptionValue({
        option: "--key",
        value: "",
        reason: "at least one private key file"
      })
    const signed = yield* signPackFile({
      archive: options.archive,
      keyFiles: options.keys,
      ...(Option.isSome(options.out) ? { out: options.out.value } : {})
    })
    yield* writeLines(
      options.json
        ? [json(signed)]
        : [
            `signed ${signed.pack}: ${signed.envelopePath}`,
            `  subject: ${signed.subject.name} sha256:${signed.subject.digest.sha256}`,
            `  keys: ${signed.keyIds.join(", ")}`
          ]
    )
  })

const envelopeOf = (envelope: Option.Option<string>) =>
  Option.isSome(envelope) ? { envelope: envelope.value } : {}

/** `gauntlet pack verify <archive> --root <root> [--envelope <f>] [--installed-dir <d>] [--now <iso>]`. */
export const packVerify = (options: {
  readonly archive: string
  readonly envelope: Option.Option<string>
  readonly root: string
  readonly installedDir: Option.Option<string>
  readonly now: Option.Option<string>
  readonly json: boolean
}) =>
  Effect.gen(function* () {
    const now = yield* nowOf(options.now)
    const verdict = yield* verifyPackFile({
      archive: options.archive,
      rootFile: options.root,
      now,
      ...envelopeOf(options.envelope),
      ...(Option.isSome(options.installedDir) ? { installedDir: options.installedDir.value } : {})
    })
    if (verdict.ok) {
      const { predicate: _, ...summary } = verdict
      yield* writeLines(
        options.json
          ? [json(summary)]
          : [`ok: ${verdict.id}@${verdict.version} ${verdict.digest} signed by ${verdict.signers.join(", ")}`]
      )
      return
    }
    yield* writeLines(options.json ? [json(verdict)] : [verdict.reason])
    return yield* new VerificationRefused({
      subject: `pack archive ${options.archive}`,
      reason: verdict.reason,
      detail: verdict.detail
    })
  })

/** `gauntlet pack install <archive> --root <root> [--envelope <f>] [--dir .gauntlet] [--now <iso>]`. */
export const packInstall = (options: {
  readonly archive: string
  readonly envelope: Option.Option<string>
  readonly root: string
  readonly dir: string
  readonly now: Option.Option<string>
  readonly json: boolean
}) =>
  Effect.gen(function* () {
    const now = yield* nowOf(options.now)
    const installed = yield* installPackFile({
      archive: options.archive,
      rootFile: options.root,
      dir: options.dir,
      now,
      ...envelopeOf(options.envelope)
    })
    yield* writeLines(
      options.json
        ? [json(installed)]
        : [
            `installed ${installed.id}@${installed.version} in ${installed.path}`,
            `  digest: ${installed.digest}, signed by ${installed.signers.join(", ")}`
          ]
    )
  })

/** `gauntlet pack list [--dir .gauntlet]`. */
export const packList = (options: { readonly dir: string; readonly json: boolean }) =>
  Effect.gen(function* () {
    const packs = yield* listInstalled(options.dir)
    if (options.json) return yield* writeLines(packs.map(json))
    const header = ["PACK", "VERSION", "HIGHEST", "DIGEST", "INSTALLED"]
    const rows = packs.map((p) => [p.id, p.version, p.highestVersion, p.digest.slice(0, 19), p.installedAt])
    const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)))
    const line = (cells: ReadonlyArray<string>) =>
      cells
        .map((c, i) => c.padEnd(widths[i]!))
        .join("  ")
        .trimEnd()
    yield* writeLines(
      packs.length === 0 ? [`no packs installed in ${options.dir}`] : [line(header), ...rows.map(line)]
    )
  })

const readDiff = (path: string) =>
  Effect.try({
    try: () => readFileSync(path === "-" ? 0 : path, "utf8"),
    catch: () => new InputNotFound({ what: "diff file", path })
  })

const decodeIntent = Schema.decodeUnknownEither(Intent)

/** The human report of an evaluation: each violation's explanation, then the decision. */
const checkLines = (result: PolicyResult): ReadonlyArray<string> => [
  ...result.violations.flatMap((v) => [v.explanation, ""]),
  `decision: ${result.decision} (${result.violations.length} violation(s); packs ${result.packs.join(", ")})`
]

/**
 * `gauntlet pack check <pack-dir>… --diff <file>`: evaluates the packs on the diff. `allow`, `audit` and `warn`
 * exit 0; `block` and `require-approval` print the explanations and exit 14 (`ChangeBlocked`).
 */
export const packCheck = (options: {
  readonly packs: ReadonlyArray<string>
  readonly diff: string
  readonly phase: string
  readonly scope: ReadonlyArray<string>
  readonly intent: Option.Option<string>
  readonly json: boolean
}) =>
  Effect.gen(function* () {
    let intent: Intent | undefined
    if (Option.isSome(options.intent)) {
      const decoded = decodeIntent(options.intent.value)
      if (Either.isLeft(decoded))
        return yield* new InvalidOptionValue({
          option: "--intent",
          value: options.intent.value,
          reason: "expected import|create|update|destroy|refactor|migrate"
        })
      intent = decoded.right
    }
    const packs = yield* Effect.forEach(options.packs, (dir) => loadPack(dir))
    const change = yield* Either.match(parseUnifiedDiff(yield* readDiff(options.diff)), {
      onLeft: Effect.fail,
      onRight: Effect.succeed
    })
    const result = yield* evaluatePacks({
      packs,
      change,
      context: {
        phase: options.phase,
        ...(options.scope.length === 0 ? {} : { scope: options.scope }),
        ...(intent === undefined ? {} : { intent })
      }
    })
    yield* writeLines(options.json ? [json(result)] : checkLines(result))
    if (result.decision === "block" || result.decision === "require-approval")
      return yield* new ChangeBlocked({
        decision: result.decision,
        violations: result.violations.length,
        rules: [...new Set(result.violations.map((v) => v.ruleId))]
      })
  })
