import { readFileSync } from "node:fs"
import type { Agent, PhaseContext } from "@gauntlet/agent"
import { JsonObject, makeLlmAgent } from "@gauntlet/llm"
import { RoutingStrategy } from "@gauntlet/models"
import { Effect, Either, ParseResult, Schema } from "effect"
import { InvalidOptionValue } from "../errors.js"

/**
 * An LLM agent in an agents file (`--agents <file>.json` whose `kind` is `llm`): the model is `model` (a catalog
 * id) or routed on the phase (`strategy`); `prompt` (and `system`) are templates over the phase context —
 * `{{input}}` (the phase input, JSON unless a string), `{{input.a.b}}` (a field of it), `{{phase}}`, `{{attempt}}`;
 * `output: "json"` asks for a JSON object (one repair, then agent-error), `"text"` returns the answer text.
 */
export const LlmAgentSpec = Schema.Struct({
  id: Schema.String.pipe(Schema.minLength(1)),
  kind: Schema.Literal("llm"),
  model: Schema.optional(Schema.String.pipe(Schema.minLength(1))),
  strategy: Schema.optional(RoutingStrategy),
  system: Schema.optional(Schema.String),
  prompt: Schema.String.pipe(Schema.minLength(1)),
  maxOutputTokens: Schema.Int.pipe(Schema.positive()),
  output: Schema.optionalWith(Schema.Literal("text", "json"), { default: () => "text" as const }),
  promptTemplateId: Schema.optional(Schema.String.pipe(Schema.minLength(1)))
}).annotations({ identifier: "LlmAgentSpec" })
/** An LLM agent in an agents file. */
export type LlmAgentSpec = typeof LlmAgentSpec.Type

const decodeSpec = Schema.decodeUnknownEither(LlmAgentSpec, { onExcessProperty: "error" })

/**
 * Reads an agents file and returns its LLM agent spec when it declares `"kind": "llm"` (JSON), `undefined` for
 * anything else (a scripted agent script, decoded by `@gauntlet/agent` as before). A bad spec is refused
 * (`InvalidOptionValue`, usage) naming the file and the schema path.
 */
export const readLlmAgentSpec = (file: string) =>
  Effect.gen(function* () {
    let value: unknown
    try {
      value = JSON.parse(readFileSync(file, "utf8"))
    } catch {
      return undefined
    }
    if (typeof value !== "object" || value === null || (value as { kind?: unknown }).kind !== "llm")
      return undefined
    return yield* Either.match(decodeSpec(value), {
      onLeft: (error) =>
        Effect.fail(
          new InvalidOptionValue({
            option: "--agents",
            value: file,
            reason: `invalid LLM agent spec: ${ParseResult.TreeFormatter.formatErrorSync(error).split("\n").join(" ")}`
          })
        ),
      onRight: (spec) => Effect.succeed(spec)
    })
  })

const show = (value: unknown): string =>
  typeof value === "string" ? value : value === undefined ? "" : JSON.stringify(value)

const at = (value: unknown, path: ReadonlyArray<string>): unknown =>
  path.reduce<unknown>(
    (current, key) =>
      typeof current === "object" && current !== null ? (current as Record<string, unknown>)[key] : undefined,
    value
  )

/** Fills `{{input}}`, `{{input.<path>}}`, `{{phase}}`, `{{attempt}}` and `{{runId}}` from the phase context. */
const renderTemplate = (template: string, ctx: PhaseContext): string =>
  template.replace(
    /\{\{\s*([A-Za-z]+)((?:\.[A-Za-z0-9_-]+)*)\s*\}\}/g,
    (whole, name: string, rest: string) => {
      const path = rest === "" ? [] : rest.slice(1).split(".")
      switch (name) {
        case "input":
          return show(at(ctx.input, path))
        case "phase":
          return ctx.phase
        case "attempt":
          return String(ctx.attempt)
        case "runId":
          return ctx.runId
        default:
          return whole
      }
    }
  )

/** The workflow `Agent` of a spec, over the chokepoint, registry and event log in context (`makeLlmAgent`). */
export const makeSpecAgent = (spec: LlmAgentSpec) =>
  Effect.map(
    makeLlmAgent({
      id: spec.id,
      choose:
        spec.model !== undefined
          ? { model: spec.model }
          : {
              route: (ctx: PhaseContext) => ({ phase: ctx.phase, maxOutputTokens: spec.maxOutputTokens }),
              ...(spec.strategy === undefined ? {} : { strategy: spec.strategy })
            },
      prompt: (ctx) => ({
        ...(spec.system === undefined ? {} : { system: renderTemplate(spec.system, ctx) }),
        messages: [{ role: "user", content: renderTemplate(spec.prompt, ctx) }],
        maxOutputTokens: spec.maxOutputTokens,
        ...(spec.promptTemplateId === undefined ? {} : { promptTemplateId: spec.promptTemplateId })
      }),
      ...(spec.output === "json" ? { output: { name: `${spec.id}_output`, schema: JsonObject } } : {})
    }),
    (agent): Agent => agent
  )
