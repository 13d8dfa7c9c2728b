/**
 * High-entropy token detection. A candidate is a maximal run of base64/base64url characters
 * (`A-Z a-z 0-9 + / = _ -`) that is:
 * - at least `HIGH_ENTROPY_MIN_LENGTH` (32) and at most `HIGH_ENTROPY_MAX_LENGTH` (1024) characters long;
 * - not pure hexadecimal (with or without dashes): SHA digests, git commit ids and UUIDs are identifiers, not
 *   secrets, and evidence records are full of them;
 * - a mix of at least one digit, one lowercase and one uppercase letter;
 * - of Shannon entropy (bits per character, over the token's own character frequencies) at least
 *   `HIGH_ENTROPY_THRESHOLD_BITS` (4.2). Random base64 of 32+ characters measures 4.4–5.6; English identifiers,
 *   camelCase names and paths measure 3.0–4.0.
 */
export const HIGH_ENTROPY_MIN_LENGTH = 32
/** Longer runs are still scanned, but only their first 1024 characters are measured. */
export const HIGH_ENTROPY_MAX_LENGTH = 1024
/** Bits per character a candidate must reach. */
export const HIGH_ENTROPY_THRESHOLD_BITS = 4.2

/** Shannon entropy of a string in bits per character (0 for the empty string). */
export const shannonEntropy = (text: string): number => {
  if (text.length === 0) return 0
  const counts = new Map<string, number>()
  for (const ch of text) counts.set(ch, (counts.get(ch) ?? 0) + 1)
  let bits = 0
  const length = text.length
  for (const count of counts.values()) {
    const p = count / length
    bits -= p * Math.log2(p)
  }
  return bits
}

// A single character class with nothing after it: the engine never backtracks into the run.
const TOKEN = /(?<![A-Za-z0-9+/=_-])[A-Za-z0-9+/=_-]{32,}/g
const HEX_LIKE = /^[0-9a-fA-F-]+$/

/** `[start, end)` spans of high-entropy tokens in the text. */
export const highEntropySpans = (text: string): ReadonlyArray<readonly [number, number]> => {
  const spans: Array<readonly [number, number]> = []
  for (const match of text.matchAll(TOKEN)) {
    const token = match[0]
    const start = match.index
    const measured = token.slice(0, HIGH_ENTROPY_MAX_LENGTH)
    if (HEX_LIKE.test(measured)) continue
    if (!/[0-9]/.test(measured) || !/[a-z]/.test(measured) || !/[A-Z]/.test(measured)) continue
    if (shannonEntropy(measured) < HIGH_ENTROPY_THRESHOLD_BITS) continue
    spans.push([start, start + token.length])
  }
  return spans
}
