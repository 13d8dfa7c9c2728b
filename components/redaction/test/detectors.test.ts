import { describe, expect, it } from "@effect/vitest"
import { detectSecrets, type SecretType } from "../src/index.js"

// Fake credentials are assembled from pieces so that no scanner mistakes this file for a leak.
const A36 = "aB3dE5gH7jK9mN1pQ3sT5vW7yZ9bC1dE3fG5"
const B40 = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"
const positives: ReadonlyArray<readonly [SecretType, string, string]> = [
  ["aws-access-key", `key ${"AKIA"}IOSFODNN7EXAMPLE here`, `${"AKIA"}IOSFODNN7EXAMPLE`],
  ["aws-secret-key", `aws_secret_access_key = ${B40}`, B40],
  ["aws-secret-key", `AWS_SECRET_KEY: "${B40}"`, B40],
  ["github-token", `token ${"ghp_"}${A36} ok`, `${"ghp_"}${A36}`],
  ["github-token", `${"gho_"}${A36}`, `${"gho_"}${A36}`],
  ["github-token", `${"ghs_"}${A36}`, `${"ghs_"}${A36}`],
  [
    "github-token",
    `x ${"github_pat_"}11ABCDEFG0123456789_abcdefghijklmnopqrstuvwxyz`,
    `${"github_pat_"}11ABCDEFG0123456789_abcdefghijklmnopqrstuvwxyz`
  ],
  ["gitlab-token", `${"glpat-"}xY9zAbC1dEfGhIjK2lMn`, `${"glpat-"}xY9zAbC1dEfGhIjK2lMn`],
  [
    "slack-token",
    `${"xoxb-"}1234567890-0987654321-AbCdEfGhIjKl`,
    `${"xoxb-"}1234567890-0987654321-AbCdEfGhIjKl`
  ],
  [
    "slack-token",
    `${"https://hooks.slack.com/services/"}T0ABCDEF1/B0ABCDEF2/AbCdEfGhIjKlMnOpQrStUvWx`,
    `${"https://hooks.slack.com/services/"}T0ABCDEF1/B0ABCDEF2/AbCdEfGhIjKlMnOpQrStUvWx`
  ],
  [
    "gcp-api-key",
    `k=${"AIza"}SyA1bC2dE3fG4hI5jK6lM7nO8pQ9rS0tU_v`,
    `${"AIza"}SyA1bC2dE3fG4hI5jK6lM7nO8pQ9rS0tU_v`
  ],
  ["stripe-key", `${"sk_live_"}4eC39HqLyjWDarjtT1zdp7dc`, `${"sk_live_"}4eC39HqLyjWDarjtT1zdp7dc`],
  [
    "anthropic-key",
    `${"sk-ant-"}api03-AbCdEfGh1234IjKlMnOp5678QrStUvWx`,
    `${"sk-ant-"}api03-AbCdEfGh1234IjKlMnOp5678QrStUvWx`
  ],
  [
    "openai-key",
    `OPENAI ${"sk-"}proj-Ab1Cd2Ef3Gh4Ij5Kl6Mn7Op8Qr9St0Uv`,
    `${"sk-"}proj-Ab1Cd2Ef3Gh4Ij5Kl6Mn7Op8Qr9St0Uv`
  ],
  [
    "jwt",
    `Cookie: ${"eyJ"}hbGciOiJIUzI1NiJ9.${"eyJ"}zdWIiOiIxMjM0In0.dBjftJeZ4CVPmB92K27uhbUJU1p1r_wW1gFWFOEjXk`,
    `${"eyJ"}hbGciOiJIUzI1NiJ9.${"eyJ"}zdWIiOiIxMjM0In0.dBjftJeZ4CVPmB92K27uhbUJU1p1r_wW1gFWFOEjXk`
  ],
  ["bearer-token", "Authorization: Bearer abcdef0123456789ABCDEF.xyz", "abcdef0123456789ABCDEF.xyz"],
  ["generic-api-key", "api_key=s3cr3tValue!", "s3cr3tValue!"],
  ["generic-api-key", 'password: "hunter22"', "hunter22"],
  ["generic-api-key", '{"client_secret": "abc123def"}', "abc123def"],
  ["generic-api-key", "DB_PASSWORD=correct-horse", "correct-horse"],
  [
    "high-entropy",
    "blob Zx8Qw2Lp9Vt4Rn7Ks1Hg6Fd3Ja5Mb0Xc2Yv8Nu4Ei7Ow1",
    "Zx8Qw2Lp9Vt4Rn7Ks1Hg6Fd3Ja5Mb0Xc2Yv8Nu4Ei7Ow1"
  ],
  ["email", "mail jane.doe+x@example.co.uk now", "jane.doe+x@example.co.uk"],
  ["phone", "call +14155552671 today", "+14155552671"],
  ["phone", "call (415) 555-2671 today", "(415) 555-2671"],
  ["phone", "tel +44 20 7946 0958.", "+44 20 7946 0958"]
]

const privateKey = [
  `-----BEGIN ${"RSA PRIVATE"} KEY-----`,
  "MIIEowIBAAKCAQEA1c7+9Ws3e9w0lP8m5Gx3D3kQ",
  "b0xJk3T9bN2sVb6Zs7r1yq0p5n1R2nX7tGg4YxQ==",
  `-----END ${"RSA PRIVATE"} KEY-----`
].join("\n")

describe("detectSecrets: positives", () => {
  for (const [type, text, secret] of positives) {
    it(`${type}: ${text.slice(0, 40)}`, () => {
      const findings = detectSecrets(text)
      expect(findings.map((f) => f.type)).toEqual([type])
      const [f] = findings
      expect(text.slice(f!.start, f!.end)).toBe(secret)
    })
  }

  it("private-key: a whole PEM block, with line and column of its start", () => {
    const text = `config:\n  ${privateKey}\nrest`
    const findings = detectSecrets(text)
    expect(findings).toHaveLength(1)
    expect(findings[0]).toMatchObject({ type: "private-key", line: 2, column: 3 })
    expect(text.slice(findings[0]!.start, findings[0]!.end)).toBe(privateKey)
  })

  it("private-key: an unterminated block still hides its base64 body", () => {
    const text = `${privateKey.split("\n").slice(0, 3).join("\n")}\nand then prose`
    const [f] = detectSecrets(text)
    expect(f?.type).toBe("private-key")
    expect(text.slice(f!.end)).toBe("\nand then prose")
  })

  it("reports several findings in order with 1-based lines and columns", () => {
    const text = `a@b.io\n  ${"AKIA"}IOSFODNN7EXAMPLE`
    expect(detectSecrets(text)).toEqual([
      { type: "email", start: 0, end: 6, line: 1, column: 1 },
      { type: "aws-access-key", start: 9, end: 29, line: 2, column: 3 }
    ])
  })

  it("a specific detector wins over a general one on the same span", () => {
    const key = `${"sk-ant-"}api03-AbCdEfGh1234IjKlMnOp5678QrStUvWx`
    expect(detectSecrets(`ANTHROPIC_API_KEY=${key}`).map((f) => f.type)).toEqual(["anthropic-key"])
  })
})

const negatives: ReadonlyArray<string> = [
  "the quick brown fox jumps over the lazy dog",
  "sha256:ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad",
  "commit 4b825dc642cb6eb9a060e54bf8d69288fbee4904",
  "run 01936f3e-8a7b-7c3d-9e2f-123456789abc started",
  "const getUserAccountSettingsForAdministrator = () => 1",
  "components/evidence/src/internal/verifyEvidenceBundle.ts",
  `password = ${"$"}{DB_PASSWORD}`,
  'password: ""',
  "api_key=[REDACTED:generic-api-key]",
  "token: <your-token-here>",
  "date 2026-11-29T12:00:00.000Z and version 1.22.3",
  "timestamp 1732881600000 and id 123456789",
  "sk-learn-pipeline-configuration-for-the-model",
  "pk_live_" + "4eC39Hq is publishable",
  "AKIA is a prefix, not a key",
  "user@localhost is not an address with a domain",
  "ip 192.168.100.200 port 8080"
]

/** One near miss per detector: the shape is close, but it is not that secret. */
const nearMisses: ReadonlyArray<readonly [string, string]> = [
  ["private-key", `-----BEGIN ${"PUBLIC"} KEY-----\nMCowBQYDK2VwAyEA\n-----END ${"PUBLIC"} KEY-----`],
  ["jwt", "eyJhbGciOi.notapayload.sig"],
  ["aws-access-key", `${"AKIA"}IOSFODNN7EXAMP`],
  ["aws-secret-key", "aws_region = eu-west-1"],
  ["github-token", `${"ghp_"}tooShort123`],
  ["gitlab-token", `${"glpat-"}short`],
  ["slack-token", `${"xoxb-"}123`],
  ["gcp-api-key", `${"AIza"}TooShort_123`],
  ["stripe-key", `${"sk_live_"}short`],
  ["anthropic-key", `${"sk-ant-"}x`],
  ["openai-key", "sk-this-is-just-a-long-hyphenated-phrase"],
  ["bearer-token", "Bearer <token>"],
  ["generic-api-key", "token: abc"],
  ["email", "not-an-email@ and @handle"],
  ["phone", "order 12345 shipped 2026-11-29"],
  ["high-entropy", "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa1A"]
]

describe("detectSecrets: one near miss per detector", () => {
  for (const [type, text] of nearMisses) {
    it(`${type}: ${JSON.stringify(text.slice(0, 40))} is not flagged`, () => {
      expect(detectSecrets(text)).toEqual([])
    })
  }
})

describe("detectSecrets: negatives", () => {
  for (const text of negatives) {
    it(`nothing in: ${text.slice(0, 50)}`, () => {
      expect(detectSecrets(text)).toEqual([])
    })
  }
})

describe("linear time", () => {
  const adversarial = [
    "eyJ".repeat(40_000),
    "a".repeat(120_000),
    "-----BEGIN PRIVATE KEY-----\n".repeat(4_000),
    "password=".repeat(12_000),
    `${"a.".repeat(60_000)}@`,
    "1-".repeat(60_000),
    "Ab1+".repeat(30_000)
  ]
  for (const text of adversarial) {
    it(`scans ${text.length} adversarial characters (${JSON.stringify(text.slice(0, 12))}…) quickly`, () => {
      const started = performance.now()
      detectSecrets(text)
      expect(performance.now() - started).toBeLessThan(3_000)
    })
  }
})
