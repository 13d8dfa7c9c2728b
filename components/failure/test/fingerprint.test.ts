import { describe, expect, it } from "@effect/vitest"
import {
  FAILURE_CLASSES,
  type FailureClass,
  fingerprintOf,
  isFailureClass,
  normalizeLocation,
  normalizeMessage
} from "@gauntlet/failure"
import fc from "fast-check"

/** Fragments that the normalisation steps react to, for adversarial idempotence checks. */
const piece = fc.constantFrom(
  ..."/tmp/|/var/tmp/|/home/|/Users/|/root|a1b2c3d4|ABCDEF1|deadbeef|'|\"|`|2026-11-29|T11:24:46Z| |\n|\n  at x|12|.|5|:|~|-|_|x|<n>|<tmp>|C:\\Users\\|\\|AppData\\Local\\Temp\\|f|0".split(
    "|"
  ),
  "0193a7b2-1c2d-7e3f-8a9b-0c1d2e3f4a5b",
  "\u001b[31m",
  "Sun, 29 Nov 2026 11:24:46 GMT"
)

describe("normalizeMessage", () => {
  it.each([
    ["run 0193a7b2-1c2d-7e3f-8a9b-0c1d2e3f4a5b failed", "run <uuid> failed"],
    ["at 2026-11-29T11:24:46.123Z and 2026-11-29 11:24:46+01:00", "at <time> and <time>"],
    ["on 2026-11-29 only", "on <time> only"],
    ["expires Sun, 29 Nov 2026 11:24:46 GMT", "expires <time>"],
    ["at Sun Nov 29 2026 11:24:46 GMT+0000 (Coordinated Universal Time)", "at <time>"],
    ["open /tmp/vitest-Ab12/src/a.ts", "open <tmp>/src/a.ts"],
    ["open /tmp/0193a7b2-1c2d-7e3f-8a9b-0c1d2e3f4a5b/repo/a.ts", "open <tmp>/repo/a.ts"],
    ["open /private/var/folders/x1/abc_def/T/tmp-42/f.json", "open <tmp>/f.json"],
    ["open /var/tmp/gauntlet.kq2/state.db", "open <tmp>/state.db"],
    ["open C:\\Users\\bob\\AppData\\Local\\Temp\\g-1\\x.txt", "open <tmp>\\x.txt"],
    ["cannot read /home/alice/project/a.ts", "cannot read ~/project/a.ts"],
    ["cannot read /Users/alice/project/a.ts or /root/.npmrc", "cannot read ~/project/a.ts or ~/.npmrc"],
    ["see https://example.com/home/page", "see https://example.com/home/page"],
    ["commit 3fa9c2e1 differs from 3FA9C2E1B", "commit <hex> differs from <hex>"],
    ["digest sha256:9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08", "digest sha<n>:<hex>"],
    ["deadbeef and defaced stay words", "deadbeef and defaced stay words"],
    ["task 'k7Gh2xQ' and \"run-12\" but 'lodash'", "task '<id>' and \"<id>\" but 'lodash'"],
    ["took 300ms after 3 retries (12.5%)", "took <n>ms after <n> retries (<n>%)"],
    ["\u001b[31mFAIL\u001b[0m  src/a.test.ts", "FAIL src/a.test.ts"],
    ["Error: boom\n    at run (/app/x.js:1:2)\n    at main (/app/y.js:3:4)", "Error: boom"],
    ["  spaced\t\tout  \n text ", "spaced out text"]
  ])("%j → %j", (input, expected) => {
    expect(normalizeMessage(input)).toBe(expected)
  })

  it("normalises locations with forward slashes", () => {
    expect(normalizeLocation("C:\\Users\\bob\\repo\\src\\a.ts:12:5")).toBe("~/repo/src/a.ts:<n>:<n>")
    expect(normalizeLocation("/tmp/w-9/src/a.ts:3")).toBe("<tmp>/src/a.ts:<n>")
  })

  it("is idempotent on arbitrary text", () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 80 }), (text) => {
        const once = normalizeMessage(text)
        expect(normalizeMessage(once)).toBe(once)
      })
    )
  })

  it("is idempotent on text built from the pieces the steps look for", () => {
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 30 }), (pieces) => {
        const text = pieces.join("")
        const once = normalizeMessage(text)
        expect(normalizeMessage(once)).toBe(once)
        const location = normalizeLocation(text)
        expect(normalizeLocation(location)).toBe(location)
      }),
      { numRuns: 2000 }
    )
  })

  it("repeats its steps until stable: a placeholder can expose a path", () => {
    expect(normalizeMessage("f2026-11-29/tmp/~")).toBe("f<n>-<n>-<n><tmp>")
    expect(normalizeLocation("\\tmp\\x\\a.ts")).toBe("<tmp>/a.ts")
  })
})

const classArb = fc.constantFrom(...FAILURE_CLASSES)
const word = fc.stringMatching(/^[a-z]{3,10}$/)
const words = fc.array(word, { minLength: 1, maxLength: 6 }).map((ws) => ws.join(" "))
const segment = fc.stringMatching(/^[A-Za-z0-9._-]{1,12}$/).filter((s) => s !== "." && s !== "..")
const uuid = fc.uuid()
const hexId = fc
  .tuple(
    fc.stringMatching(/^[0-9a-f]{5,38}$/),
    fc.constantFrom(..."abcdef"),
    fc.constantFrom(..."0123456789")
  )
  .map(([body, letter, digit]) => `${letter}${body}${digit}`)
const isoTime = fc
  .date({ min: new Date("2000-01-01T00:00:00Z"), max: new Date("2099-12-31T23:59:59Z"), noInvalidDate: true })
  .map((date) => date.toISOString())
const number = fc.nat({ max: 1_000_000_000 })
const tempPath = fc
  .tuple(segment, fc.constantFrom("/tmp/", "/var/tmp/"))
  .map(([seg, root]) => `${root}${seg}`)
const quotedId = fc.stringMatching(/^[A-Za-z]{1,6}[0-9][A-Za-z0-9]{0,8}$/).map((id) => `'${id}'`)

/** A message template with five run-specific slots. */
const template = (stem: string, v: readonly [string, string, string, number, string, string]) =>
  `${stem}: run ${v[0]} at ${v[2]} commit ${v[1]} took ${v[3]}ms in ${v[4]}/src/a.ts for ${v[5]}`

const variables = fc.tuple(uuid, hexId, isoTime, number, tempPath, quotedId)

describe("fingerprintOf", () => {
  it("is a sha256 digest", () => {
    expect(fingerprintOf({ failureClass: "timeout", message: "x" })).toMatch(/^sha256:[0-9a-f]{64}$/)
  })

  it("is unchanged when ids, hashes, timestamps, numbers and temp paths change", () => {
    fc.assert(
      fc.property(classArb, words, variables, variables, (failureClass, stem, a, b) => {
        const first = fingerprintOf({
          failureClass,
          message: template(stem, a),
          location: `${a[4]}/src/a.ts:${a[3]}`
        })
        const second = fingerprintOf({
          failureClass,
          message: template(stem, b),
          location: `${b[4]}/src/a.ts:${b[3]}`
        })
        expect(second).toBe(first)
      })
    )
  })

  it("differs when the class differs", () => {
    fc.assert(
      fc.property(classArb, classArb, words, (a, b, message) => {
        fc.pre(a !== b)
        expect(fingerprintOf({ failureClass: a, message })).not.toBe(
          fingerprintOf({ failureClass: b, message })
        )
      })
    )
  })

  it("differs when the message's words differ", () => {
    fc.assert(
      fc.property(classArb, words, words, variables, (failureClass, a, b, v) => {
        fc.pre(a.replace(/\s+/g, " ") !== b.replace(/\s+/g, " "))
        expect(fingerprintOf({ failureClass, message: template(a, v) })).not.toBe(
          fingerprintOf({ failureClass, message: template(b, v) })
        )
      })
    )
  })

  it("differs when the location differs, and ignores run-specific parts of it", () => {
    const failureClass: FailureClass = "task-code"
    const message = "expected 2 to equal 3"
    expect(isFailureClass(failureClass)).toBe(true)
    expect(fingerprintOf({ failureClass, message, location: "src/a.ts" })).not.toBe(
      fingerprintOf({ failureClass, message, location: "src/b.ts" })
    )
    expect(fingerprintOf({ failureClass, message })).not.toBe(
      fingerprintOf({ failureClass, message, location: "x" })
    )
    expect(fingerprintOf({ failureClass, message, location: "/tmp/a1/src/a.ts:10" })).toBe(
      fingerprintOf({ failureClass, message, location: "/tmp/zz9/src/a.ts:42" })
    )
  })

  it("is stable across runs (pinned value)", () => {
    expect(fingerprintOf({ failureClass: "external", message: "connect ECONNREFUSED 127.0.0.1:5432" })).toBe(
      fingerprintOf({ failureClass: "external", message: "connect ECONNREFUSED 10.1.2.3:6543" })
    )
  })
})
