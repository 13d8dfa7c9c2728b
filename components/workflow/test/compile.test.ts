import { Either } from "effect"
import { describe, expect, it } from "vitest"
import { compileWorkflow, parseWorkflow, SOFTWARE_FACTORY_MANDATORY } from "../src/index.js"

const factory = (phases: ReadonlyArray<Record<string, unknown>>) => ({
  id: "factory",
  version: "1.0.0",
  family: "software-factory",
  phases,
  budget: { costUsd: 5 }
})

const phase = (name: string, extra: Record<string, unknown> = {}) => ({
  name,
  agent: "bot",
  gates: [],
  ...extra
})

const standard = () => SOFTWARE_FACTORY_MANDATORY.map((name) => phase(name))

const errorOf = (input: unknown) => {
  const result = compileWorkflow(input)
  if (Either.isRight(result)) throw new Error("expected the definition to be refused")
  return { tag: result.left._tag, pointer: result.left.pointer, reason: result.left.reason }
}

describe("compileWorkflow", () => {
  it("compiles a software-factory definition with defaults and the phase graph", () => {
    const compiled = Either.getOrThrow(
      compileWorkflow(factory([phase("plan"), phase("design", { optional: true }), ...standard().slice(1)]))
    )
    expect(compiled.phases.map((p) => [p.name, p.maxAttempts, p.mandatory])).toEqual([
      ["plan", 3, true],
      ["design", 3, false],
      ["implement", 3, true],
      ["verify", 3, true],
      ["review", 3, true]
    ])
    expect(compiled.phaseSteps).toEqual([
      { from: "plan", to: "design" },
      { from: "design", to: "implement" },
      { from: "implement", to: "verify" },
      { from: "verify", to: "review" },
      { from: "review", to: null }
    ])
    expect(compiled.transitions.length).toBeGreaterThan(10)
  })

  it.each([
    ["not an object", 42, "", "Expected"],
    ["missing id", { ...factory(standard()), id: undefined }, "/id", ""],
    ["unknown field", { ...factory(standard()), extra: 1 }, "/extra", ""],
    ["unknown family", { ...factory(standard()), family: "magic" }, "/family", ""],
    ["no phases", factory([]), "/phases", ""],
    ["bad phase name", factory([...standard(), phase("Ship It")]), "/phases/4/name", "lowercase"],
    [
      "maxAttempts 0",
      factory([phase("plan", { maxAttempts: 0 }), ...standard().slice(1)]),
      "/phases/0/maxAttempts",
      ""
    ],
    [
      "unknown phase field",
      factory([phase("plan", { retries: 2 }), ...standard().slice(1)]),
      "/phases/0/retries",
      ""
    ],
    ["negative budget", { ...factory(standard()), budget: { tokens: -1 } }, "/budget/tokens", ""],
    [
      "bad skipIf pointer",
      factory([...standard(), phase("release", { optional: true, skipIf: { pointer: "x", exists: true } })]),
      "/phases/4/skipIf/pointer",
      "JSON pointer"
    ],
    [
      "skipIf with unknown members",
      factory([...standard(), phase("release", { optional: true, skipIf: { all: [{ when: 1 }] } })]),
      "/phases/4/skipIf/all/0",
      "unexpected members"
    ],
    ["duplicate phase", factory([...standard(), phase("plan")]), "/phases/4/name", 'duplicate phase "plan"'],
    [
      "duplicate gate",
      factory([phase("plan", { gates: ["g", "g"] }), ...standard().slice(1)]),
      "/phases/0/gates/1",
      'duplicate gate "g"'
    ],
    [
      "skipIf on a non-optional phase",
      {
        ...factory([]),
        family: "custom",
        phases: [phase("load", { skipIf: { pointer: "/dry", equals: true } })]
      },
      "/phases/0/skipIf",
      "not optional"
    ],
    [
      "missing verify",
      factory(standard().filter((p) => p.name !== "verify")),
      "/phases",
      'must have a "verify" phase'
    ],
    [
      "optional plan",
      factory([phase("plan", { optional: true }), ...standard().slice(1)]),
      "/phases/0/optional",
      "can never be optional"
    ],
    [
      "skippable review",
      factory([
        ...standard().slice(0, 3),
        phase("review", { optional: true, skipIf: { pointer: "/x", exists: true } })
      ]),
      "/phases/3/optional",
      "can never be optional"
    ],
    [
      "review before verify",
      factory([phase("plan"), phase("implement"), phase("review"), phase("verify")]),
      "/phases/2/name",
      '"review" comes too early'
    ]
  ])("refuses %s with a pointer", (_name, input, pointer, reason) => {
    const error = errorOf(input)
    expect(error.tag).toBe("InvalidWorkflow")
    expect(error.pointer).toBe(pointer)
    expect(error.reason).toContain(reason)
  })

  it("lets etl and custom workflows skip optional phases and omit the factory phases", () => {
    const compiled = compileWorkflow({
      id: "edgar",
      version: "2",
      family: "etl",
      phases: [
        phase("extract"),
        phase("load", { optional: true, skipIf: { pointer: "/dryRun", equals: true } })
      ],
      budget: {}
    })
    expect(Either.isRight(compiled)).toBe(true)
  })
})

describe("parseWorkflow", () => {
  const yaml = `id: factory
version: "1"
family: software-factory
budget: { tokens: 1000 }
phases:
  - { name: plan, agent: bot, gates: [] }
  - { name: implement, agent: bot, gates: [lint] }
  - { name: verify, agent: bot, gates: [] }
  - { name: review, agent: bot, gates: [], maxAttempts: 5 }
`

  it("reads YAML and JSON into the same compiled workflow", () => {
    const fromYaml = Either.getOrThrow(parseWorkflow(yaml, { format: "yaml" }))
    const fromJson = Either.getOrThrow(
      parseWorkflow(JSON.stringify(fromYaml.definition), { format: "json", source: "w.json" })
    )
    expect(fromJson.definition).toEqual(fromYaml.definition)
    expect(fromYaml.phases.at(-1)?.maxAttempts).toBe(5)
  })

  it("names the file and the pointer of a decode error", () => {
    const result = parseWorkflow(yaml.replace("maxAttempts: 5", "maxAttempts: -5"), {
      format: "yaml",
      source: "flows/factory.yaml"
    })
    expect(Either.isLeft(result) && result.left.message).toMatch(
      /^flows\/factory\.yaml: invalid workflow at \/phases\/3\/maxAttempts: /
    )
  })

  it("reports YAML and JSON syntax errors with where they are", () => {
    const badYaml = parseWorkflow("id: [unclosed\n", { format: "yaml", source: "x.yaml" })
    expect(Either.isLeft(badYaml) && badYaml.left.reason).toMatch(/^not YAML \(line \d+, column \d+\)/)
    const badJson = parseWorkflow("{", { format: "json" })
    expect(Either.isLeft(badJson) && badJson.left.reason).toMatch(/^not JSON: /)
  })
})
