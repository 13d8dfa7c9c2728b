import { FileSystem, Path } from "@effect/platform"
import { NodeContext } from "@effect/platform-node"
import { describe, expect, it } from "@effect/vitest"
import { Effect, Either } from "effect"
import { InvalidAgentScript, loadAgentScript, parseAgentScript, syntaxOf } from "../src/index.js"

const invalid = (text: string, file: string): InvalidAgentScript => {
  const result = parseAgentScript(text, file)
  if (Either.isRight(result)) throw new Error(`expected ${file} to be refused`)
  return result.left
}

const yamlScript = `id: planner
steps:
  plan:
    - respond:
        output: { plan: [a, b] }
        usage: { inputTokens: 3 }
    - fail: { failureClass: agent-error, reason: off-schema }
      delayMs: 10
`

describe("agent script files", () => {
  it("picks the syntax by extension", () => {
    expect(syntaxOf("a.json")).toBe("json")
    expect(syntaxOf("a.JSON")).toBe("json")
    expect(syntaxOf("a.yaml")).toBe("yaml")
    expect(syntaxOf("a.yml")).toBe("yaml")
  })

  it("parses a YAML script", () => {
    const script = Either.getOrThrow(parseAgentScript(yamlScript, "planner.yaml"))
    expect(script.id).toBe("planner")
    expect(script.steps.plan).toEqual([
      { respond: { output: { plan: ["a", "b"] }, usage: { inputTokens: 3 } } },
      { fail: { failureClass: "agent-error", reason: "off-schema" }, delayMs: 10 }
    ])
  })

  it("parses a JSON script", () => {
    const text = JSON.stringify({ steps: { plan: [{ respond: { output: null } }] } }, null, 2)
    const script = Either.getOrThrow(parseAgentScript(text, "s.json"))
    expect(script.steps.plan).toEqual([{ respond: { output: null } }])
  })

  it("a YAML format error names file, pointer, line and column", () => {
    const error = invalid(
      yamlScript.replace("failureClass: agent-error", "failureClass: oops"),
      "planner.yaml"
    )
    expect(error.file).toBe("planner.yaml")
    expect(error.pointer).toBe("/steps/plan/1/fail/failureClass")
    expect(error.line).toBe(7)
    expect(error.column).toBe(29)
    expect(error.message).toMatch(
      /^planner\.yaml:7:29: invalid agent script at \/steps\/plan\/1\/fail\/failureClass: /
    )
  })

  it("an unknown member is refused (a typo cannot pass silently)", () => {
    const error = invalid("steps:\n  plan:\n    - respnd: { output: 1 }\n", "typo.yml")
    expect(error.pointer.startsWith("/steps/plan/0")).toBe(true)
    expect(error.line).toBe(3)
  })

  it("a missing member points at its parent's line", () => {
    const error = invalid("id: x\n", "empty.yaml")
    expect(error.pointer).toBe("/steps")
    expect(error.line).toBe(1)
    expect(error.reason).toMatch(/missing/)
  })

  it("a YAML syntax error names the line", () => {
    const error = invalid("steps:\n  plan: [\n", "broken.yaml")
    expect(error.pointer).toBe("")
    expect(error.reason).toMatch(/^not valid YAML: /)
    expect(error.line).toBeGreaterThanOrEqual(2)
  })

  it("a JSON syntax error names line and column", () => {
    const error = invalid('{\n  "steps": {\n    "plan": [,]\n  }\n}', "broken.json")
    expect(error.pointer).toBe("")
    expect(error.reason).toMatch(/^not valid JSON: /)
    expect(error.line).toBe(3)
    expect(error.column).toBe(14)
  })

  it("JSON files must be strict JSON (no YAML-only syntax)", () => {
    const error = invalid("steps: {}", "looks-like-yaml.json")
    expect(error.reason).toMatch(/^not valid JSON/)
  })

  it("a JSON format error names pointer and line", () => {
    const text = JSON.stringify({ steps: { plan: [{ respond: { output: 1 }, delayMs: -5 }] } }, null, 2)
    const error = invalid(text, "neg.json")
    expect(error.pointer).toBe("/steps/plan/0/delayMs")
    expect(error.line).toBe(8)
  })

  it("duplicate keys are refused", () => {
    const error = invalid("steps:\n  plan: []\n  plan: []\n", "dup.yaml")
    expect(error.reason).toMatch(/unique/i)
    expect(error.line).toBe(3)
  })

  it("an artifact digest that does not match its content is refused at the digest", () => {
    const text = `steps:
  implement:
    - respond:
        output: {}
        artifacts:
          - name: a.txt
            content: hello
            digest: "sha256:${"0".repeat(64)}"
`
    const error = invalid(text, "art.yaml")
    expect(error.pointer).toBe("/steps/implement/0/respond/artifacts/0/digest")
    expect(error.line).toBe(8)
    expect(error.reason).toMatch(/does not match the content/)
  })

  it("an artifact without content or digest is refused", () => {
    const error = invalid(
      "steps:\n  implement:\n    - respond: { output: 1, artifacts: [{ name: x }] }\n",
      "a.yaml"
    )
    expect(error.pointer).toBe("/steps/implement/0/respond/artifacts/0")
    expect(error.reason).toBe("an artifact needs its content or its digest")
  })

  it("pointer segments are escaped (RFC 6901)", () => {
    const error = invalid('steps:\n  "a/b~c":\n    - fail: { failureClass: policy }\n', "esc.yaml")
    expect(error.pointer).toBe("/steps/a~1b~0c/0/fail/reason")
  })
})

describe("loadAgentScript", () => {
  it.scoped("reads a file from disk", () =>
    Effect.gen(function* () {
      const fs = yield* FileSystem.FileSystem
      const path = yield* Path.Path
      const dir = yield* fs.makeTempDirectoryScoped()
      const file = path.join(dir, "planner.yaml")
      yield* fs.writeFileString(file, yamlScript)
      const script = yield* loadAgentScript(file)
      expect(script.id).toBe("planner")
    }).pipe(Effect.provide(NodeContext.layer))
  )

  it.scoped("a missing file is InvalidAgentScript naming it", () =>
    Effect.gen(function* () {
      const fs = yield* FileSystem.FileSystem
      const path = yield* Path.Path
      const dir = yield* fs.makeTempDirectoryScoped()
      const file = path.join(dir, "absent.yaml")
      const error = yield* Effect.flip(loadAgentScript(file))
      expect(error).toBeInstanceOf(InvalidAgentScript)
      expect(error.file).toBe(file)
      expect(error.reason).toMatch(/^cannot read: /)
    }).pipe(Effect.provide(NodeContext.layer))
  )
})
