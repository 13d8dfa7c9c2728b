import { FileSystem } from "@effect/platform"
import type { RunEvent } from "@gauntlet/event-stream"
import { KeyDescriptor, keyIdOf, PublicKeyFile, publicKeyFromPem } from "@gauntlet/signing"
import { Effect, Either, Schema } from "effect"
import { EvidenceError } from "./errors.js"
import { type ExportFormat, exportEvidence } from "./export.js"
import { bundlePath, readEvidenceBundle } from "./files.js"
import { type RunTrace, runTrace } from "./queries.js"
import { type BundleVerification, readBundleStatements, verifyEvidenceBundle } from "./verify.js"

const decodeDescriptor = Schema.decodeUnknownEither(KeyDescriptor)
const decodePublicKeyFile = Schema.decodeUnknownEither(PublicKeyFile)

/**
 * Reads a verifier's public key file: a `gauntlet-public-key` file as `@gauntlet/signing` writes it (`gauntlet keys
 * generate`, the installation key's `installation.pub.json`; its `keyId` must match the key), a bare JSON key
 * descriptor (`{ keytype, scheme, keyval: { public } }`, as written next to the bundles) or an SPKI PEM public key.
 */
export const readVerifierKey = (
  path: string
): Effect.Effect<KeyDescriptor, EvidenceError, FileSystem.FileSystem> =>
  Effect.gen(function* () {
    const fs = yield* FileSystem.FileSystem
    const fail = (detail: string) => new EvidenceError({ runId: "-", stage: "key", path, detail })
    const text = yield* fs.readFileString(path).pipe(Effect.mapError((e) => fail(String(e))))
    if (text.includes("-----BEGIN PUBLIC KEY-----")) {
      return yield* publicKeyFromPem(text).pipe(Effect.mapError((e) => fail(e.message)))
    }
    const json = yield* Effect.try({
      try: () => JSON.parse(text) as unknown,
      catch: () => fail("neither JSON nor a PEM public key")
    })
    if (
      typeof json === "object" &&
      json !== null &&
      (json as { _type?: unknown })._type === "gauntlet-public-key"
    ) {
      const file = decodePublicKeyFile(json, { onExcessProperty: "ignore" })
      if (Either.isLeft(file))
        return yield* fail("a gauntlet-public-key file without a valid ed25519 publicKey")
      if (keyIdOf(file.right.publicKey) !== file.right.keyId)
        return yield* fail(`keyId ${file.right.keyId} does not match the key it carries`)
      return file.right.publicKey
    }
    const decoded = decodeDescriptor(json, { onExcessProperty: "ignore" })
    if (Either.isLeft(decoded))
      return yield* fail("not an ed25519 key descriptor { keytype, scheme, keyval: { public } }")
    return decoded.right
  })

/** `gauntlet evidence show <run>`: the run's trace from its bundle (not verified: use `verify` for that). */
export const showEvidence = (options: {
  readonly directory: string
  readonly runId: string
}): Effect.Effect<
  { readonly path: string; readonly statements: number; readonly trace: RunTrace },
  EvidenceError,
  FileSystem.FileSystem
> =>
  Effect.map(readEvidenceBundle(options.directory, options.runId), (text) => {
    const statements = readBundleStatements(text)
    return {
      path: bundlePath(options.directory, options.runId),
      statements: statements.length,
      trace: runTrace(statements)
    }
  })

/**
 * `gauntlet evidence verify <run> --key <file>…`: verifies the bundle offline against the given public keys and,
 * when given, the run's stored events. The verdict is data (`ok: false` names the first broken link).
 */
export const verifyEvidenceFile = (options: {
  readonly directory: string
  readonly runId: string
  readonly keys: ReadonlyArray<KeyDescriptor>
  readonly events?: ReadonlyArray<RunEvent>
}): Effect.Effect<
  { readonly path: string; readonly verification: BundleVerification },
  EvidenceError,
  FileSystem.FileSystem
> =>
  Effect.map(readEvidenceBundle(options.directory, options.runId), (bundle) => ({
    path: bundlePath(options.directory, options.runId),
    verification: verifyEvidenceBundle({
      bundle,
      keys: options.keys,
      ...(options.events === undefined ? {} : { events: options.events })
    })
  }))

/** `gauntlet evidence export <run> --format json|md|html`: the verdict, the trace and every statement, rendered. */
export const exportEvidenceFile = (options: {
  readonly directory: string
  readonly runId: string
  readonly keys: ReadonlyArray<KeyDescriptor>
  readonly events?: ReadonlyArray<RunEvent>
  readonly format: ExportFormat
}): Effect.Effect<
  { readonly verification: BundleVerification; readonly text: string },
  EvidenceError,
  FileSystem.FileSystem
> =>
  Effect.map(readEvidenceBundle(options.directory, options.runId), (bundle) => {
    const verification = verifyEvidenceBundle({
      bundle,
      keys: options.keys,
      ...(options.events === undefined ? {} : { events: options.events })
    })
    return {
      verification,
      text: exportEvidence({ verification, statements: readBundleStatements(bundle) }, options.format)
    }
  })
