import type { GoldenAdapter } from "@gauntlet/conformance"
import type { RunEvent } from "@gauntlet/event-stream"
import {
  buildEvidenceBundle,
  type EvidenceContext,
  readBundleStatements,
  verifyEvidenceBundle
} from "@gauntlet/evidence"
import { KeyDescriptor, signingKeyFromSeedHex } from "@gauntlet/signing"
import { Effect, ParseResult, Schema } from "effect"

/**
 * Golden adapter for area `evidence` (spec N6). The input's `op` names the operation:
 * - `build` `{ runId, events, seedHex, context? }`: builds and signs the bundle of a run from its stored events with
 *   the Ed25519 key of that RFC 8032 seed, then verifies it against the key's public half and the events. Output:
 *   `{ bundle: [<one JSON line per statement>], predicateTypes, verification }` (Ed25519 is deterministic, so the
 *   lines are exact).
 * - `verify` `{ bundle: [<lines>], keys: [<KeyDescriptor>], events? }`: `verifyEvidenceBundle` of the lines (joined
 *   with `\n`) → `{ ok: true, … }` or the first break `{ ok: false, index, field, reason, detail }`.
 * A malformed case input fails the case with `InvalidEvidenceCase` naming what is wrong.
 */

class InvalidEvidenceCase extends Schema.TaggedError<InvalidEvidenceCase>()("InvalidEvidenceCase", {
  detail: Schema.String
}) {
  override get message() {
    return `invalid golden input for area evidence: ${this.detail}`
  }
}

const Events = Schema.Array(Schema.Record({ key: Schema.String, value: Schema.Unknown }))
const EvidenceCase = Schema.Union(
  Schema.Struct({
    op: Schema.Literal("build"),
    runId: Schema.String,
    events: Events,
    seedHex: Schema.String,
    context: Schema.optional(Schema.Record({ key: Schema.String, value: Schema.Unknown }))
  }),
  Schema.Struct({
    op: Schema.Literal("verify"),
    bundle: Schema.Array(Schema.String),
    keys: Schema.Array(KeyDescriptor),
    events: Schema.optional(Events)
  })
)

const joinLines = (lines: ReadonlyArray<string>) => lines.map((l) => `${l}\n`).join("")

const run = (input: unknown): Effect.Effect<unknown, InvalidEvidenceCase> =>
  Effect.gen(function* () {
    const c = yield* Schema.decodeUnknown(EvidenceCase)(input).pipe(
      Effect.mapError(
        (e) => new InvalidEvidenceCase({ detail: ParseResult.TreeFormatter.formatErrorSync(e) })
      )
    )
    if (c.op === "verify") {
      return verifyEvidenceBundle({
        bundle: joinLines(c.bundle),
        keys: c.keys,
        ...(c.events === undefined ? {} : { events: c.events as unknown as ReadonlyArray<RunEvent> })
      })
    }
    const key = yield* signingKeyFromSeedHex(c.seedHex).pipe(
      Effect.mapError((e) => new InvalidEvidenceCase({ detail: e.message }))
    )
    const events = c.events as unknown as ReadonlyArray<RunEvent>
    const bundle = yield* buildEvidenceBundle({
      runId: c.runId,
      events,
      keys: [key],
      context: (c.context ?? {}) as EvidenceContext
    }).pipe(Effect.catchAll((e) => Effect.succeed({ error: e._tag, detail: e.message } as const)))
    if ("error" in bundle) return { error: bundle.error }
    return {
      bundle: bundle.text.split("\n").filter((l) => l.length > 0),
      predicateTypes: readBundleStatements(bundle.text).map((s) => s.predicateType),
      verification: verifyEvidenceBundle({ bundle: bundle.text, keys: [key.publicKey], events })
    }
  })

/** The `evidence` area: building, signing and verifying evidence bundles, and every tampering case. */
export const adapter: GoldenAdapter = { area: "evidence", run }
