import type { SecretType } from "./finding.js"

/**
 * A pattern detector. Every quantifier in every pattern is either bounded (`{m,n}`) or applied to a single
 * character class with nothing after it that could force backtracking into it, so one scan costs O(n·k) with a
 * small constant k (at most a few thousand steps per start position) — no nested unbounded repetition, no
 * catastrophic backtracking. When the pattern has a named group `secret`, only that group is the finding
 * (`password=<secret>` keeps `password=`); otherwise the whole match is.
 */
export interface PatternDetector {
  readonly type: SecretType
  readonly pattern: RegExp
  /** Optional extra check on the matched secret text (drops look-alikes such as `${ENV_VAR}`). */
  readonly accept?: (secret: string) => boolean
}

const hasDigit = (s: string): boolean => /[0-9]/.test(s)
const hasLetter = (s: string): boolean => /[A-Za-z]/.test(s)

/** Values that only look like secrets in assignments: empty, placeholders, variable references, masks. */
const isPlaceholderValue = (value: string): boolean =>
  value.startsWith("[REDACTED:") ||
  value.startsWith("${") ||
  value.startsWith("$(") ||
  value.startsWith("{{") ||
  value.startsWith("<") ||
  /^\$[A-Z_][A-Z0-9_]*$/.test(value) ||
  /^process\.env\./.test(value) ||
  /^\*+$/.test(value) ||
  /^x+$/i.test(value) ||
  /^(?:null|none|undefined|true|false|changeme|redacted|example|placeholder)$/i.test(value)

/** Character classes shared by several patterns. */
const B64URL = "A-Za-z0-9_-"

/**
 * The detectors in priority order: when two findings overlap, the one from the earlier detector wins (so a
 * specific type such as `anthropic-key` beats the general `openai-key`, and everything beats `high-entropy`).
 */
export const PATTERN_DETECTORS: ReadonlyArray<PatternDetector> = [
  {
    // PEM private key blocks (RSA, EC, DSA, OPENSSH, ENCRYPTED, PKCS#8). An unterminated block still hides its
    // header and the base64 lines that follow it.
    type: "private-key",
    pattern:
      /-----BEGIN [A-Z0-9 ]{0,40}PRIVATE KEY(?: BLOCK)?-----(?:[\s\S]{0,16384}?-----END [A-Z0-9 ]{0,40}PRIVATE KEY(?: BLOCK)?-----|(?:\r?\n[A-Za-z0-9+/=]{16,128}){0,256})/g
  },
  {
    // JSON Web Tokens: base64url header and payload that both start with `{"` (eyJ), optional signature.
    type: "jwt",
    pattern: new RegExp(
      `(?<![${B64URL}])eyJ[${B64URL}]{6,4096}\\.eyJ[${B64URL}]{2,8192}\\.[${B64URL}]{0,4096}(?![${B64URL}])`,
      "g"
    )
  },
  {
    type: "aws-access-key",
    pattern: /(?<![A-Za-z0-9])(?:AKIA|ASIA|ABIA|ACCA|A3T[A-Z0-9])[A-Z0-9]{16}(?![A-Za-z0-9])/g
  },
  {
    // The 40-character secret access key only next to an AWS-looking name: on its own it is just base64.
    type: "aws-secret-key",
    pattern:
      /aws[ _.-]{0,2}(?:secret[ _.-]{0,2})?(?:access[ _.-]{0,2})?key(?:[ _.-]{0,2}id)?["']?\s{0,4}(?:[:=]|=>)\s{0,4}["']?(?<secret>[A-Za-z0-9/+=]{40})(?![A-Za-z0-9/+=])/dgi,
    accept: (s) => hasDigit(s) && hasLetter(s)
  },
  {
    // Classic and fine-grained GitHub tokens: ghp_ (personal), gho_ (OAuth), ghu_/ghs_ (app), ghr_ (refresh).
    type: "github-token",
    pattern:
      /(?<![A-Za-z0-9_])(?:gh[pousr]_[A-Za-z0-9]{36,255}|github_pat_[A-Za-z0-9_]{22,255})(?![A-Za-z0-9_])/g
  },
  {
    // GitLab personal, deploy, pipeline-trigger, runner and CI build tokens.
    type: "gitlab-token",
    pattern:
      /(?<![A-Za-z0-9_-])(?:glpat|gldt|glptt|glrt|glcbt|glsoat|gloas)-[A-Za-z0-9_-]{20,64}(?![A-Za-z0-9_-])/g
  },
  {
    // Slack bot/user/app/refresh tokens and incoming-webhook URLs.
    type: "slack-token",
    pattern:
      /(?<![A-Za-z0-9_-])xox[abposre]-[A-Za-z0-9-]{10,250}(?![A-Za-z0-9-])|https:\/\/hooks\.slack\.com\/services\/T[A-Z0-9]{6,12}\/B[A-Z0-9]{6,12}\/[A-Za-z0-9]{20,32}/g
  },
  {
    type: "gcp-api-key",
    pattern: /(?<![A-Za-z0-9_-])AIza[0-9A-Za-z_-]{35}(?![0-9A-Za-z_-])/g
  },
  {
    // Stripe secret and restricted keys (publishable `pk_` keys are public by design and not flagged).
    type: "stripe-key",
    pattern: /(?<![A-Za-z0-9_])(?:sk|rk)_(?:live|test)_[0-9A-Za-z]{16,247}(?![0-9A-Za-z])/g
  },
  {
    type: "anthropic-key",
    pattern: /(?<![A-Za-z0-9_-])sk-ant-[A-Za-z0-9_-]{20,200}(?![A-Za-z0-9_-])/g
  },
  {
    // OpenAI keys: legacy `sk-<48>`, project/service-account/admin keys. Must mix letters and digits so that
    // prose such as "sk-learn-pipeline-configuration" is not flagged.
    type: "openai-key",
    pattern: /(?<![A-Za-z0-9_-])sk-(?:proj-|svcacct-|admin-|None-)?[A-Za-z0-9_-]{20,200}(?![A-Za-z0-9_-])/g,
    accept: (s) => hasDigit(s) && /[A-Z]/.test(s) && /[a-z]/.test(s)
  },
  {
    type: "bearer-token",
    pattern: /\bbearer[ \t]{1,4}(?<secret>[A-Za-z0-9._~+/-]{16,4096}={0,2})(?![A-Za-z0-9._~+/=-])/dgi,
    accept: (s) => !isPlaceholderValue(s)
  },
  {
    // Assignments to secret-looking names: `api_key=…`, `password: "…"`, `"client_secret": "…"`, `TOKEN=…`.
    type: "generic-api-key",
    pattern:
      /(?<![A-Za-z0-9])(?:[A-Za-z0-9]{1,32}[_-])?(?:api[_-]?key|apikey|secret[_-]?key|secret|access[_-]?token|auth[_-]?token|token|password|passwd|pwd|passphrase|client[_-]?secret|private[_-]?key)["']?[ \t]{0,4}(?:[:=]|=>|:=)[ \t]{0,4}["'`]?(?<secret>[^\s"'`,;]{6,256})/dgi,
    accept: (s) => !isPlaceholderValue(s)
  },
  {
    type: "email",
    pattern:
      /(?<![A-Za-z0-9._%+-])[A-Za-z0-9._%+-]{1,64}@[A-Za-z0-9-]{1,63}(?:\.[A-Za-z0-9-]{1,63}){0,8}\.[A-Za-z]{2,24}(?![A-Za-z0-9-])/g
  },
  {
    // International numbers in E.164 form and North-American numbers with separators; not bare digit runs
    // (timestamps, ids), not dates (2026-11-29), not versions with fewer digits.
    type: "phone",
    pattern:
      /(?<![\w+.-])(?:\+[1-9][0-9]{7,14}|\+[1-9][0-9]{0,2}[ .-][0-9]{2,4}(?:[ .-][0-9]{2,4}){1,4}|\(?[2-9][0-9]{2}\)?[ .-][2-9][0-9]{2}[ .-][0-9]{4})(?![\w.-]?[0-9])/g
  }
]
