import { existsSync } from "node:fs"
import { writeFile } from "node:fs/promises"
import { join, resolve } from "node:path"
import type { FileSystem } from "@effect/platform"
import type { RunEvent } from "@gauntlet/event-stream"
import {
  type BundleVerification,
  bundlePath,
  type ExportFormat,
  exportEvidence,
  readBundleStatements,
  readEvidenceBundle,
  showEvidence,
  verifyEvidenceBundle
} from "@gauntlet/evidence"
import {
  INSTALLATION_KEY_FILES,
  type KeyDescriptor,
  readTrustRootFile,
  type TrustRoot
} from "@gauntlet/signing"
import { Chunk, Effect, Option, Stream } from "effect"
import { OutputFailure } from "../errors.js"
import { InputNotFound, VerificationRefused } from "../governance/errors.js"
import { evidenceDirOf, keyDirOf } from "../governance/paths.js"
import { readTrustedKey } from "../governance/verifierKey.js"
import { writeLines } from "../output.js"
import { withStore } from "../store.js"
import { nowOf } from "./keysHandlers.js"

const json = (value: unknown) => JSON.stringify(value)

/** The bundle of `run` in `dir`, which must exist (66 otherwise, with where it was looked for). */
const existingBundle = (dir: string, runId: string) =>
  Effect.suspend(() => {
    const path = bundlePath(dir, runId)
    return existsSync(path)
      ? Effect.succeed(path)
      : Effect.fail(
          new InputNotFound({
            what: `evidence bundle for run ${runId}`,
            path,
            hint: "bundles are written when a run reaches a terminal state; pass --dir or --db to look elsewhere"
          })
        )
  })

/** `gauntlet evidence show <run>`. */
export const evidenceShow = (options: {
  readonly run: string
  readonly db: string
  readonly dir: Option.Option<string>
  readonly json: boolean
}) =>
  Effect.gen(function* () {
    const dir = evidenceDirOf(options.db, options.dir)
    yield* existingBundle(dir, options.run)
    const { path, statements, trace } = yield* showEvidence({ directory: dir, runId: options.run })
    if (options.json) return yield* writeLines([json({ path, statements, trace })])
    const outcome = trace.outcome
    yield* writeLines([
      `run:        ${trace.runId}`,
      `bundle:     ${path} (${statements} statements; not verified: use gauntlet evidence verify)`,
      ...(trace.workflow === undefined ? [] : [`workflow:   ${trace.workflow}`]),
      ...(trace.specDigest === undefined ? [] : [`spec:       ${trace.specDigest}`]),
      `outcome:    ${outcome.status}${outcome.failureClass === undefined ? "" : ` (${outcome.failureClass})`}${outcome.reason === undefined ? "" : `: ${outcome.reason}`}`,
      ...(trace.startedOn === undefined ? [] : [`started:    ${trace.startedOn}`]),
      ...(trace.finishedOn === undefined ? [] : [`finished:   ${trace.finishedOn}`]),
      "phases:",
      ...trace.phases.flatMap((p) => [
        `  ${p.phase.padEnd(20)} ${p.attempts} attempt(s)${p.agent === undefined ? "" : `  agent ${p.agent}`}`,
        ...p.gates.map(
          (g) =>
            `    gate ${g.gate} (${g.layer})${g.attempt === undefined ? "" : ` attempt ${g.attempt}`}: ${g.result}${g.rules.length === 0 ? "" : ` [${g.rules.join(", ")}]`}`
        )
      ]),
      ...(trace.artifacts.length === 0
        ? []
        : ["artifacts:", ...trace.artifacts.map((a) => `  ${a.name}  ${a.digest}`)])
    ])
  })

interface VerifyingOptions {
  readonly run: string
  readonly db: string
  readonly dir: Option.Option<string>
  readonly keys: ReadonlyArray<string>
  readonly root: Option.Option<string>
  readonly now: Option.Option<string>
}

/** The trusted keys: `--key` files, else the installation key next to the store. */
const trustedKeys = (options: VerifyingOptions) =>
  Effect.gen(function* () {
    const files =
      options.keys.length > 0 ? options.keys : [join(keyDirOf(options.db), INSTALLATION_KEY_FILES.publicKey)]
    for (const file of files)
      if (!existsSync(resolve(file)))
        return yield* new InputNotFound({
          what: "public key",
          path: resolve(file),
          hint: "pass the signer's key with --key <file> or a trust root with --root <file>"
        })
    return yield* Effect.forEach(files, readTrustedKey)
  })

/** The run's stored events when its store exists (the anchor is then checked against them). */
const storedEvents = (db: string, runId: string) =>
  existsSync(resolve(db))
    ? withStore(db, (log) =>
        Effect.map(Stream.runCollect(log.read(runId)), (c): ReadonlyArray<RunEvent> | undefined =>
          Chunk.isEmpty(c) ? undefined : Chunk.toReadonlyArray(c)
        )
      )
    : Effect.succeed(undefined)

/** Reads, then verifies the bundle of a run against keys or a trust root and (when stored) its events. */
const verifyRun = (options: VerifyingOptions) =>
  Effect.gen(function* () {
    const dir = evidenceDirOf(options.db, options.dir)
    const path = yield* existingBundle(dir, options.run)
    const bundle = yield* readEvidenceBundle(dir, options.run)
    let trust:
      | { readonly keys: ReadonlyArray<KeyDescriptor> }
      | { readonly root: { root: TrustRoot; now: string } }
    if (Option.isSome(options.root)) {
      const root = yield* readTrustRootFile(options.root.value)
      trust = { root: { root, now: yield* nowOf(options.now) } }
    } else trust = { keys: yield* trustedKeys(options) }
    const events = yield* storedEvents(options.db, options.run)
    const verification = verifyEvidenceBundle({
      bundle,
      ...trust,
      ...(events === undefined ? {} : { events })
    })
    return { path, bundle, verification }
  })

/** Fails with the first broken link of a verdict (`VerificationRefused`: data-integrity or policy by reason). */
const refuseBroken = (path: string, verification: BundleVerification) =>
  verification.ok
    ? Effect.void
    : Effect.fail(
        new VerificationRefused({
          subject: `evidence bundle ${path}`,
          reason: verification.reason,
          detail: `statement ${verification.index}, ${verification.field}: ${verification.detail}`
        })
      )

/** The one-line verdict printed by `verify` and after a run. */
const verdictLine = (path: string, v: BundleVerification): string =>
  v.ok
    ? `ok: evidence ${path}: ${v.statements} statements signed by ${v.signers.join(", ")}; chain anchor ${v.anchor.count} events${v.eventsChecked ? " (checked against the store)" : ""}`
    : `BROKEN: evidence ${path}: statement ${v.index}, ${v.field} (${v.reason}): ${v.detail}`

/** `gauntlet evidence verify <run>`: prints the verdict; a broken bundle exits 18 (altered) or 14 (untrusted key). */
export const evidenceVerify = (options: VerifyingOptions & { readonly json: boolean }) =>
  Effect.gen(function* () {
    const { path, verification } = yield* verifyRun(options)
    yield* writeLines([options.json ? json({ path, ...verification }) : verdictLine(path, verification)])
    yield* refuseBroken(path, verification)
  })

/** `gauntlet evidence export <run> --format json|md|html [--out <file>]`: the export carries the verdict. */
export const evidenceExport = (
  options: VerifyingOptions & { readonly format: ExportFormat; readonly out: Option.Option<string> }
): Effect.Effect<void, unknown, FileSystem.FileSystem> =>
  Effect.gen(function* () {
    const { bundle, path, verification } = yield* verifyRun(options)
    const text = exportEvidence({ verification, statements: readBundleStatements(bundle) }, options.format)
    if (Option.isSome(options.out)) {
      const out = options.out.value
      yield* Effect.tryPromise({
        try: () => writeFile(out, text.endsWith("\n") ? text : `${text}\n`),
        catch: (error) => new OutputFailure({ detail: `${out}: ${String(error)}` })
      })
      yield* writeLines([`exported ${path} as ${options.format} to ${out}`])
    } else yield* writeLines([text.endsWith("\n") ? text.slice(0, -1) : text])
    yield* refuseBroken(path, verification)
  })
