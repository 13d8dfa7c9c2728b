import type { ChainBreak, ChainVerification, StoredChainRow } from "./chain.js"
import { eventDigest } from "./chain.js"

/** Feeds stored rows one by one (in seq order) and reports the first break; streams, never holds the run. */
export interface ChainVerifier {
  /** Checks the next row; returns false once the chain is broken (further rows are ignored). */
  readonly push: (row: StoredChainRow) => boolean
  /** The verdict for the rows pushed so far. */
  readonly result: () => ChainVerification
}

const decoder = new TextDecoder()

/**
 * Reads `prevHash` and `seq` from RFC 8785 text without a full parse. In canonical form the top-level keys are
 * sorted (`…,"payload":{…},"prevHash":…,"runId":…,"seq":…,"time":…,"type":…}`) and string contents escape `"`,
 * so the LAST `,"prevHash":` is the envelope's own.
 */
const readLinks = (text: string): { prevHash: string | null; seq: number; runIdJson: string } | undefined => {
  const p = text.lastIndexOf(',"prevHash":')
  if (p < 0) return undefined
  const valueStart = p + 12
  let prevHash: string | null
  let after: number
  if (text.startsWith("null", valueStart)) {
    prevHash = null
    after = valueStart + 4
  } else if (text.charCodeAt(valueStart) === 34) {
    const end = text.indexOf('"', valueStart + 1)
    if (end < 0) return undefined
    prevHash = text.slice(valueStart + 1, end)
    after = end + 1
  } else return undefined
  if (!text.startsWith(',"runId":', after)) return undefined
  const s = text.indexOf(',"seq":', after + 9)
  if (s < 0) return undefined
  const runIdJson = text.slice(after + 9, s)
  const seqEnd = text.indexOf(",", s + 7)
  if (seqEnd < 0) return undefined
  const seq = Number(text.slice(s + 7, seqEnd))
  if (!Number.isSafeInteger(seq)) return undefined
  return { prevHash, seq, runIdJson }
}

/** A streaming verifier for one run's chain starting at seq 1 (N3 hash-chain rule). */
export const makeChainVerifier = (runId: string): ChainVerifier => {
  const runIdJson = JSON.stringify(runId)
  let count = 0
  let expectedSeq = 1
  let prev: string | null = null
  let first: string | null = null
  let broken: { seq: number; reason: ChainBreak; detail: string } | undefined

  const fail = (seq: number, reason: ChainBreak, detail: string) => {
    broken = { seq, reason, detail }
    return false
  }

  const push = (row: StoredChainRow): boolean => {
    if (broken) return false
    if (row.seq !== expectedSeq) {
      return fail(expectedSeq, "seq-gap", `expected seq ${expectedSeq}, found seq ${row.seq}`)
    }
    const text = typeof row.canonical === "string" ? row.canonical : decoder.decode(row.canonical)
    const actual = eventDigest(text)
    if (actual !== row.hash) {
      return fail(row.seq, "hash-mismatch", `stored hash ${row.hash} but the stored bytes hash to ${actual}`)
    }
    const links = readLinks(text)
    if (!links) return fail(row.seq, "malformed", "stored bytes are not a canonical event envelope")
    if (links.runIdJson !== runIdJson) {
      return fail(row.seq, "malformed", `event belongs to run ${links.runIdJson}, not ${runIdJson}`)
    }
    if (links.seq !== row.seq) {
      return fail(row.seq, "seq-gap", `row at seq ${row.seq} carries seq ${links.seq} in its signed bytes`)
    }
    if (links.prevHash !== prev) {
      return fail(row.seq, "prev-mismatch", `prevHash ${links.prevHash} does not match previous hash ${prev}`)
    }
    if (first === null) first = row.hash
    prev = row.hash
    count += 1
    expectedSeq += 1
    return true
  }

  const result = (): ChainVerification =>
    broken
      ? { ok: false, runId, count, brokenSeq: broken.seq, reason: broken.reason, detail: broken.detail }
      : { ok: true, runId, count, firstHash: first, lastHash: prev, lastSeq: expectedSeq - 1 }

  return { push, result }
}

/** Verifies a whole run held in memory (tests, small runs). */
export const verifyRows = (runId: string, rows: Iterable<StoredChainRow>): ChainVerification => {
  const verifier = makeChainVerifier(runId)
  for (const row of rows) if (!verifier.push(row)) break
  return verifier.result()
}
