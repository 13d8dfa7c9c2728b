/**
 * Message normalisation for fingerprints (spec N1-R12): everything that changes from run to run is replaced by a
 * placeholder, so the same failure met again normalises to the same text. The steps run in this order:
 *  1. ANSI colour escapes are removed; stack-frame lines (a line break, indentation, `at …`) are dropped;
 *  2. temporary directories and their first segment → `<tmp>`: `/tmp/x`, `/var/tmp/x`, `/dev/shm/x`,
 *     `/var/folders/../../T/x` (also under `/private`), `C:\Users\u\AppData\Local\Temp\x` (before ids and
 *     times, so a temp directory named by a UUID or a timestamp goes whole);
 *  3. home directories → `~`: `/home/u`, `/Users/u`, `/root`, `C:\Users\u`;
 *  4. UUIDs → `<uuid>`;
 *  5. timestamps → `<time>`: ISO 8601 date-times and dates, HTTP dates, JavaScript `Date#toString` output;
 *  6. quoted tokens (no blank inside) that contain a digit → `<id>`, keeping the quotes;
 *  7. hex words of one letter case → `<hex>`: at least 7 hex digits mixing letters and digits (short git ids,
 *     digests), or at least 32 hex digits of any kind; so `deadbeef` (no digit) stays a word;
 *  8. numbers → `<n>`, also inside words, dotted runs included (`12.5`, `1.2.3`, `127.0.0.1`);
 *  9. runs of white space → one space; leading and trailing space removed.
 * The sequence is repeated until the text no longer changes.
 */

const ANSI = new RegExp(`${String.fromCharCode(27)}\\[[0-9;?]*[ -/]*[@-~]`, "g")
const STACK_FRAME = /\r?\n[ \t]+at [^\n]*/g
const UUID = /\b[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}\b/g
const DAY = "(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun)"
const MONTH = "(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)"
const TIMESTAMPS: ReadonlyArray<RegExp> = [
  /\b\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2}(?:[.,]\d+)?)?(?:Z|[+-]\d{2}(?::?\d{2})?)?)?\b/g,
  new RegExp(`\\b${DAY}, \\d{1,2} ${MONTH} \\d{4} \\d{2}:\\d{2}:\\d{2} (?:GMT|UTC|[+-]\\d{4})`, "g"),
  new RegExp(
    `\\b${DAY} ${MONTH} \\d{1,2} \\d{4} \\d{2}:\\d{2}:\\d{2}(?: (?:GMT|UTC)(?:[+-]\\d{4})?(?: \\([^)]*\\))?)?`,
    "g"
  )
]
const SEGMENT = "[^\\s/\\\\'\"`:;,)\\]}<>]+"
/** A path starts the text or follows a character that cannot end a word or a host name. */
const START = "(?<![\\w.~-])"
const TEMP_DIRS: ReadonlyArray<RegExp> = [
  new RegExp(`${START}(?:/private)?/var/folders/${SEGMENT}/${SEGMENT}/T/${SEGMENT}`, "g"),
  new RegExp(`${START}/(?:tmp|var/tmp|dev/shm)/${SEGMENT}`, "g"),
  new RegExp(`\\b[A-Za-z]:\\\\Users\\\\${SEGMENT}\\\\AppData\\\\Local\\\\Temp\\\\${SEGMENT}`, "g")
]
const HOME_DIRS: ReadonlyArray<RegExp> = [
  new RegExp(`${START}/(?:home|Users)/${SEGMENT}`, "g"),
  new RegExp(`${START}/root(?![\\w.-])`, "g"),
  new RegExp(`\\b[A-Za-z]:\\\\Users\\\\${SEGMENT}`, "g")
]
const QUOTED_ID = /(["'`])([^\s"'`]*\d[^\s"'`]*)\1/g
const HEX =
  /\b(?:(?=[0-9a-f]*[a-f])(?=[0-9a-f]*\d)[0-9a-f]{7,}|(?=[0-9A-F]*[A-F])(?=[0-9A-F]*\d)[0-9A-F]{7,}|[0-9a-f]{32,}|[0-9A-F]{32,})\b/g
const NUMBER = /\d+(?:\.\d+)*/g

const normalizeOnce = (message: string): string => {
  let text = message.replace(ANSI, "").replace(STACK_FRAME, "")
  for (const pattern of TEMP_DIRS) text = text.replace(pattern, "<tmp>")
  for (const pattern of HOME_DIRS) text = text.replace(pattern, "~")
  text = text.replace(UUID, "<uuid>")
  for (const pattern of TIMESTAMPS) text = text.replace(pattern, "<time>")
  return text
    .replace(QUOTED_ID, "$1<id>$1")
    .replace(HEX, "<hex>")
    .replace(NUMBER, "<n>")
    .replace(/\s+/g, " ")
    .trim()
}

/**
 * Replaces run-specific parts of a failure message with placeholders (ids, hashes, times, temp paths, numbers). The
 * steps are repeated until the text no longer changes — a placeholder can expose a path that a digit hid — so the
 * result is idempotent. Every repeated pass after the first shortens the text or leaves it alone, so this ends.
 */
export const normalizeMessage = (message: string): string => {
  let text = normalizeOnce(message)
  for (let next = normalizeOnce(text); next !== text; next = normalizeOnce(text)) text = next
  return text
}

/**
 * Normalises a failure location (a file path, `file:line:col`, a phase or task id) like a message, with backslashes
 * turned into slashes; repeated until stable, since a slash can expose a path (`\\tmp\\x` → `/tmp/x` → `<tmp>`).
 */
export const normalizeLocation = (location: string): string => {
  const once = (text: string) => normalizeMessage(text).replace(/\\/g, "/")
  let text = once(location)
  for (let next = once(text); next !== text; next = once(text)) text = next
  return text
}
