import { type ChildProcess, spawn } from "node:child_process"
import { createInterface } from "node:readline"
import { classifyExit, classifyUnknown } from "@gauntlet/failure"
import { Effect } from "effect"
import { backendOf, type CommandOptions } from "./backends.js"
import { type AgentCliBackendId, AgentCliError } from "./errors.js"
import type { ParsedRun } from "./parsed.js"
import type { AgentCliResult, CostSource } from "./result.js"
import { type AgentCliBudget, budgetBreachOf, costOf, type TokenPricing } from "./usage.js"

/**
 * One run of an agent CLI. The prompt goes to the process's stdin; `env` is merged over this process's environment
 * (the CLIs read their own keys: `ANTHROPIC_API_KEY` for Claude Code, `OPENAI_API_KEY`/`CODEX_API_KEY` for Codex);
 * `budget` caps tokens and cost (a cost cap needs `pricing` to be checked while the run streams); `timeoutMs` caps
 * wall time; `killGraceMs` is how long a stopped process group has between SIGTERM and SIGKILL (default 2 s).
 */
export interface AgentCliRequest extends CommandOptions {
  readonly backend: AgentCliBackendId
  readonly prompt: string
  readonly cwd?: string
  readonly executable?: string
  readonly env?: Readonly<Record<string, string>>
  readonly budget?: AgentCliBudget
  readonly pricing?: TokenPricing
  readonly timeoutMs?: number
  readonly killGraceMs?: number
}

const STDERR_TAIL = 4096
const DEFAULT_GRACE_MS = 2000
const EXIT_DRAIN_MS = 500
const SUBTYPES_OF_EXHAUSTION = new Set(["error_max_turns", "error_max_budget_usd"])

const costNow = (
  state: ParsedRun,
  pricing: TokenPricing | undefined
): { readonly costUsd: number | undefined; readonly source: CostSource } =>
  state.reportedCostUsd !== undefined
    ? { costUsd: state.reportedCostUsd, source: "reported" }
    : pricing !== undefined
      ? { costUsd: costOf(state.usage, pricing), source: "estimated" }
      : { costUsd: undefined, source: "unknown" }

const invalid = (backend: AgentCliBackendId, detail: string) =>
  new AgentCliError({
    backend,
    reason: "invalid-request",
    failureClass: "tool-error",
    terminal: true,
    detail
  })

const validate = (request: AgentCliRequest): AgentCliError | undefined => {
  if (request.prompt.trim() === "") return invalid(request.backend, "the prompt is empty")
  if (request.budget?.maxCostUsd !== undefined && request.pricing === undefined) {
    return invalid(
      request.backend,
      "a cost cap (budget.maxCostUsd) needs pricing to be enforced while the run streams"
    )
  }
  for (const [name, value] of [
    ["budget.maxTokens", request.budget?.maxTokens],
    ["budget.maxCostUsd", request.budget?.maxCostUsd],
    ["timeoutMs", request.timeoutMs]
  ] as const) {
    if (value !== undefined && !(Number.isFinite(value) && value >= 0)) {
      return invalid(request.backend, `${name} must be a non-negative number, got ${value}`)
    }
  }
  return undefined
}

/** Sends a signal to the whole process group of a detached child (the CLI and every tool it started). */
const signalGroup = (child: ChildProcess, signal: NodeJS.Signals): void => {
  if (child.pid === undefined) return
  try {
    process.kill(-child.pid, signal)
  } catch {
    // the group is already gone
  }
}

/**
 * Runs an agent CLI as a subprocess (its own process group) and reads its JSON-lines stream: usage is counted as
 * events arrive and checked against the budget after every event; when a cap is passed, a timeout expires, or a line
 * is not a JSON event, the whole process group gets SIGTERM (then SIGKILL after the grace period) and the run fails
 * with the usage consumed so far. An exit without the final event is `incomplete-stream`; a failed run the CLI
 * reported is `agent-reported-error`; other failures are classified from the exit code or signal (N1-R9).
 * Interrupting the effect kills the process group.
 */
export const runAgentCli = (request: AgentCliRequest): Effect.Effect<AgentCliResult, AgentCliError> =>
  Effect.suspend(() => {
    const problem = validate(request)
    if (problem !== undefined) return Effect.fail(problem)
    const backend = backendOf(request.backend)
    return Effect.async<AgentCliResult, AgentCliError>((resume) => {
      const started = Date.now()
      const parser = backend.parser()
      const grace = request.killGraceMs ?? DEFAULT_GRACE_MS
      let stderr = ""
      let stopping: AgentCliError | undefined
      let settled = false
      let line = 0
      const timers: Array<NodeJS.Timeout> = []

      const child = spawn(request.executable ?? backend.executable, [...backend.args(request)], {
        ...(request.cwd === undefined ? {} : { cwd: request.cwd }),
        env: { ...process.env, ...request.env },
        detached: true,
        stdio: ["pipe", "pipe", "pipe"]
      })

      const common = () => {
        const { costUsd } = costNow(parser.state, request.pricing)
        return {
          backend: request.backend,
          usage: { ...parser.state.usage },
          ...(costUsd === undefined ? {} : { costUsd }),
          ...(stderr === "" ? {} : { stderr: stderr.trim() })
        }
      }
      const settle = (outcome: Effect.Effect<AgentCliResult, AgentCliError>) => {
        if (settled) return
        settled = true
        for (const timer of timers) clearTimeout(timer)
        resume(outcome)
      }
      const stop = (error: AgentCliError) => {
        if (stopping !== undefined) return
        stopping = error
        signalGroup(child, "SIGTERM")
        const escalation = setTimeout(() => signalGroup(child, "SIGKILL"), grace)
        escalation.unref()
        timers.push(escalation)
      }
      const malformed = (detail: string) =>
        stop(
          new AgentCliError({
            ...common(),
            reason: "malformed-output",
            failureClass: "tool-error",
            line,
            detail
          })
        )

      child.on("error", (error: NodeJS.ErrnoException) => {
        const notFound = error.code === "ENOENT" || error.code === "EACCES"
        settle(
          Effect.fail(
            new AgentCliError({
              ...common(),
              reason: notFound ? "not-found" : "exit",
              failureClass: "tool-error",
              terminal: notFound,
              detail: `cannot run ${request.executable ?? backend.executable}: ${error.message}`
            })
          )
        )
      })
      child.stdin?.on("error", () => {
        // the CLI exited before reading its prompt: its exit says why
      })
      child.stdin?.end(request.prompt)
      child.stderr?.setEncoding("utf8")
      child.stderr?.on("data", (chunk: string) => {
        stderr = (stderr + chunk).slice(-STDERR_TAIL)
      })

      const lines = createInterface({ input: child.stdout!, crlfDelay: Number.POSITIVE_INFINITY })
      lines.on("line", (text) => {
        line++
        if (stopping !== undefined || text.trim() === "") return
        let event: unknown
        try {
          event = JSON.parse(text)
        } catch {
          return malformed(`not JSON: ${text.slice(0, 200)}`)
        }
        if (
          typeof event !== "object" ||
          event === null ||
          typeof (event as { type?: unknown }).type !== "string"
        ) {
          return malformed(`not an event object with a string "type": ${text.slice(0, 200)}`)
        }
        const unreadable = parser.push(event as { readonly type: string } & Record<string, unknown>)
        if (unreadable !== undefined) return malformed(unreadable)
        const { costUsd } = costNow(parser.state, request.pricing)
        const breach =
          request.budget === undefined
            ? undefined
            : budgetBreachOf(parser.state.usage, costUsd, request.budget)
        if (breach !== undefined) {
          stop(
            new AgentCliError({
              ...common(),
              reason: "budget-exceeded",
              failureClass: "resource",
              terminal: true,
              detail: `${breach}; the process group was killed mid-stream`
            })
          )
        }
      })

      if (request.timeoutMs !== undefined) {
        const ms = request.timeoutMs
        timers.push(
          setTimeout(
            () =>
              stop(
                new AgentCliError({
                  ...common(),
                  reason: "timeout",
                  failureClass: "timeout",
                  detail: `no result within ${ms} ms`
                })
              ),
            ms
          )
        )
      }

      // A tool the CLI left running may hold its stdout open, so "close" would never come: once the CLI itself
      // exited, what is left of its process group is stopped after a short drain.
      child.on("exit", () => {
        const drain = setTimeout(() => signalGroup(child, "SIGTERM"), EXIT_DRAIN_MS)
        drain.unref()
        timers.push(drain)
      })

      child.on("close", (code, signal) => {
        const exit = {
          ...(code === null ? {} : { exitCode: code }),
          ...(signal === null ? {} : { signal })
        }
        if (stopping !== undefined) {
          return settle(
            Effect.fail(
              new AgentCliError({
                ...common(),
                ...exit,
                reason: stopping.reason,
                failureClass: stopping.failureClass,
                detail: stopping.detail,
                ...(stopping.terminal === undefined ? {} : { terminal: stopping.terminal }),
                ...(stopping.line === undefined ? {} : { line: stopping.line })
              })
            )
          )
        }
        const state = parser.state
        if (state.failure !== undefined) {
          const exhausted = SUBTYPES_OF_EXHAUSTION.has(state.failure.subtype)
          const classified = classifyUnknown(state.failure.message)
          return settle(
            Effect.fail(
              new AgentCliError({
                ...common(),
                ...exit,
                reason: "agent-reported-error",
                failureClass: exhausted
                  ? "resource"
                  : classified.failureClass === "unknown"
                    ? "tool-error"
                    : classified.failureClass,
                ...(exhausted || classified.disposition === "terminal" ? { terminal: true } : {}),
                detail: `${state.failure.subtype}: ${state.failure.message}`
              })
            )
          )
        }
        if (code !== 0 || signal !== null) {
          const classified = classifyExit({ code, signal, kind: "tool" })
          return settle(
            Effect.fail(
              new AgentCliError({
                ...common(),
                ...exit,
                reason: "exit",
                failureClass: classified.failureClass,
                ...(classified.disposition === "terminal" ? { terminal: true } : {}),
                detail: `the process failed (${classified.rule})${stderr === "" ? "" : `: ${stderr.trim().split("\n").at(-1)}`}`
              })
            )
          )
        }
        if (!state.finished) {
          return settle(
            Effect.fail(
              new AgentCliError({
                ...common(),
                ...exit,
                reason: "incomplete-stream",
                failureClass: "external",
                detail: `the process exited before its final "${backend.finalEvent}" event`
              })
            )
          )
        }
        const { costUsd, source } = costNow(state, request.pricing)
        const breach =
          request.budget === undefined ? undefined : budgetBreachOf(state.usage, costUsd, request.budget)
        if (breach !== undefined) {
          return settle(
            Effect.fail(
              new AgentCliError({
                ...common(),
                ...exit,
                reason: "budget-exceeded",
                failureClass: "resource",
                terminal: true,
                detail: breach
              })
            )
          )
        }
        settle(
          Effect.succeed({
            backend: request.backend,
            text: state.text,
            ...(state.sessionId === undefined ? {} : { sessionId: state.sessionId }),
            ...(state.model === undefined ? {} : { model: state.model }),
            usage: { ...state.usage },
            costUsd: costUsd ?? 0,
            costSource: source,
            ...(state.numTurns === undefined ? {} : { numTurns: state.numTurns }),
            toolCalls: state.toolCalls,
            durationMs: Math.max(0, Date.now() - started)
          })
        )
      })

      return Effect.sync(() => {
        if (settled) return
        settled = true
        for (const timer of timers) clearTimeout(timer)
        signalGroup(child, "SIGTERM")
        setTimeout(() => signalGroup(child, "SIGKILL"), grace).unref()
      })
    })
  })
