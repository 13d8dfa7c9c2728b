import { describe, expect, it } from "@effect/vitest"
import { classifyMessage, dispositionOf, type FailureClass, MESSAGE_RULES } from "@gauntlet/failure"

describe("classifyMessage", () => {
  it.each<[string, FailureClass, string]>([
    ["connect ECONNREFUSED 127.0.0.1:5432", "external", "message.network"],
    ["getaddrinfo ENOTFOUND api.example.com", "external", "message.network"],
    ["read ECONNRESET", "external", "message.network"],
    ["getaddrinfo EAI_AGAIN registry.npmjs.org", "external", "message.network"],
    ["TypeError: fetch failed", "external", "message.network"],
    ["socket hang up", "external", "message.network"],
    ["529 Overloaded", "external", "message.network"],
    ["Rate limit reached for gpt-4o in organization org-x", "external", "message.rate-limit"],
    ["429 Too Many Requests", "external", "message.rate-limit"],
    ["connect ETIMEDOUT 10.0.0.1:443", "timeout", "message.timeout"],
    ["Request timed out.", "timeout", "message.timeout"],
    ["context deadline exceeded", "timeout", "message.timeout"],
    ["SQLITE_BUSY: database is locked", "concurrency", "message.contention"],
    ["deadlock detected", "concurrency", "message.contention"],
    ["Lock wait timeout exceeded; try restarting transaction", "concurrency", "message.contention"],
    ["CONFLICT (content): Merge conflict in src/a.ts", "concurrency", "message.contention"],
    ["could not serialize access due to concurrent update", "concurrency", "message.contention"],
    ["fatal: Unable to create '/repo/.git/index.lock': File exists.", "concurrency", "message.contention"],
    ["sha256 hash mismatch for artifact", "data-integrity", "message.integrity"],
    ["checksum mismatch in pack", "data-integrity", "message.integrity"],
    ["digest does not match the statement subject", "data-integrity", "message.integrity"],
    ["SQLITE_NOTADB: file is not a database", "data-integrity", "message.integrity"],
    ["database disk image is malformed", "data-integrity", "message.integrity"],
    ["npm error code EINTEGRITY", "data-integrity", "message.integrity"],
    ["ENOSPC: no space left on device, write", "resource", "message.exhausted"],
    [
      "FATAL ERROR: Reached heap limit Allocation failed - JavaScript heap out of memory",
      "resource",
      "message.exhausted"
    ],
    ["EMFILE: too many open files", "resource", "message.exhausted"],
    ["token budget exhausted for run", "resource", "message.exhausted"],
    ["You exceeded your current quota (insufficient_quota)", "resource", "message.exhausted"],
    ["This model's maximum context length is 128000 tokens", "resource", "message.exhausted"],
    ["blocked by policy no-secrets", "policy", "message.policy"],
    ["policy violation: writes to .github/ are not allowed", "policy", "message.policy"],
    ["approval required for release", "policy", "message.policy"],
    ["sh: 1: pnpm: command not found", "tool-error", "message.not-runnable"],
    ["spawn rg ENOENT", "tool-error", "message.not-runnable"],
    ["EACCES: permission denied, open '/etc/shadow'", "tool-error", "message.not-runnable"],
    ["ENOENT: no such file or directory, open 'x.json'", "tool-error", "message.not-found"],
    ["write EPIPE", "tool-error", "message.broken-pipe"],
    ["AssertionError: expected 2 to equal 3", "task-code", "message.check-failed"],
    ["Tests failed: 3 failing", "task-code", "message.check-failed"],
    ["src/a.ts(3,7): error TS2322: Type 'string' is not assignable", "task-code", "message.check-failed"],
    ["model output is malformed: expected a JSON object", "agent-error", "message.agent-output"],
    ["invalid tool call: unknown tool 'rm_rf'", "agent-error", "message.agent-output"],
    ["something odd happened", "unknown", "message.unmatched"],
    ["", "unknown", "message.unmatched"]
  ])("%s → %s", (text, failureClass, rule) => {
    const result = classifyMessage(text)
    expect(result.failureClass).toBe(failureClass)
    expect(result.rule).toBe(rule)
  })

  it("makes not-runnable and not-found terminal even though tool-error is retryable", () => {
    expect(dispositionOf("tool-error")).toBe("retryable")
    expect(classifyMessage("spawn rg ENOENT").disposition).toBe("terminal")
    expect(classifyMessage("write EPIPE").disposition).toBe("retryable")
  })

  it("has unique rule ids", () => {
    const ids = MESSAGE_RULES.map((entry) => entry.rule)
    expect(new Set(ids).size).toBe(ids.length)
  })
})
