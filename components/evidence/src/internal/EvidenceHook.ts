import { FileSystem, type Path } from "@effect/platform"
import { EventLog } from "@gauntlet/event-stream"
import {
  type InvalidKey,
  type KeyFileError,
  loadOrCreateInstallationKey,
  type SigningKey
} from "@gauntlet/signing"
import { TerminalHook } from "@gauntlet/workflow"
import { Chunk, Context, Effect, Layer, Stream } from "effect"
import { buildEvidenceBundle } from "./bundle.js"
import { EvidenceError, type NoRunEvidence } from "./errors.js"
import type { EvidenceContext } from "./facts.js"
import { writeEvidenceBundle } from "./files.js"
import { DEFAULT_EVIDENCE_DIR } from "./predicates.js"

/** The key(s) evidence bundles are signed with. */
export class EvidenceKey extends Context.Tag("@gauntlet/evidence/EvidenceKey")<
  EvidenceKey,
  { readonly keys: ReadonlyArray<SigningKey> }
>() {
  /** Signs with the given key(s). */
  static readonly layer = (...keys: ReadonlyArray<SigningKey>): Layer.Layer<EvidenceKey> =>
    Layer.succeed(EvidenceKey, { keys })

  /**
   * Signs with a key loaded by an effect, e.g. the installation key (`loadOrCreateInstallationKey(dir)` of
   * `@gauntlet/signing`: created on first use with mode 0600, its public half written next to it).
   */
  static readonly layerEffect = <E, R>(
    load: Effect.Effect<SigningKey, E, R>
  ): Layer.Layer<EvidenceKey, E, R> =>
    Layer.effect(
      EvidenceKey,
      Effect.map(load, (key) => ({ keys: [key] }))
    )

  /**
   * The default: the installation key in `dir` (default `.gauntlet/keys`), created on first use with mode 0600 and
   * its public half written next to it as `installation.pub.json` for verifiers (`@gauntlet/signing`).
   */
  static readonly layerInstallation = (
    dir: string = DEFAULT_KEY_DIR
  ): Layer.Layer<EvidenceKey, KeyFileError | InvalidKey, FileSystem.FileSystem | Path.Path> =>
    EvidenceKey.layerEffect(Effect.map(loadOrCreateInstallationKey(dir), (installed) => installed.key))
}

/** Where the installation key lives unless told otherwise. */
export const DEFAULT_KEY_DIR = ".gauntlet/keys"

/** Options of the evidence terminal hook. */
export interface EvidenceHookOptions {
  /** Where bundles go (default `.gauntlet/evidence`). */
  readonly directory?: string
  /** Extra context for a run (packs, base commit, prompt templates, routing table, named artifacts, commits). */
  readonly context?: (runId: string) => Effect.Effect<EvidenceContext>
  /** Called with the bundle path after each write (for tests and the CLI's summary). */
  readonly onWritten?: (runId: string, path: string) => Effect.Effect<void>
}

/**
 * Writes `<directory>/<runId>.intoto.jsonl` for a run from its stored events: what the terminal hook does, also
 * usable on its own (`gauntlet evidence` for a run finished before the hook was installed).
 */
export const writeRunEvidence = (
  runId: string,
  options: EvidenceHookOptions = {}
): Effect.Effect<string, EvidenceError | NoRunEvidence, EventLog | EvidenceKey | FileSystem.FileSystem> =>
  Effect.gen(function* () {
    const log = yield* EventLog
    const { keys } = yield* EvidenceKey
    const events = yield* Stream.runCollect(log.read(runId)).pipe(
      Effect.map(Chunk.toReadonlyArray),
      Effect.mapError((e) => new EvidenceError({ runId, stage: "events", detail: e.message }))
    )
    const context = options.context === undefined ? {} : yield* options.context(runId)
    const bundle = yield* buildEvidenceBundle({ runId, events, keys, context })
    return yield* writeEvidenceBundle({
      directory: options.directory ?? DEFAULT_EVIDENCE_DIR,
      bundle,
      publicKeys: keys.map((k) => k.publicKey)
    })
  })

/** The `TerminalHook` that writes an evidence bundle on every terminal state of a run. */
export const EvidenceHook = {
  /**
   * A `TerminalHook` layer: on every terminal outcome (completed, failed — budget exhaustion and rejection
   * included — cancelled) it reads the run's events and writes its signed bundle. A failure to write is logged
   * with the run id and never fails the run (the engine's hook contract); `gauntlet evidence` can write it later.
   */
  layer: (
    options: EvidenceHookOptions = {}
  ): Layer.Layer<TerminalHook, never, EventLog | EvidenceKey | FileSystem.FileSystem> =>
    Layer.effect(
      TerminalHook,
      Effect.gen(function* () {
        const log = yield* EventLog
        const key = yield* EvidenceKey
        const fs = yield* FileSystem.FileSystem
        return {
          onTerminal: (outcome) =>
            writeRunEvidence(outcome.runId, options).pipe(
              Effect.tap((path) => options.onWritten?.(outcome.runId, path) ?? Effect.void),
              Effect.provideService(EventLog, log),
              Effect.provideService(EvidenceKey, key),
              Effect.provideService(FileSystem.FileSystem, fs),
              Effect.catchAll((error) =>
                Effect.logError(`evidence bundle for run ${outcome.runId} not written: ${error.message}`)
              ),
              Effect.asVoid
            )
        }
      })
    )
}
