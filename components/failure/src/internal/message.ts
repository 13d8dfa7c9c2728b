import type { FailureClass } from "./classes.js"
import { type Classification, classified } from "./classification.js"

interface MessageRule {
  readonly rule: string
  readonly failureClass: FailureClass
  readonly pattern: RegExp
  readonly terminal?: boolean
}

/**
 * The message rules, tried in order; the first match decides. The order is part of the contract: contention before
 * time-outs ("lock wait timeout" is contention), rate limits before quotas, integrity and exhaustion before network.
 */
export const MESSAGE_RULES: ReadonlyArray<MessageRule> = [
  {
    rule: "message.rate-limit",
    failureClass: "external",
    pattern: /\brate[ _-]?limit(?:ed)?\b|too many requests/i
  },
  {
    rule: "message.contention",
    failureClass: "concurrency",
    pattern:
      /SQLITE_BUSY|SQLITE_LOCKED|database (?:table )?is locked|deadlock|merge conflict|CONFLICT \(|could not serialize access|serialization failure|lock wait timeout|could not obtain lock|unable to create '[^']*\.lock'|\bEBUSY\b|(?:seq|version|write) conflict|optimistic (?:lock|concurrency)|modified concurrently/i
  },
  {
    rule: "message.integrity",
    failureClass: "data-integrity",
    pattern:
      /SQLITE_CORRUPT|SQLITE_NOTADB|file is not a database|database disk image is malformed|(?:hash|checksum|digest|signature)s? (?:mismatch|do(?:es)? not match)|integrity check failed|\bEINTEGRITY\b|chain (?:is )?broken|schema violation|stale (?:context|snapshot|read)/i
  },
  {
    rule: "message.exhausted",
    failureClass: "resource",
    pattern:
      /\bENOSPC\b|no space left on device|\bENOMEM\b|out of memory|allocation failed|\bE[MN]FILE\b|too many open files|SQLITE_FULL|budget (?:is )?(?:exhausted|exceeded)|insufficient[_ ]quota|quota exceeded|exceeded your (?:current )?quota|maximum context length|context[_ ]length[_ ]exceeded|max(?:imum)?[_ ]tokens? (?:reached|exceeded)/i
  },
  {
    rule: "message.timeout",
    failureClass: "timeout",
    pattern: /\bE(?:SOCKET)?TIMEDOUT\b|timed ?out|\btimeout\b|deadline exceeded/i
  },
  {
    rule: "message.network",
    failureClass: "external",
    pattern:
      /\bECONNREFUSED\b|\bENOTFOUND\b|\bECONNRESET\b|\bECONNABORTED\b|\bEAI_AGAIN\b|\bEHOSTUNREACH\b|\bENETUNREACH\b|\bENETDOWN\b|socket hang up|fetch failed|network error|connection (?:error|refused|reset|closed)|service unavailable|bad gateway|overloaded|temporarily unavailable/i
  },
  {
    rule: "message.policy",
    failureClass: "policy",
    pattern:
      /polic(?:y|ies) (?:violation|denied|rejected)|(?:denied|blocked|forbidden|rejected) by (?:a )?polic|gate (?:failed|denied|rejected)|approval required|capability denied/i
  },
  {
    rule: "message.not-runnable",
    failureClass: "tool-error",
    pattern:
      /command not found|spawn \S+ ENOENT|not executable|\bEACCES\b|\bEPERM\b|permission denied|operation not permitted/i,
    terminal: true
  },
  {
    rule: "message.not-found",
    failureClass: "tool-error",
    pattern: /\bENOENT\b|no such file or directory/i,
    terminal: true
  },
  {
    rule: "message.broken-pipe",
    failureClass: "tool-error",
    pattern: /\bEPIPE\b|broken pipe/i
  },
  {
    rule: "message.check-failed",
    failureClass: "task-code",
    pattern:
      /AssertionError|assertion failed|\btests? failed|\d+ failing\b|\berror TS\d+|compilation failed|build failed|lint(?:ing)? failed/i
  },
  {
    rule: "message.agent-output",
    failureClass: "agent-error",
    pattern:
      /(?:model|agent|llm|assistant) (?:output|response) (?:is )?(?:invalid|malformed)|(?:invalid|malformed) (?:model|agent|llm|assistant) (?:output|response)|invalid tool call|hallucinat/i
  }
]

/**
 * Classifies free text — an error message, a `code` such as `ECONNREFUSED`, a tool's stderr line (spec N1-R10).
 * Unmatched text is `unknown` (rule `message.unmatched`).
 */
export const classifyMessage = (text: string): Classification => {
  for (const entry of MESSAGE_RULES) {
    if (entry.pattern.test(text)) {
      return classified(entry.failureClass, entry.rule, entry.terminal === true ? { terminal: true } : {})
    }
  }
  return classified("unknown", "message.unmatched")
}
