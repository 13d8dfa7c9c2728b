import type { RunEvent } from "@gauntlet/event-stream"
import { type DsseEnvelope, type SigningKey, signStatement } from "@gauntlet/signing"
import { Effect } from "effect"
import { EvidenceError, NoRunEvidence } from "./errors.js"
import { type EvidenceContext, factsOf } from "./facts.js"
import { statementsOf } from "./statements.js"

/** A signed bundle: one DSSE envelope per statement, and its JSON Lines text (one envelope per line, `\n` after each). */
export interface EvidenceBundle {
  readonly runId: string
  readonly envelopes: ReadonlyArray<DsseEnvelope>
  readonly text: string
}

/** What a bundle is built from: the run's events (seq order), extra context and the signing key(s). */
export interface BuildEvidenceInput {
  readonly runId: string
  readonly events: ReadonlyArray<RunEvent>
  readonly keys: ReadonlyArray<SigningKey>
  readonly context?: EvidenceContext
}

/** The JSON Lines text of envelopes. */
export const bundleText = (envelopes: ReadonlyArray<DsseEnvelope>): string =>
  envelopes.map((e) => `${JSON.stringify(e)}\n`).join("")

/**
 * Builds and signs a run's bundle (spec N6 "Bundle format"): pure but for the signature; the same events, context
 * and key give the same bytes (Ed25519 is deterministic).
 */
export const buildEvidenceBundle = (
  input: BuildEvidenceInput
): Effect.Effect<EvidenceBundle, NoRunEvidence | EvidenceError> =>
  Effect.gen(function* () {
    if (input.events.length === 0) return yield* new NoRunEvidence({ runId: input.runId })
    if (input.keys.length === 0) {
      return yield* new EvidenceError({ runId: input.runId, stage: "key", detail: "no signing key given" })
    }
    const statements = statementsOf(factsOf(input.runId, input.events), input.context ?? {})
    const envelopes = yield* Effect.forEach(statements, (s) => signStatement(s, input.keys)).pipe(
      Effect.mapError((e) => new EvidenceError({ runId: input.runId, stage: "sign", detail: e.message }))
    )
    return { runId: input.runId, envelopes, text: bundleText(envelopes) }
  })
