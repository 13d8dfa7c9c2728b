import { readdirSync, readFileSync } from "node:fs"
import { join } from "node:path"
import { goldenCaseJsonSchema } from "@gauntlet/conformance"
import { coreEventTypes } from "@gauntlet/event-stream"
import Ajv2020 from "ajv/dist/2020.js"
import { Arbitrary, FastCheck, Schema } from "effect"
import { describe, expect, it } from "vitest"
import { kernelSchemaFiles, payloadFileOf, renderSchemaFile } from "../schemas/catalogue.js"
import { schemaDrift } from "../schemas/drift.js"

const root = join(import.meta.dirname, "..", "..")

describe("kernelSchemaFiles", () => {
  const files = kernelSchemaFiles()

  it("publishes the golden case, envelope, draft, failure schemas and one payload schema per kernel event type", () => {
    const names = files.map((f) => f.file)
    expect(names).toEqual(
      expect.arrayContaining([
        "golden-case.schema.json",
        "run-event.schema.json",
        "event-draft.schema.json",
        "failure-class.schema.json"
      ])
    )
    expect(names.filter((n) => n.startsWith("events/"))).toHaveLength(coreEventTypes.length)
    expect(new Set(names).size).toBe(names.length)
    expect(names).toEqual([...names].sort())
  })

  it("every generated schema compiles with ajv (draft 2020-12, strict except strictTypes: Effect puts minimum beside a $ref to Int)", () => {
    for (const { file, schema } of files) {
      const ajv = new Ajv2020({ strict: true, strictTypes: false, allErrors: true })
      expect(() => ajv.compile(schema as object), file).not.toThrow()
    }
  })

  it("the golden case schema is the one the loader validates with", () => {
    expect(files.find((f) => f.file === "golden-case.schema.json")?.schema).toBe(goldenCaseJsonSchema)
  })

  it("each payload JSON Schema accepts what its Effect Schema generates and rejects an unknown property", () => {
    for (const spec of coreEventTypes) {
      const file = files.find((f) => f.file === payloadFileOf(spec.type, spec.version))
      expect(file, `${spec.type} payload schema`).toBeDefined()
      const validate = new Ajv2020({ strict: true, strictTypes: false }).compile(file!.schema as object)
      const payload = spec.payload as unknown as Schema.Schema<unknown, unknown, never>
      const encode = Schema.encodeSync(payload)
      for (const sample of FastCheck.sample(Arbitrary.make(payload), { numRuns: 25, seed: 42 })) {
        const json = JSON.parse(JSON.stringify(encode(sample)))
        expect(validate(json), `${spec.type}: ${JSON.stringify(validate.errors)}`).toBe(true)
        expect(validate({ ...json, "unexpected-property": 1 }), spec.type).toBe(false)
      }
    }
  })

  it("renders 2-space JSON with a trailing newline", () => {
    expect(renderSchemaFile({ a: [1] })).toBe('{\n  "a": [\n    1\n  ]\n}\n')
  })

  it("the committed specs/schemas match the generated ones (no drift)", () => {
    const dir = join(root, "specs", "schemas")
    const committed = new Map(
      readdirSync(dir, { recursive: true, withFileTypes: true })
        .filter((e) => e.isFile() && e.name.endsWith(".json"))
        .map((e) => {
          const path = join(e.parentPath, e.name)
          return [
            path
              .slice(dir.length + 1)
              .split("\\")
              .join("/"),
            readFileSync(path, "utf8")
          ] as const
        })
    )
    const generated = new Map(files.map((f) => [f.file, renderSchemaFile(f.schema)]))
    expect(schemaDrift(generated, committed)).toEqual([])
  })
})

describe("schemaDrift", () => {
  it("names changed, missing and stale files", () => {
    const generated = new Map([
      ["a.json", "A"],
      ["b.json", "B"],
      ["c.json", "C"]
    ])
    const committed = new Map([
      ["a.json", "A"],
      ["b.json", "B-old"],
      ["z.json", "Z"]
    ])
    expect(schemaDrift(generated, committed)).toEqual([
      { file: "b.json", kind: "changed" },
      { file: "c.json", kind: "missing" },
      { file: "z.json", kind: "stale" }
    ])
  })
})
