import { describe, expect, it } from "@effect/vitest"
import fc from "fast-check"
import { detectSecrets, redactDraft, redactJson, redactText, shannonEntropy } from "../src/index.js"

const GH = `${"ghp_"}aB3dE5gH7jK9mN1pQ3sT5vW7yZ9bC1dE3fG5`
const samples = [
  GH,
  `${"AKIA"}IOSFODNN7EXAMPLE`,
  `${"sk-ant-"}api03-AbCdEfGh1234IjKlMnOp5678QrStUvWx`,
  `${"xoxb-"}1234567890-0987654321-AbCdEfGhIjKl`,
  `${"AIza"}SyA1bC2dE3fG4hI5jK6lM7nO8pQ9rS0tU_v`,
  `${"eyJ"}hbGciOiJIUzI1NiJ9.${"eyJ"}zdWIiOiIxMjM0In0.sig_nature-1`,
  "password=hunter22",
  "api_key: s3cr3tValue",
  "jane.doe@example.com",
  "+14155552671",
  "(415) 555-2671",
  "Zx8Qw2Lp9Vt4Rn7Ks1Hg6Fd3Ja5Mb0Xc2Yv8Nu4Ei7Ow1",
  `-----BEGIN ${"PRIVATE"} KEY-----\nMIIEowIBAAKCAQEA1c7+9Ws3e9w0lP8m5Gx3D3kQ\n-----END ${"PRIVATE"} KEY-----`
]
const words = ["the", "run", "failed", "token", "key", "=", ":", "sk-", "@", "+1", "eyJ", "Bearer", "a1B2"]
const separators = [" ", "\n", "", "\t", ", ", '"', "=", "/", "."]

const fragment = fc.oneof(
  fc.constantFrom(...samples),
  fc.constantFrom(...words),
  fc.constantFrom(...separators)
)
const text = fc.oneof(
  fc.array(fragment, { maxLength: 24 }).map((parts) => parts.join("")),
  fc.string({ maxLength: 200 }),
  fc.string({ unit: "grapheme-ascii", maxLength: 200 })
)

describe("redactText", () => {
  it("replaces each finding with its placeholder and reports original offsets", () => {
    const input = `use ${GH} or mail ops@example.org`
    const result = redactText(input)
    expect(result.text).toBe("use [REDACTED:github-token] or mail [REDACTED:email]")
    expect(result.findings.map((f) => input.slice(f.start, f.end))).toEqual([GH, "ops@example.org"])
  })

  it("leaves clean text untouched", () => {
    expect(redactText("nothing to see")).toEqual({ text: "nothing to see", findings: [] })
  })

  it("property: the result has no finding left (every finding is removed)", () => {
    fc.assert(
      fc.property(text, (t) => {
        expect(detectSecrets(redactText(t).text)).toEqual([])
      }),
      { numRuns: 400 }
    )
  })

  it("property: redaction is idempotent", () => {
    fc.assert(
      fc.property(text, (t) => {
        const once = redactText(t).text
        expect(redactText(once)).toEqual({ text: once, findings: [] })
      }),
      { numRuns: 400 }
    )
  })

  it("property: findings are sorted, non-overlapping and inside the text; the secret text is gone", () => {
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...samples), { minLength: 1, maxLength: 6 }), (secrets) => {
        const input = secrets.join(" | ")
        const { text: out, findings } = redactText(input)
        let previous = 0
        for (const f of findings) {
          expect(f.start).toBeGreaterThanOrEqual(previous)
          expect(f.end).toBeGreaterThan(f.start)
          expect(f.end).toBeLessThanOrEqual(input.length)
          previous = f.end
        }
        for (const s of secrets) expect(out.includes(s)).toBe(false)
      }),
      { numRuns: 200 }
    )
  })
})

describe("redactJson", () => {
  it("redacts nested strings and keys, secret-named values whole, with pointers; input untouched", () => {
    const input = { user: { email: "a@b.io", password: "pw" }, notes: [`token ${GH}`], "x/y": 3 }
    const { value, findings } = redactJson(input)
    expect(value).toEqual({
      user: { email: "[REDACTED:email]", password: "[REDACTED:generic-api-key]" },
      notes: ["token [REDACTED:github-token]"],
      "x/y": 3
    })
    expect(findings.map((f) => [f.pointer, f.type])).toEqual([
      ["/user/email", "email"],
      ["/user/password", "generic-api-key"],
      ["/notes/0", "github-token"]
    ])
    expect(input.user.password).toBe("pw")
  })

  it("property: redacting a JSON value twice changes nothing the second time", () => {
    fc.assert(
      fc.property(fc.json({ maxDepth: 3 }), fc.constantFrom(...samples), (json, secret) => {
        const value = { data: JSON.parse(json) as unknown, secret: `x ${secret}` }
        const once = redactJson(value)
        expect(JSON.stringify(once.value)).not.toContain(secret)
        const twice = redactJson(once.value)
        expect(twice).toEqual({ value: once.value, findings: [] })
      }),
      { numRuns: 200 }
    )
  })
})

describe("redactDraft", () => {
  it("redacts only the payload and returns the same object when clean", () => {
    const draft = { type: "agent/output", actor: "a@b.io", payload: { text: "mail a@b.io" } }
    const { draft: out, findings } = redactDraft(draft)
    expect(out).toEqual({ type: "agent/output", actor: "a@b.io", payload: { text: "mail [REDACTED:email]" } })
    expect(findings).toHaveLength(1)
    const clean = { type: "x", payload: { n: 1 } }
    expect(redactDraft(clean).draft).toBe(clean)
  })
})

describe("shannonEntropy", () => {
  it("is 0 for one symbol, 1 for two equiprobable symbols, log2(n) for n distinct", () => {
    expect(shannonEntropy("")).toBe(0)
    expect(shannonEntropy("aaaa")).toBe(0)
    expect(shannonEntropy("abab")).toBe(1)
    expect(shannonEntropy("abcdefgh")).toBe(3)
  })
})
