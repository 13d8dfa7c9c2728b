import { Agents, decodeAgentScript, makeScriptedAgent } from "@gauntlet/agent"
import { Ids } from "@gauntlet/canonical"
import type { GoldenAdapter } from "@gauntlet/conformance"
import { EventLogMemory } from "@gauntlet/event-store-memory"
import { coreEventTypes, EventLog, EventTypes } from "@gauntlet/event-stream"
import { type Gate, GateLayer, Gates, predicateGate } from "@gauntlet/gate"
import { RunStoreMemory } from "@gauntlet/run-store-memory"
import {
  compileWorkflow,
  RUN_TRANSITIONS,
  type RunOutcome,
  TerminalHook,
  transition,
  WorkflowEngine
} from "@gauntlet/workflow"
import { Chunk, Effect, Either, Layer, ParseResult, Schema, Stream } from "effect"

/**
 * Golden adapter for area `workflow` (spec N2 "Workflow definitions", "Run state machine", "Inner loop",
 * "Approvals and control"). The input's `op` names the operation:
 * - `compile` `{ definition }` → `{ phases: [{ name, maxAttempts, mandatory }], phaseSteps }`, or the refusal
 *   `{ error: "InvalidWorkflow", pointer }` (the reason text is informative and left out);
 * - `transition` `{ from, event }` → `{ to }` or `{ error: "IllegalTransition", from, event }`;
 * - `table` `{}` → `{ transitions }` (the lifecycle table, sorted by from, then event);
 * - `run` `{ definition, input?, steps, gates?, decisions? }`: runs the definition on the memory stores with a
 *   scripted agent `bot` (`steps`: the agent script's steps by phase) and predicate gates (`gates`: `{ name, layer,
 *   field }` — the output's `field` must be `true`, else one `high` violation `<name>/field`); each awaiting
 *   approval is decided by the next `decisions` item (`"approve"` or `"reject"`). → `{ outcomes: [{ status,
 *   phase?, failureClass? }], events: [type…], invocations: ["phase#attempt"…] }`.
 * A malformed case input fails the case with `InvalidWorkflowCase` naming what is wrong.
 */

class InvalidWorkflowCase extends Schema.TaggedError<InvalidWorkflowCase>()("InvalidWorkflowCase", {
  pointer: Schema.String,
  reason: Schema.String
}) {
  override get message() {
    return `invalid workflow golden case input at ${this.pointer || "/"}: ${this.reason}`
  }
}

const GateSpec = Schema.Struct({ name: Schema.String, layer: GateLayer, field: Schema.String })

const WorkflowCaseInput = Schema.Union(
  Schema.Struct({ op: Schema.Literal("compile"), definition: Schema.Unknown }),
  Schema.Struct({ op: Schema.Literal("transition"), from: Schema.String, event: Schema.String }),
  Schema.Struct({ op: Schema.Literal("table") }),
  Schema.Struct({
    op: Schema.Literal("run"),
    definition: Schema.Unknown,
    input: Schema.optional(Schema.Unknown),
    steps: Schema.Record({ key: Schema.String, value: Schema.Array(Schema.Unknown) }),
    gates: Schema.optional(Schema.Array(GateSpec)),
    decisions: Schema.optional(Schema.Array(Schema.Literal("approve", "reject")))
  })
)
type WorkflowCaseInput = typeof WorkflowCaseInput.Type

const decodeInput = (input: unknown) =>
  Schema.decodeUnknown(WorkflowCaseInput, { onExcessProperty: "error" })(input).pipe(
    Effect.mapError((error) => {
      const issue = ParseResult.ArrayFormatter.formatErrorSync(error)[0]
      return new InvalidWorkflowCase({
        pointer: issue === undefined ? "" : issue.path.map((p) => `/${String(p)}`).join(""),
        reason: issue?.message ?? "does not match the case schema"
      })
    })
  )

const fieldGate = (spec: typeof GateSpec.Type): Gate =>
  predicateGate(spec.name, spec.layer, (input) => {
    const output = input.output as Record<string, unknown> | null | undefined
    return typeof output === "object" && output !== null && output[spec.field] === true
      ? []
      : [
          {
            ruleId: `${spec.name}/${spec.field}`,
            severity: "high",
            message: `output.${spec.field} is not true`
          }
        ]
  })

const outcomeView = (outcome: RunOutcome) => ({
  status: outcome.status,
  ...(outcome.phase === undefined ? {} : { phase: outcome.phase }),
  ...(outcome.failureClass === undefined ? {} : { failureClass: outcome.failureClass })
})

const runScenario = (input: Extract<WorkflowCaseInput, { op: "run" }>) =>
  Effect.gen(function* () {
    const decoded = decodeAgentScript({ id: "bot", steps: input.steps })
    if (Either.isLeft(decoded)) {
      const pointer = decoded.left.path.map((p) => `/${String(p)}`).join("")
      return yield* new InvalidWorkflowCase({ pointer, reason: decoded.left.reason })
    }
    const agent = makeScriptedAgent(decoded.right)
    const base = Layer.mergeAll(
      Agents.layer([agent]),
      Gates.layer((input.gates ?? []).map(fieldGate)),
      TerminalHook.none,
      EventTypes.layer(coreEventTypes),
      Ids.layerDeterministic()
    )
    const stores = RunStoreMemory.layer.pipe(Layer.provideMerge(EventLogMemory.layer))
    const layer = WorkflowEngine.layer.pipe(Layer.provideMerge(stores), Layer.provide(base))
    return yield* Effect.gen(function* () {
      const engine = yield* WorkflowEngine
      const outcomes: Array<RunOutcome> = []
      let outcome = yield* engine.start({
        definition: input.definition,
        input: input.input ?? {},
        runId: "golden-run"
      })
      outcomes.push(outcome)
      for (const decision of input.decisions ?? []) {
        if (outcome.status !== "awaiting-approval" || outcome.approvalId === undefined) break
        const decide = decision === "approve" ? engine.approve : engine.reject
        outcome = yield* decide(outcome.approvalId, {
          by: "golden",
          reason: "golden case decision",
          method: "rule"
        })
        outcomes.push(outcome)
      }
      const log = yield* EventLog
      const events = Chunk.toReadonlyArray(yield* Stream.runCollect(log.read("golden-run")))
      return {
        outcomes: outcomes.map(outcomeView),
        events: events.map((e) => e.type),
        invocations: agent.invocations().map((i) => `${i.phase}#${i.attempt}`)
      }
    }).pipe(Effect.provide(layer))
  })

const byFromThenEvent = (a: { from: string; event: string }, b: { from: string; event: string }) =>
  a.from === b.from ? a.event.localeCompare(b.event) : a.from.localeCompare(b.from)

export const adapter: GoldenAdapter = {
  area: "workflow",
  run: (raw) =>
    Effect.gen(function* () {
      const input = yield* decodeInput(raw)
      switch (input.op) {
        case "compile": {
          const result = compileWorkflow(input.definition)
          if (Either.isLeft(result)) return { error: "InvalidWorkflow", pointer: result.left.pointer }
          return {
            phases: result.right.phases.map((p) => ({
              name: p.name,
              maxAttempts: p.maxAttempts,
              mandatory: p.mandatory
            })),
            phaseSteps: result.right.phaseSteps
          }
        }
        case "transition": {
          const result = transition(RUN_TRANSITIONS, input.from, input.event)
          return Either.isLeft(result)
            ? { error: "IllegalTransition", from: input.from, event: input.event }
            : { to: result.right }
        }
        case "table":
          return { transitions: [...RUN_TRANSITIONS].sort(byFromThenEvent) }
        case "run":
          return yield* runScenario(input)
      }
    })
}
