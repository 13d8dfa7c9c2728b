import { join } from "node:path"
import type { FileSystem } from "@effect/platform"
import { EventLog } from "@gauntlet/event-stream"
import { EvidenceHook, EvidenceKey, readEvidenceBundle, verifyEvidenceBundle } from "@gauntlet/evidence"
import { INSTALLATION_KEY_FILES } from "@gauntlet/signing"
import { Chunk, Effect, Layer, Option, Ref, Stream } from "effect"
import { evidenceDirOf, keyDirOf } from "../governance/paths.js"
import { readTrustedKey } from "../governance/verifierKey.js"

/** What a command that drove a run to a terminal state says about its evidence bundle. */
export interface EvidenceNote {
  /** One human line: the bundle path and whether it verifies. */
  readonly line: string
  /** The same for `--json`: `{ path, ok, statements?, signers?, reason?, detail? }`. */
  readonly json: Readonly<Record<string, unknown>>
}

/**
 * The evidence of the runs a command drives: `layer`, the `TerminalHook` that writes
 * `<state dir>/evidence/<run>.intoto.jsonl` on every terminal state, signed with the installation key
 * `<state dir>/keys/installation.key` (created on first use, mode 0600); and `note`: once the command's run
 * stopped, the bundle's path and its verification against the installation public key and the run's stored events
 * (`undefined` when no bundle was written, i.e. the run is not terminal).
 */
export const runEvidence = (dbPath: string) =>
  Effect.gen(function* () {
    const written = yield* Ref.make(Option.none<{ readonly runId: string; readonly path: string }>())
    const directory = evidenceDirOf(dbPath)
    const keyDir = keyDirOf(dbPath)
    const layer = EvidenceHook.layer({
      directory,
      onWritten: (runId, path) => Ref.set(written, Option.some({ runId, path }))
    }).pipe(Layer.provide(EvidenceKey.layerInstallation(keyDir)))
    const verify = (runId: string, path: string) =>
      Effect.gen(function* () {
        const bundle = yield* readEvidenceBundle(directory, runId)
        const key = yield* readTrustedKey(join(keyDir, INSTALLATION_KEY_FILES.publicKey))
        const events = Chunk.toReadonlyArray(yield* Stream.runCollect((yield* EventLog).read(runId)))
        const v = verifyEvidenceBundle({ bundle, keys: [key], events })
        const note: EvidenceNote = v.ok
          ? {
              line: `evidence: ${path} (verifies: ${v.statements} statements signed by ${v.signers.join(", ")}, anchored to ${v.anchor.count} events)`,
              json: { path, ok: true, statements: v.statements, signers: v.signers }
            }
          : {
              line: `evidence: ${path} DOES NOT VERIFY: statement ${v.index}, ${v.field} (${v.reason}): ${v.detail}`,
              json: { path, ok: false, reason: v.reason, detail: v.detail }
            }
        return note
      }).pipe(
        Effect.catchAll((error) =>
          Effect.succeed<EvidenceNote>({
            line: `evidence: ${path} not verified: ${error.message}`,
            json: { path, ok: false, reason: "unreadable", detail: error.message }
          })
        )
      )
    const note: Effect.Effect<EvidenceNote | undefined, never, EventLog | FileSystem.FileSystem> =
      Effect.flatMap(
        Ref.get(written),
        Option.match({
          onNone: () => Effect.succeed(undefined),
          onSome: ({ runId, path }) => verify(runId, path)
        })
      )
    return { layer, note }
  })
