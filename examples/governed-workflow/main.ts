/**
 * A governed workflow end to end, as a library: a software-factory workflow (workflow.yaml) run by a scripted agent
 * (agent-script.yaml) through gates, with budgets, on the embedded SQLite store (.gauntlet/state.db). The first
 * implement attempt fails the tests-pass gate; its violations are fed back and the second attempt repairs them.
 * Run: npx tsx examples/governed-workflow/main.ts
 */
import { fileURLToPath } from "node:url"
import { NodeContext } from "@effect/platform-node"
import { Agents, loadScriptedAgent } from "@gauntlet/agent"
import { Ids } from "@gauntlet/canonical"
import { coreEventTypes, EventLog, EventTypes, type RunEvent } from "@gauntlet/event-stream"
import { Gates, jsonSchemaGate, predicateGate } from "@gauntlet/gate"
import { RunStoreSqlite } from "@gauntlet/run-store-sqlite"
import { loadWorkflowFile, TerminalHook, WorkflowEngine } from "@gauntlet/workflow"
import { Chunk, Console, Effect, Layer, Schema, Stream } from "effect"

const here = (file: string) => fileURLToPath(new URL(file, import.meta.url))

/** L0: the plan is a non-empty list of task descriptions. */
const planSchema = jsonSchemaGate(
  "plan-schema",
  "L0",
  Schema.Struct({ tasks: Schema.NonEmptyArray(Schema.String) })
)

/** L1: no failing tests; one violation per failure, fed back to the agent. */
const testsPass = predicateGate("tests-pass", "L1", (input) => {
  const output = input.output as { testsFailed?: number; failures?: ReadonlyArray<string> } | undefined
  if (output?.testsFailed === 0) return []
  return (output?.failures ?? ["tests did not report"]).map((message) => ({
    ruleId: "tests/failing",
    severity: "high" as const,
    message,
    remediation: "make the failing test pass without weakening it"
  }))
})

/** L4: the reviewer approved. */
const reviewApproved = predicateGate("review-approved", "L4", (input) =>
  (input.output as { approved?: boolean } | undefined)?.approved === true
    ? []
    : [{ ruleId: "review/not-approved", severity: "critical", message: "the reviewer did not approve" }]
)

const summary = (event: RunEvent): string => {
  const p = event.payload as Record<string, unknown>
  const parts = ["phase", "attempt", "gate", "failureClass", "reason", "approvalId"]
    .filter((key) => p[key] !== undefined)
    .map((key) => `${key}=${String(p[key])}`)
  const violations = Array.isArray(p.violations)
    ? (p.violations as ReadonlyArray<{ message: string }>).map(
        (v) => `\n                           - ${v.message}`
      )
    : []
  return `${String(event.seq).padStart(3)}  ${event.type.padEnd(20)} ${parts.join(" ")}${violations.join("")}`
}

const program = Effect.gen(function* () {
  const compiled = yield* loadWorkflowFile(here("workflow.yaml"))
  const engine = yield* WorkflowEngine
  const outcome = yield* engine.start({ definition: compiled.definition, input: { issue: "RATE-42" } })
  const log = yield* EventLog
  const events = Chunk.toReadonlyArray(yield* Stream.runCollect(log.read(outcome.runId)))
  yield* Console.log(`run ${outcome.runId}\n${events.map(summary).join("\n")}`)
  const projection = yield* engine.projection(outcome.runId)
  yield* Console.log(`outcome ${JSON.stringify(outcome)}`)
  yield* Console.log(`spent ${JSON.stringify(projection.budgetSpent)}`)
  yield* Console.log(`phases ${JSON.stringify(projection.phases)}`)
  const chain = yield* log.verifyChain(outcome.runId)
  yield* Console.log(`chain ${chain.ok ? "verifies" : "BROKEN"} (${events.length} events)`)
})

const main = Effect.gen(function* () {
  const agent = yield* loadScriptedAgent(here("agent-script.yaml"))
  const services = Layer.mergeAll(
    Agents.layer([agent]),
    Gates.layer([planSchema, testsPass, reviewApproved]),
    TerminalHook.layer((outcome) => Console.log(`terminal hook: run ${outcome.runId} ${outcome.status}`))
  )
  const stores = RunStoreSqlite.layerFile(".gauntlet/state.db").pipe(
    Layer.provide(Layer.mergeAll(EventTypes.layer(coreEventTypes), Ids.layer))
  )
  const engine = WorkflowEngine.layer.pipe(
    Layer.provideMerge(stores),
    Layer.provide(services),
    Layer.provide(Ids.layer)
  )
  yield* Effect.provide(program, engine)
})

Effect.runPromise(main.pipe(Effect.provide(NodeContext.layer), Effect.scoped)).catch((error) => {
  console.error(String(error))
  process.exitCode = 1
})
