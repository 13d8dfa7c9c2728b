import { describe, expect, it } from "@effect/vitest"
import { Effect, Either, FastCheck as fc, JSONSchema } from "effect"
import { AgentScript, makeScriptedAgent, type PhaseContext, parseAgentScript } from "../src/index.js"

const ctx = (attempt: number): PhaseContext => ({
  runId: "r",
  phase: "implement",
  attempt,
  input: null,
  feedback: [],
  strategy: "direct"
})

const output = fc.jsonValue({ maxDepth: 3 }).map((value) => JSON.parse(JSON.stringify(value)) as unknown)

describe("scripted agent properties", () => {
  it.effect.prop(
    "answers the scripted outputs in order, then fails naming the key",
    [fc.array(output, { maxLength: 8 })],
    ([outputs]) =>
      Effect.gen(function* () {
        const text = JSON.stringify({
          steps: { implement: outputs.map((o) => ({ respond: { output: o } })) }
        })
        const agent = makeScriptedAgent(Either.getOrThrow(parseAgentScript(text, "p.json")))
        for (const [index, expected] of outputs.entries()) {
          const answer = yield* agent.invoke(ctx(index + 1))
          expect(answer.output).toEqual(expected)
        }
        const error = yield* Effect.flip(agent.invoke(ctx(outputs.length + 1)))
        expect(error.reason).toContain('phase "implement"')
        expect(agent.invocations()).toHaveLength(outputs.length + 1)
      }),
    { fastCheck: { numRuns: 100 } }
  )

  it("a JSON script reads the same as JSON and as YAML (YAML 1.2 is a superset of JSON)", () => {
    fc.assert(
      fc.property(fc.array(output, { maxLength: 4 }), fc.boolean(), (outputs, pretty) => {
        const script = { id: "p", steps: { plan: outputs.map((o) => ({ respond: { output: o } })) } }
        const text = pretty ? JSON.stringify(script, null, 2) : JSON.stringify(script)
        const asJson = Either.getOrThrow(parseAgentScript(text, "p.json"))
        const asYaml = Either.getOrThrow(parseAgentScript(text, "p.yaml"))
        expect(asYaml).toEqual(asJson)
        expect(asJson).toEqual(script)
      }),
      { numRuns: 200 }
    )
  })
})

describe("AgentScript JSON Schema", () => {
  it("can be published as JSON Schema", () => {
    const schema = JSONSchema.make(AgentScript) as { $defs?: Record<string, unknown>; $ref?: string }
    expect(schema.$ref).toBe("#/$defs/AgentScript")
    expect(Object.keys(schema.$defs ?? {})).toEqual(expect.arrayContaining(["AgentScript", "ScriptStep"]))
  })
})
