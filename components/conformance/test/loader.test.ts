import { FileSystem } from "@effect/platform"
import { NodeContext } from "@effect/platform-node"
import { describe, expect, it } from "@effect/vitest"
import { Effect } from "effect"
import { InvalidGoldenCase, loadGoldenCases, parseGoldenCase, REQUIREMENT_ID_PATTERN } from "../src/index.js"

describe("parseGoldenCase", () => {
  it("accepts a valid case with tags", () => {
    const parsed = parseGoldenCase(
      "a/b.json",
      JSON.stringify({
        requirement: "N0-R12",
        description: "d",
        input: [1, "x"],
        expected: { ok: true },
        tags: ["t"]
      })
    )
    expect(parsed).toEqual({
      golden: {
        requirement: "N0-R12",
        description: "d",
        input: [1, "x"],
        expected: { ok: true },
        tags: ["t"]
      }
    })
  })

  it("names the file and JSON pointer of each schema violation", () => {
    const parsed = parseGoldenCase(
      "a/b.json",
      JSON.stringify({ requirement: "R4", description: "d", input: 1, expected: 2, extra: true, tags: [1] })
    )
    expect("issues" in parsed && parsed.issues).toEqual([
      { file: "a/b.json", pointer: "/extra", message: 'unknown property "extra"' },
      { file: "a/b.json", pointer: "/requirement", message: 'must match pattern "^N[0-9]-R\\d+$"' },
      { file: "a/b.json", pointer: "/tags/0", message: "must be string" }
    ])
  })

  it("reports missing fields and invalid JSON", () => {
    const missing = parseGoldenCase(
      "m.json",
      JSON.stringify({ requirement: "N1-R1", description: "d", input: 1 })
    )
    expect("issues" in missing && missing.issues).toEqual([
      { file: "m.json", pointer: "", message: "must have required property 'expected'" }
    ])
    const broken = parseGoldenCase("x.json", "{ nope")
    expect("issues" in broken && broken.issues[0]?.message).toMatch(/^not valid JSON: /)
  })

  it("requirement ids follow N<digit>-R<number>", () => {
    expect(["N0-R1", "N3-R4", "N9-R123"].every((id) => REQUIREMENT_ID_PATTERN.test(id))).toBe(true)
    expect(["N10-R1", "n3-r4", "N3-R", "N3R4", "N3-R4a"].some((id) => REQUIREMENT_ID_PATTERN.test(id))).toBe(
      false
    )
  })
})

describe("loadGoldenCases", () => {
  it.scoped("collects every invalid file in one error", () =>
    Effect.gen(function* () {
      const fs = yield* FileSystem.FileSystem
      const dir = yield* fs.makeTempDirectoryScoped()
      yield* fs.makeDirectory(`${dir}/area`)
      yield* fs.writeFileString(`${dir}/area/a.json`, "[]")
      yield* fs.writeFileString(`${dir}/area/b.json`, "{")
      yield* fs.writeFileString(`${dir}/area/notes.txt`, "ignored")
      const error = yield* Effect.flip(loadGoldenCases(dir))
      expect(error).toBeInstanceOf(InvalidGoldenCase)
      expect(error._tag === "InvalidGoldenCase" && error.issues.map((i) => [i.file, i.pointer])).toEqual([
        ["area/a.json", ""],
        ["area/b.json", ""]
      ])
      expect(error.message).toContain("2 invalid golden case file(s)")
    }).pipe(Effect.provide(NodeContext.layer))
  )

  it.scoped("fails with GoldenIoError naming a missing directory", () =>
    Effect.gen(function* () {
      const error = yield* Effect.flip(loadGoldenCases("/nonexistent/golden-dir"))
      expect(error._tag).toBe("GoldenIoError")
      expect(error.message).toContain("/nonexistent/golden-dir")
    }).pipe(Effect.provide(NodeContext.layer))
  )
})
