import { Worker } from "node:worker_threads"
import { Effect } from "effect"
import { PolicyEvaluationFailed } from "./errors.js"

/** A regex job: match `pattern` in each line of the target line sets, or in each target text. */
export interface RegexJob {
  readonly kind: "regex"
  readonly id: number
  readonly pattern: string
  readonly flags: string
  readonly mode: "lines" | "text"
  readonly targets: ReadonlyArray<number>
}

/** A check-module job: run the compiled module's function on the change and context (JSON texts). */
export interface CheckJob {
  readonly kind: "check"
  readonly id: number
  readonly module: string
  readonly code: string
  /** Index into `WorkerRequest.changes`: the change (JSON text), parsed in the sandbox only if the check reads it. */
  readonly change: number
  readonly context: string
  readonly timeoutMs: number
}

/** What the worker is given: the jobs, the line sets and the texts they refer to. */
export interface WorkerRequest {
  readonly jobs: ReadonlyArray<RegexJob | CheckJob>
  readonly lineSets: ReadonlyArray<ReadonlyArray<string>>
  readonly texts: ReadonlyArray<string>
  readonly changes: ReadonlyArray<string>
  readonly maxMatches: number
}

/** One match: the target (line set or text), the line index or text offset, the 0-based column and the matched text. */
interface RegexMatch {
  readonly target: number
  readonly index: number
  readonly column: number
  readonly text: string
}

/** What a job produced. */
export type JobResult =
  | {
      readonly job: number
      readonly kind: "regex"
      readonly matches: ReadonlyArray<RegexMatch>
      readonly omitted: number
    }
  | { readonly job: number; readonly kind: "check"; readonly result: unknown }
  | {
      readonly job: number
      readonly kind: "check-error"
      readonly timeout: boolean
      readonly message: string
    }

/**
 * The worker's source (CommonJS, evaluated with `eval: true` so it survives bundling). Regex jobs run in the worker;
 * check modules run in a fresh `vm` context with no `require`, `process`, timers or code generation from strings,
 * under the check's own timeout. The main thread terminates the worker when the overall budget runs out.
 */
const WORKER_SOURCE = `
const { parentPort } = require("node:worker_threads");
const vm = require("node:vm");
const clip = (s) => (s.length > 200 ? s.slice(0, 200) : s);
function runRegex(job, request) {
  const matches = [];
  let omitted = 0;
  if (job.mode === "lines") {
    const re = new RegExp(job.pattern, job.flags);
    for (const target of job.targets) {
      const lines = request.lineSets[target];
      for (let i = 0; i < lines.length; i++) {
        const m = re.exec(lines[i]);
        if (m === null) continue;
        if (matches.length < request.maxMatches) matches.push({ target, index: i, column: m.index, text: clip(m[0]) });
        else omitted++;
      }
    }
  } else {
    const re = new RegExp(job.pattern, job.flags + "g");
    for (const target of job.targets) {
      for (const m of request.texts[target].matchAll(re)) {
        if (matches.length < request.maxMatches) matches.push({ target, index: m.index, column: 0, text: clip(m[0]) });
        else omitted++;
      }
    }
  }
  return { job: job.id, kind: "regex", matches, omitted };
}
const LAZY = "var __parsed = null; var __input = {}; function __load() { if (__parsed === null) __parsed = JSON.parse(__change); return __parsed; }" +
  " Object.defineProperty(__input, 'files', { get: function () { return __load().files; }, enumerable: true });" +
  " Object.defineProperty(__input, 'resources', { get: function () { return __load().resources; }, enumerable: true });";
const CALL = "(function () { var m = module.exports; var f = typeof m === 'function' ? m : m && (typeof m.default === 'function' ? m.default : m.check);" +
  " if (typeof f !== 'function') throw new TypeError('the module exports no check function (a default export or an export named check)');" +
  " var r = f(__input, JSON.parse(__context)); return JSON.stringify(r === undefined ? null : r); })()";
function runCheck(job, request) {
  const context = vm.createContext(Object.create(null), { codeGeneration: { strings: false, wasm: false } });
  try {
    vm.runInContext("var module = { exports: {} }; var exports = module.exports; " + LAZY, context);
    vm.runInContext(job.code, context, { timeout: job.timeoutMs, filename: job.module });
    context.__change = request.changes[job.change];
    context.__context = job.context;
    const json = vm.runInContext(CALL, context, { timeout: job.timeoutMs, filename: job.module });
    return { job: job.id, kind: "check", result: JSON.parse(json) };
  } catch (error) {
    const timeout = error !== null && typeof error === "object" && error.code === "ERR_SCRIPT_EXECUTION_TIMEOUT";
    const message = error !== null && typeof error === "object" && "message" in error ? String(error.message) : String(error);
    return { job: job.id, kind: "check-error", timeout, message };
  }
}
parentPort.once("message", (request) => {
  const results = [];
  for (const job of request.jobs) {
    parentPort.postMessage({ type: "start", job: job.id });
    results.push(job.kind === "regex" ? runRegex(job, request) : runCheck(job, request));
  }
  parentPort.postMessage({ type: "done", results });
});
`

/** Who a job belongs to, for error messages. */
export interface JobOwner {
  readonly ruleId: string
  readonly pack: string
}

let running = 0

/** How many policy workers are alive (started and not yet exited): tests check that none is left behind. */
export const liveWorkers = (): number => running

/** A started worker: its results to wait for, and a way to stop it. */
export interface RunningWorker {
  /** Waits for the results (or the failure); interrupting it terminates the worker. */
  readonly results: Effect.Effect<ReadonlyArray<JobResult>, PolicyEvaluationFailed>
  /** Terminates the worker if it still runs (idempotent). */
  readonly stop: () => void
}

/**
 * Starts the jobs in a fresh worker thread NOW (so the caller can do other work meanwhile) under `budgetMs` (wall
 * time, worker start included). When the budget runs out the worker is terminated and the evaluation fails with
 * `timeout`, naming the rule whose job was running; a worker that dies fails with `worker-crashed`.
 */
export const startWorker = (
  request: WorkerRequest,
  budgetMs: number,
  ownerOf: (job: number) => JobOwner | undefined
): RunningWorker => {
  let outcome: Effect.Effect<ReadonlyArray<JobResult>, PolicyEvaluationFailed> | undefined
  let waiting: ((effect: Effect.Effect<ReadonlyArray<JobResult>, PolicyEvaluationFailed>) => void) | undefined
  let current: number | undefined
  const worker = new Worker(WORKER_SOURCE, { eval: true, resourceLimits: { maxOldGenerationSizeMb: 512 } })
  running++
  worker.once("exit", () => {
    running--
  })
  const settle = (effect: Effect.Effect<ReadonlyArray<JobResult>, PolicyEvaluationFailed>) => {
    if (outcome !== undefined) return
    outcome = effect
    clearTimeout(timer)
    void worker.terminate()
    waiting?.(effect)
  }
  const owner = () => (current === undefined ? undefined : ownerOf(current))
  // When the timer fires, results the worker already posted may still be queued behind it (this thread was busy
  // with the other detections): setImmediate lets them be delivered first, so only a real overrun fails.
  const timer = setTimeout(() => setImmediate(overrun), budgetMs)
  function overrun() {
    const who = owner()
    settle(
      Effect.fail(
        new PolicyEvaluationFailed({
          reason: "timeout",
          ...(who === undefined ? {} : { ruleId: who.ruleId, pack: who.pack }),
          detail: `the policy time budget of ${budgetMs} ms ran out${who === undefined ? "" : " while evaluating this rule"}; the evaluation was stopped`
        })
      )
    )
  }
  worker.on(
    "message",
    (message: { type: "start"; job: number } | { type: "done"; results: ReadonlyArray<JobResult> }) => {
      if (message.type === "start") current = message.job
      else settle(Effect.succeed(message.results))
    }
  )
  worker.on("error", (error) => {
    const who = owner()
    settle(
      Effect.fail(
        new PolicyEvaluationFailed({
          reason: "worker-crashed",
          ...(who === undefined ? {} : { ruleId: who.ruleId, pack: who.pack }),
          detail: error.message
        })
      )
    )
  })
  worker.on("exit", (code) => {
    settle(
      Effect.fail(
        new PolicyEvaluationFailed({
          reason: "worker-crashed",
          detail: `the policy worker exited with code ${code}`
        })
      )
    )
  })
  worker.postMessage(request)
  const stop = () =>
    settle(
      Effect.fail(
        new PolicyEvaluationFailed({ reason: "worker-crashed", detail: "the policy worker was stopped" })
      )
    )
  return {
    stop,
    results: Effect.async<ReadonlyArray<JobResult>, PolicyEvaluationFailed>((resume) => {
      if (outcome !== undefined) resume(outcome)
      else waiting = resume
      return Effect.sync(stop)
    })
  }
}
