/**
 * The standard policy packs and the development trust root are validated by ajv against the JSON Schemas generated
 * from the kernel's Effect Schemas (DESIGN §6): a second validator, independent of the Effect decoders.
 */
import { readdirSync, readFileSync } from "node:fs"
import { join } from "node:path"
import Ajv2020 from "ajv/dist/2020.js"
import { describe, expect, it } from "vitest"
import { kernelSchemaFiles } from "../schemas/catalogue.js"

const root = join(import.meta.dirname, "..", "..")
const packsDir = join(root, "policy-packs")

const validatorOf = (file: string) => {
  const schema = kernelSchemaFiles().find((f) => f.file === file)?.schema
  expect(schema, file).toBeDefined()
  return new Ajv2020({ strict: true, strictTypes: false, allErrors: true }).compile(schema as object)
}

const readJson = (path: string): unknown => JSON.parse(readFileSync(path, "utf8"))

const packDirs = readdirSync(packsDir, { withFileTypes: true })
  .filter((d) => d.isDirectory() && readdirSync(join(packsDir, d.name)).includes("pack.json"))
  .map((d) => d.name)

describe("standard policy packs against the generated JSON Schemas", () => {
  it("finds the four standard packs", () => {
    expect(packDirs.sort()).toEqual(["destructive-ops", "foundations", "knowledge-safety", "typescript"])
  })

  it.each(packDirs)("%s/pack.json is a valid PolicyPack and its tests are valid PackTestCases", (name) => {
    const pack = validatorOf("policy-pack.schema.json")
    const testCase = validatorOf("pack-test-case.schema.json")
    expect(pack(readJson(join(packsDir, name, "pack.json"))), JSON.stringify(pack.errors)).toBe(true)
    const tests = readdirSync(join(packsDir, name, "tests")).filter((f) => f.endsWith(".json"))
    expect(tests.length).toBeGreaterThan(0)
    for (const file of tests) {
      const data = readJson(join(packsDir, name, "tests", file))
      expect(testCase(data), `${name}/tests/${file}: ${JSON.stringify(testCase.errors)}`).toBe(true)
    }
  })

  it("a pack.json with an unknown action is refused by the schema", () => {
    const pack = validatorOf("policy-pack.schema.json")
    const valid = readJson(join(packsDir, "foundations", "pack.json")) as {
      rules: Array<Record<string, unknown>>
    }
    const broken = {
      ...valid,
      rules: [{ ...valid.rules[0], action: "allow-anything" }, ...valid.rules.slice(1)]
    }
    expect(pack(broken)).toBe(false)
  })

  it("the development trust root is a valid TrustRoot", () => {
    const trustRoot = validatorOf("trust-root.schema.json")
    const data = readJson(join(packsDir, "trust-root.dev.json"))
    expect(trustRoot(data), JSON.stringify(trustRoot.errors)).toBe(true)
  })
})
