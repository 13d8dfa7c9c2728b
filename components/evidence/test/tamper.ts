/** Ways to tamper with a bundle or its event log, for the verification tests and the golden cases. */
import type { RunEvent } from "@gauntlet/event-stream"

const lines = (text: string) => text.split("\n").filter((l) => l.length > 0)
const join = (ls: ReadonlyArray<string>) => ls.map((l) => `${l}\n`).join("")

/** Changes one byte of the decoded payload of statement `index` (the first digit becomes another digit). */
export const changePayloadByte = (bundle: string, index: number): string => {
  const ls = lines(bundle)
  const envelope = JSON.parse(ls[index]!) as { payload: string }
  const body = Buffer.from(envelope.payload, "base64")
  const at = body.findIndex((b) => b >= 0x30 && b <= 0x39)
  body[at] = body[at] === 0x39 ? 0x30 : body[at]! + 1
  ls[index] = JSON.stringify({ ...envelope, payload: body.toString("base64") })
  return join(ls)
}

/** Removes statement `index`. */
export const removeStatement = (bundle: string, index: number): string =>
  join(lines(bundle).filter((_, i) => i !== index))

/** Swaps statements `i` and `j`. */
export const swapStatements = (bundle: string, i: number, j: number): string => {
  const ls = lines(bundle)
  const a = ls[i]!
  ls[i] = ls[j]!
  ls[j] = a
  return join(ls)
}

/** Swaps events at positions `i` and `j` (as a reordering of stored rows would). */
export const reorderEvents = (
  events: ReadonlyArray<RunEvent>,
  i: number,
  j: number
): ReadonlyArray<RunEvent> => {
  const out = [...events]
  const a = out[i]!
  out[i] = out[j]!
  out[j] = a
  return out
}
