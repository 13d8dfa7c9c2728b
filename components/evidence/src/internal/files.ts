import { FileSystem } from "@effect/platform"
import { type KeyDescriptor, keyIdOf } from "@gauntlet/signing"
import { Effect } from "effect"
import type { EvidenceBundle } from "./bundle.js"
import { EvidenceError } from "./errors.js"
import { BUNDLE_SUFFIX } from "./predicates.js"

/** `<directory>/<runId>.intoto.jsonl`. Run ids with path separators are refused (they would escape the directory). */
export const bundlePath = (directory: string, runId: string): string =>
  `${directory.replace(/\/+$/, "")}/${runId}${BUNDLE_SUFFIX}`

/** `<directory>/keys/<keyId>.pub.json`: the public key verifiers need, written next to the bundles. */
export const publicKeyPath = (directory: string, keyId: string): string =>
  `${directory.replace(/\/+$/, "")}/keys/${keyId}.pub.json`

const SAFE_RUN_ID = /^[A-Za-z0-9._:-]{1,200}$/

/**
 * Writes the bundle atomically (temporary file, then rename) to `<directory>/<runId>.intoto.jsonl`, and each
 * signer's public key descriptor to `<directory>/keys/<keyId>.pub.json`. Returns the bundle path.
 */
export const writeEvidenceBundle = (options: {
  readonly directory: string
  readonly bundle: EvidenceBundle
  readonly publicKeys: ReadonlyArray<KeyDescriptor>
}): Effect.Effect<string, EvidenceError, FileSystem.FileSystem> =>
  Effect.gen(function* () {
    const { bundle, directory } = options
    const runId = bundle.runId
    if (!SAFE_RUN_ID.test(runId) || runId === "." || runId === "..") {
      return yield* new EvidenceError({ runId, stage: "write", detail: "run id is not a safe file name" })
    }
    const fs = yield* FileSystem.FileSystem
    const path = bundlePath(directory, runId)
    const io = (detail: string, at: string) => (cause: unknown) =>
      new EvidenceError({ runId, stage: "write", path: at, detail: `${detail}: ${String(cause)}` })
    yield* fs
      .makeDirectory(`${directory}/keys`, { recursive: true })
      .pipe(Effect.mapError(io("mkdir", directory)))
    const temporary = `${path}.tmp-${Math.random().toString(36).slice(2)}`
    yield* fs.writeFileString(temporary, bundle.text).pipe(Effect.mapError(io("write", temporary)))
    yield* fs.rename(temporary, path).pipe(Effect.mapError(io("rename", path)))
    for (const key of options.publicKeys) {
      const keyPath = publicKeyPath(directory, keyIdOf(key))
      yield* fs
        .writeFileString(keyPath, `${JSON.stringify({ keyId: keyIdOf(key), ...key }, null, 2)}\n`)
        .pipe(Effect.mapError(io("write", keyPath)))
    }
    return path
  })

/** Reads a bundle's text. */
export const readEvidenceBundle = (
  directory: string,
  runId: string
): Effect.Effect<string, EvidenceError, FileSystem.FileSystem> =>
  Effect.flatMap(FileSystem.FileSystem, (fs) =>
    fs.readFileString(bundlePath(directory, runId)).pipe(
      Effect.mapError(
        (cause) =>
          new EvidenceError({
            runId,
            stage: "read",
            path: bundlePath(directory, runId),
            detail: String(cause)
          })
      )
    )
  )
