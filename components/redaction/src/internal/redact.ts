import { detectSecrets } from "./detect.js"
import { type Finding, type JsonFinding, placeholderFor } from "./finding.js"

const replaceFindings = (text: string, findings: ReadonlyArray<Finding>): string => {
  let out = ""
  let cursor = 0
  for (const finding of findings) {
    out += text.slice(cursor, finding.start) + placeholderFor(finding.type)
    cursor = finding.end
  }
  return out + text.slice(cursor)
}

/**
 * Replaces every finding with `[REDACTED:<type>]`. Findings are reported at their offsets in the ORIGINAL text.
 * Replacing can join two fragments into a new match (rare); the text is re-scanned until nothing is found, so the
 * result never contains a detectable secret and redacting it again returns it unchanged. This terminates because
 * each pass turns at least one non-placeholder character into a placeholder and placeholders are never matched.
 */
export const redactText = (
  text: string
): { readonly text: string; readonly findings: ReadonlyArray<Finding> } => {
  const findings = detectSecrets(text)
  if (findings.length === 0) return { text, findings }
  let current = replaceFindings(text, findings)
  for (;;) {
    const more = detectSecrets(current)
    if (more.length === 0) break
    current = replaceFindings(current, more)
  }
  return { text: current, findings }
}

const escapePointer = (segment: string): string => segment.replaceAll("~", "~0").replaceAll("/", "~1")

/** Keys whose string value is a secret by name alone (`{"password": "hunter2"}`), whatever the value looks like. */
const SECRET_KEY =
  /^(?:.*[_-])?(?:api[_-]?key|apikey|secret|secret[_-]?key|client[_-]?secret|access[_-]?token|auth[_-]?token|refresh[_-]?token|token|password|passwd|pwd|passphrase|private[_-]?key|authorization)$/i

const isPlaceholderValue = (value: string): boolean =>
  value.length === 0 || /^\[REDACTED:[a-z0-9-]{1,32}\]$/.test(value)

/**
 * Redacts every string inside a JSON value (object keys included) and returns a new value; the input is not
 * modified. A string under a secret-named key (`password`, `apiKey`, `client_secret`, `token`, …) is replaced
 * whole as `generic-api-key`. Each finding carries the RFC 6901 pointer of the string that held it.
 */
export const redactJson = (
  value: unknown
): { readonly value: unknown; readonly findings: ReadonlyArray<JsonFinding> } => {
  const findings: Array<JsonFinding> = []
  const walk = (node: unknown, pointer: string, key: string | undefined): unknown => {
    if (typeof node === "string") {
      if (key !== undefined && SECRET_KEY.test(key) && !isPlaceholderValue(node)) {
        findings.push({ type: "generic-api-key", start: 0, end: node.length, line: 1, column: 1, pointer })
        return placeholderFor("generic-api-key")
      }
      const result = redactText(node)
      for (const f of result.findings) findings.push({ ...f, pointer })
      return result.text
    }
    if (Array.isArray(node)) return node.map((item, i) => walk(item, `${pointer}/${i}`, undefined))
    if (node !== null && typeof node === "object") {
      const out: Record<string, unknown> = {}
      for (const [k, v] of Object.entries(node)) {
        const childPointer = `${pointer}/${escapePointer(k)}`
        const redactedKey = redactText(k)
        for (const f of redactedKey.findings) findings.push({ ...f, pointer: childPointer })
        out[redactedKey.text] = walk(v, childPointer, k)
      }
      return out
    }
    return node
  }
  return { value: walk(value, "", undefined), findings }
}

/**
 * Redacts the `payload` of an event draft (or any record with a payload) before it is appended to a log, keeping
 * every other field as it is. Returns the same object when nothing was found.
 */
export const redactDraft = <D extends { readonly payload: unknown }>(
  draft: D
): { readonly draft: D; readonly findings: ReadonlyArray<JsonFinding> } => {
  const { value, findings } = redactJson(draft.payload)
  if (findings.length === 0) return { draft, findings }
  return { draft: { ...draft, payload: value }, findings }
}
