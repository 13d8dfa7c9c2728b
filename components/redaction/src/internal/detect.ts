import { PATTERN_DETECTORS } from "./detectors.js"
import { highEntropySpans } from "./entropy.js"
import { type Finding, PLACEHOLDER_PATTERN, type SecretType } from "./finding.js"

interface Candidate {
  readonly type: SecretType
  readonly start: number
  readonly end: number
  readonly priority: number
}

const placeholderSpans = (text: string): ReadonlyArray<readonly [number, number]> =>
  Array.from(text.matchAll(PLACEHOLDER_PATTERN), (m) => [m.index, m.index + m[0].length] as const)

const overlaps = (a: readonly [number, number], start: number, end: number): boolean =>
  a[0] < end && start < a[1]

const candidatesOf = (text: string): Array<Candidate> => {
  const found: Array<Candidate> = []
  PATTERN_DETECTORS.forEach((detector, priority) => {
    detector.pattern.lastIndex = 0
    for (const match of text.matchAll(detector.pattern)) {
      const group = match.indices?.groups?.secret
      const [start, end] = group ?? [match.index, match.index + match[0].length]
      const secret = text.slice(start, end)
      if (end <= start) continue
      if (detector.accept !== undefined && !detector.accept(secret)) continue
      found.push({ type: detector.type, start, end, priority })
    }
  })
  for (const [start, end] of highEntropySpans(text)) {
    found.push({ type: "high-entropy", start, end, priority: PATTERN_DETECTORS.length })
  }
  return found
}

/** 1-based line and column of every offset, computed in one pass over the text. */
const positionsOf = (text: string, offsets: ReadonlyArray<number>) => {
  const sorted = [...new Set(offsets)].sort((a, b) => a - b)
  const result = new Map<number, { line: number; column: number }>()
  let line = 1
  let lineStart = 0
  let i = 0
  for (const offset of sorted) {
    for (; i < offset; i++) {
      if (text.charCodeAt(i) === 10) {
        line++
        lineStart = i + 1
      }
    }
    result.set(offset, { line, column: offset - lineStart + 1 })
  }
  return result
}

/**
 * All secrets and personal data in a text, sorted by position and never overlapping: when two detectors
 * match overlapping spans, the higher-priority detector wins (then the earlier, then the longer span).
 * Text already replaced by a `[REDACTED:<type>]` placeholder is never reported again.
 */
export const detectSecrets = (text: string): ReadonlyArray<Finding> => {
  const placeholders = placeholderSpans(text)
  const candidates = candidatesOf(text)
    .filter((c) => !placeholders.some((p) => overlaps(p, c.start, c.end)))
    .sort((a, b) => a.priority - b.priority || a.start - b.start || b.end - a.end)
  const chosen: Array<Candidate> = []
  for (const candidate of candidates) {
    if (chosen.some((c) => overlaps([c.start, c.end], candidate.start, candidate.end))) continue
    chosen.push(candidate)
  }
  chosen.sort((a, b) => a.start - b.start)
  const positions = positionsOf(
    text,
    chosen.map((c) => c.start)
  )
  return chosen.map((c) => {
    const at = positions.get(c.start) ?? { line: 1, column: c.start + 1 }
    return { type: c.type, start: c.start, end: c.end, line: at.line, column: at.column }
  })
}
