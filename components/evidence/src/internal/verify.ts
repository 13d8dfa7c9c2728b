import { canonicalBytes, sha256Hex } from "@gauntlet/canonical"
import { type RunEvent, type StoredChainRow, sealEvent, verifyRows } from "@gauntlet/event-stream"
import {
  DsseEnvelope,
  decodeBase64,
  IN_TOTO_PAYLOAD_TYPE,
  type KeyDescriptor,
  keyIdOf,
  Statement,
  type TrustRoot,
  verifyEnvelopeSignatures,
  verifyWithRoot
} from "@gauntlet/signing"
import { Either, Schema } from "effect"
import { BUNDLE_INDEX_V1, GATE_RESULT_V1, RUN_SUBJECT_PREFIX, SLSA_PROVENANCE_V1 } from "./predicates.js"

/** Why a bundle does not verify (spec N6 "Verification"). */
export type BundleProblem =
  | "malformed"
  | "bad-signature"
  | "unknown-key"
  | "digest-mismatch"
  | "missing-statement"
  | "unexpected-statement"
  | "run-mismatch"
  | "anchor-mismatch"
  | "revoked-key"
  | "expired-key"
  | "threshold-not-met"
  | "root-expired"

/** The verdict: every statement, signature, digest and (with events) the chain anchor hold — or the first break. */
export type BundleVerification =
  | {
      readonly ok: true
      readonly runId: string
      readonly statements: number
      /** Trusted key ids that signed every statement. */
      readonly signers: ReadonlyArray<string>
      readonly anchor: { readonly firstHash: string; readonly lastHash: string; readonly count: number }
      /** True when the anchor was checked against a given event log. */
      readonly eventsChecked: boolean
    }
  | {
      readonly ok: false
      /** 0-based line (statement) index; the line count when a statement is missing at the end. */
      readonly index: number
      /** Where in the statement: `line`, `signatures[0]`, `payload`, `subject`, `predicate.statements[3]`, … */
      readonly field: string
      readonly reason: BundleProblem
      readonly detail: string
    }

/**
 * What to verify against: the bundle text; the trusted public keys, or a trust root (role `evidence` unless
 * `role` says otherwise: validity windows, revocations and thresholds apply at `now`); optionally the run's stored
 * events.
 */
export interface VerifyEvidenceInput {
  readonly bundle: string
  readonly keys?: ReadonlyArray<KeyDescriptor>
  readonly root?: { readonly root: TrustRoot; readonly now: Date | string | number; readonly role?: string }
  readonly events?: ReadonlyArray<RunEvent>
}

const decodeEnvelope = Schema.decodeUnknownEither(DsseEnvelope)
const decodeStatement = Schema.decodeUnknownEither(Statement)
const fail = (index: number, field: string, reason: BundleProblem, detail: string): BundleVerification => ({
  ok: false,
  index,
  field,
  reason,
  detail
})

interface IndexEntry {
  readonly index: number
  readonly predicateType: string
  readonly payloadDigest: string
}
interface Anchor {
  readonly firstHash: string
  readonly lastHash: string
  readonly count: number
}

const asRecord = (v: unknown): Record<string, unknown> | undefined =>
  v !== null && typeof v === "object" && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined

const readIndex = (
  predicate: unknown
): { entries: Array<IndexEntry>; anchor: Anchor; runId: string } | undefined => {
  const p = asRecord(predicate)
  const anchor = asRecord(p?.anchor)
  if (
    p === undefined ||
    anchor === undefined ||
    !Array.isArray(p.statements) ||
    typeof p.runId !== "string"
  ) {
    return undefined
  }
  if (
    typeof anchor.firstHash !== "string" ||
    typeof anchor.lastHash !== "string" ||
    typeof anchor.count !== "number"
  ) {
    return undefined
  }
  const entries: Array<IndexEntry> = []
  for (const e of p.statements) {
    const r = asRecord(e)
    if (
      typeof r?.index !== "number" ||
      typeof r.predicateType !== "string" ||
      typeof r.payloadDigest !== "string"
    ) {
      return undefined
    }
    entries.push({ index: r.index, predicateType: r.predicateType, payloadDigest: r.payloadDigest })
  }
  return {
    entries,
    runId: p.runId,
    anchor: { firstHash: anchor.firstHash, lastHash: anchor.lastHash, count: anchor.count }
  }
}

/** Checks the stored events: their own chain, then the anchor the bundle recorded. */
const checkEvents = (
  runId: string,
  events: ReadonlyArray<RunEvent>,
  anchor: Anchor,
  at: { index: number; field: string }
): BundleVerification | undefined => {
  const rows: Array<StoredChainRow> = []
  for (const e of events) {
    const { hash: _hash, ...unsealed } = e
    try {
      rows.push({ seq: e.seq, hash: e.hash, canonical: sealEvent(unsealed).canonical })
    } catch (cause) {
      return fail(
        at.index,
        at.field,
        "anchor-mismatch",
        `event seq ${e.seq} of the given log is not JSON: ${String(cause)}`
      )
    }
  }
  const chain = verifyRows(runId, rows)
  if (!chain.ok) {
    return fail(
      at.index,
      at.field,
      "anchor-mismatch",
      `event log of run ${runId} is broken at seq ${chain.brokenSeq} (${chain.reason}): ${chain.detail}`
    )
  }
  if (chain.count !== anchor.count) {
    return fail(
      at.index,
      `${at.field}.count`,
      "anchor-mismatch",
      `bundle anchors ${anchor.count} events, the log has ${chain.count}`
    )
  }
  if (chain.firstHash !== anchor.firstHash) {
    return fail(
      at.index,
      `${at.field}.firstHash`,
      "anchor-mismatch",
      `bundle anchors first hash ${anchor.firstHash}, the log has ${chain.firstHash}`
    )
  }
  if (chain.lastHash !== anchor.lastHash) {
    return fail(
      at.index,
      `${at.field}.lastHash`,
      "anchor-mismatch",
      `bundle anchors last hash ${anchor.lastHash}, the log has ${chain.lastHash}`
    )
  }
  return undefined
}

/**
 * Verifies a bundle offline (spec N6 "Verification"), in this order, stopping at the first break: each line is a
 * DSSE envelope (`malformed`) of an in-toto statement signed by a trusted key (`unknown-key`, `bad-signature`);
 * every statement names the same run subject (`run-mismatch`); the last statement is the index and lists every
 * other statement by payload digest and type, in order (`missing-statement`, `unexpected-statement`,
 * `digest-mismatch`); the provenance anchor equals the index anchor; with `events`: their hash chain holds and its
 * first hash, last hash and count equal the anchor, and there is one gate statement per gate event
 * (`anchor-mismatch`, `missing-statement`).
 */
export const verifyEvidenceBundle = (input: VerifyEvidenceInput): BundleVerification => {
  const trusted = new Map((input.keys ?? []).map((k) => [keyIdOf(k), k] as const))
  const lines = input.bundle.split("\n")
  if (lines[lines.length - 1] === "") lines.pop()
  if (lines.length === 0) return fail(0, "line", "missing-statement", "the bundle is empty")
  const statements: Array<Statement> = []
  const digests: Array<string> = []
  const signers = new Set<string>()
  for (const [i, line] of lines.entries()) {
    let json: unknown
    try {
      json = JSON.parse(line)
    } catch (cause) {
      return fail(i, "line", "malformed", `line ${i + 1} is not JSON: ${String(cause)}`)
    }
    const envelope = decodeEnvelope(json)
    if (Either.isLeft(envelope)) return fail(i, "line", "malformed", `line ${i + 1} is not a DSSE envelope`)
    const env = envelope.right
    if (env.payloadType !== IN_TOTO_PAYLOAD_TYPE) {
      return fail(
        i,
        "payloadType",
        "malformed",
        `expected ${IN_TOTO_PAYLOAD_TYPE}, got ${JSON.stringify(env.payloadType)}`
      )
    }
    if (env.signatures.length === 0) {
      return fail(i, "signatures", "bad-signature", "the envelope has no signature")
    }
    if (input.root !== undefined) {
      const verdict = verifyWithRoot({
        envelope: env,
        root: input.root.root,
        role: input.root.role ?? "evidence",
        now: input.root.now
      })
      if (!verdict.ok) {
        const reason =
          verdict.reason === "digest-mismatch" || verdict.reason === "rollback"
            ? "bad-signature"
            : verdict.reason
        return fail(i, "signatures", reason, verdict.detail)
      }
      for (const k of verdict.signers) signers.add(k)
    } else {
      const check = verifyEnvelopeSignatures(env, trusted)
      const problem = check.invalid[0]
      if (problem !== undefined) {
        const why =
          problem.reason === "unknown-key"
            ? `signature ${problem.index} (keyid ${problem.keyid}) verifies under no trusted key`
            : problem.reason === "bad-signature"
              ? `signature ${problem.index} does not verify under key ${problem.keyid}: payload or signature changed`
              : `signature ${problem.index} or the payload is not base64`
        return fail(i, `signatures[${problem.index}]`, problem.reason, why)
      }
      for (const k of check.valid) signers.add(k)
    }
    const body = decodeBase64(env.payload)
    if (body === undefined) return fail(i, "payload", "malformed", "the payload is not base64")
    let parsed: unknown
    try {
      parsed = JSON.parse(new TextDecoder("utf-8", { fatal: true }).decode(body))
    } catch (cause) {
      return fail(i, "payload", "malformed", `payload is not UTF-8 JSON: ${String(cause)}`)
    }
    const statement = decodeStatement(parsed)
    if (Either.isLeft(statement))
      return fail(i, "payload", "malformed", "payload is not an in-toto Statement v1")
    statements.push(statement.right)
    digests.push(`sha256:${sha256Hex(body)}`)
  }

  const runSubjectOf = (s: Statement) => s.subject.find((x) => x.name.startsWith(RUN_SUBJECT_PREFIX))
  const first = runSubjectOf(statements[0]!)
  if (first === undefined) return fail(0, "subject", "malformed", `no ${RUN_SUBJECT_PREFIX}<runId> subject`)
  const runId = first.name.slice(RUN_SUBJECT_PREFIX.length)
  for (const [i, s] of statements.entries()) {
    const subject = runSubjectOf(s)
    if (
      subject === undefined ||
      subject.name !== first.name ||
      subject.digest.sha256 !== first.digest.sha256
    ) {
      return fail(
        i,
        "subject",
        "run-mismatch",
        `statement ${i} is not about ${first.name} at the same chain head`
      )
    }
  }

  const last = statements.length - 1
  const indexStatement = statements[last]!
  if (indexStatement.predicateType !== BUNDLE_INDEX_V1) {
    return fail(
      statements.length,
      "predicateType",
      "missing-statement",
      "the index statement (last line) is missing"
    )
  }
  const index = readIndex(indexStatement.predicate)
  if (index === undefined)
    return fail(last, "predicate", "malformed", "the index predicate is not well formed")
  if (index.runId !== runId)
    return fail(
      last,
      "predicate.runId",
      "run-mismatch",
      `index names run ${index.runId}, subjects name ${runId}`
    )
  for (const entry of index.entries) {
    const j = entry.index
    if (j >= last) {
      return fail(
        j,
        "line",
        "missing-statement",
        `the index lists statement ${j} (${entry.predicateType}) but the bundle has ${last} before the index`
      )
    }
    if (digests[j] !== entry.payloadDigest) {
      const moved = digests.indexOf(entry.payloadDigest)
      if (moved >= 0) {
        return fail(
          j,
          "payload",
          "digest-mismatch",
          `statement ${j} is out of order: the index expects it at line ${j + 1}, found at line ${moved + 1}`
        )
      }
      const shifted = index.entries[j + 1]?.payloadDigest === digests[j]
      return shifted
        ? fail(
            j,
            "line",
            "missing-statement",
            `statement ${j} (${entry.predicateType}, ${entry.payloadDigest}) listed by the index is not in the bundle`
          )
        : fail(
            j,
            "payload",
            "digest-mismatch",
            `the index lists ${entry.predicateType} with ${entry.payloadDigest} at ${j}; line ${j + 1} has ${statements[j]!.predicateType} with ${digests[j]}`
          )
    }
  }
  if (index.entries.length !== last) {
    return fail(
      index.entries.length,
      "line",
      "unexpected-statement",
      `the bundle has ${last} statements before the index, the index lists ${index.entries.length}`
    )
  }
  const provenance = statements.findIndex((s) => s.predicateType === SLSA_PROVENANCE_V1)
  if (provenance < 0) return fail(0, "predicateType", "missing-statement", "no SLSA provenance statement")
  const byproduct = asRecord(
    (
      asRecord(asRecord(statements[provenance]!.predicate)?.runDetails)?.byproducts as
        | Array<unknown>
        | undefined
    )?.[0]
  )
  const annotations = asRecord(byproduct?.annotations)
  if (
    annotations?.firstHash !== index.anchor.firstHash ||
    annotations?.lastHash !== index.anchor.lastHash ||
    annotations?.count !== index.anchor.count
  ) {
    return fail(
      provenance,
      "predicate.runDetails.byproducts[0]",
      "anchor-mismatch",
      "the provenance anchor differs from the index anchor"
    )
  }
  if (input.events !== undefined) {
    const broken = checkEvents(runId, input.events, index.anchor, {
      index: provenance,
      field: "predicate.runDetails.byproducts[0].annotations"
    })
    if (broken !== undefined) return broken
    const gateEvents = input.events.filter((e) => e.type === "gate/passed" || e.type === "gate/failed").length
    const gateStatements = statements.filter((s) => s.predicateType === GATE_RESULT_V1).length
    if (gateEvents !== gateStatements) {
      return fail(
        provenance + 1 + gateStatements,
        "predicateType",
        "missing-statement",
        `the log has ${gateEvents} gate evaluations, the bundle ${gateStatements} gate statements`
      )
    }
  }
  return {
    ok: true,
    runId,
    statements: statements.length,
    signers: [...signers],
    anchor: index.anchor,
    eventsChecked: input.events !== undefined
  }
}

/** The statements of a bundle's text, without verifying anything (for queries on a bundle already verified). */
export const readBundleStatements = (bundle: string): ReadonlyArray<Statement> =>
  bundle
    .split("\n")
    .filter((l) => l.length > 0)
    .flatMap((line) => {
      try {
        const env = decodeEnvelope(JSON.parse(line))
        if (Either.isLeft(env)) return []
        const body = decodeBase64(env.right.payload)
        if (body === undefined) return []
        const s = decodeStatement(JSON.parse(new TextDecoder().decode(body)))
        return Either.isRight(s) ? [s.right] : []
      } catch {
        return []
      }
    })

/** The payload digest of a statement as the index records it. */
export const statementDigest = (statement: Statement): string =>
  `sha256:${sha256Hex(canonicalBytes(statement))}`
