import { cpSync, mkdtempSync, readFileSync, rmSync, utimesSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { describe, expect, it } from "@effect/vitest"
import { buildPackArchive, initPack, PackSourceInvalid } from "@gauntlet/pack-archive"
import { Effect } from "effect"

const scaffold = () =>
  Effect.gen(function* () {
    const dir = join(mkdtempSync(join(tmpdir(), "pack-build-")), "pack")
    yield* initPack(dir, "acme/demo")
    return dir
  })

describe("buildPackArchive", () => {
  it.effect(
    "same pack → same bytes, twice and from a copy with other mtimes",
    () =>
      Effect.gen(function* () {
        const dir = yield* scaffold()
        const copy = join(dir, "..", "copy")
        cpSync(dir, copy, { recursive: true })
        const old = new Date("1999-12-31T23:59:59Z")
        for (const path of ["pack.json", "README.md", "tests", "tests/blocks-debugger.json"])
          utimesSync(join(copy, path), old, old)
        const first = yield* buildPackArchive(dir)
        const second = yield* buildPackArchive(dir)
        const fromCopy = yield* buildPackArchive(copy)
        expect(Buffer.from(second.bytes).equals(Buffer.from(first.bytes))).toBe(true)
        expect(Buffer.from(fromCopy.bytes).equals(Buffer.from(first.bytes))).toBe(true)
        expect(fromCopy.digest).toBe(first.digest)
        expect(first.files.map((f) => f.name)).toEqual([
          "README.md",
          "pack.json",
          "tests/allows-clean-change.json",
          "tests/blocks-debugger.json"
        ])
      }),
    60_000
  )

  it.effect(
    "refuses a pack whose test fails, naming the case and the problem",
    () =>
      Effect.gen(function* () {
        const dir = yield* scaffold()
        const path = join(dir, "tests", "allows-clean-change.json")
        const testCase = JSON.parse(readFileSync(path, "utf8")) as { input: { diff: Array<string> } }
        testCase.input.diff[testCase.input.diff.length - 1] = "+  debugger;"
        writeFileSync(path, JSON.stringify(testCase))
        const error = yield* Effect.flip(buildPackArchive(dir))
        expect(error).toBeInstanceOf(PackSourceInvalid)
        expect(error.message).toContain("tests/allows-clean-change.json")
        expect(error.message).toContain("no-debugger")
      }),
    60_000
  )

  it.effect(
    "refuses a pack without tests and a pack.json that does not match the schema",
    () =>
      Effect.gen(function* () {
        const dir = yield* scaffold()
        rmSync(join(dir, "tests"), { recursive: true })
        const noTests = yield* Effect.flip(buildPackArchive(dir))
        expect(noTests.message).toContain("no tests")

        const other = yield* scaffold()
        const manifest = JSON.parse(readFileSync(join(other, "pack.json"), "utf8")) as Record<string, unknown>
        writeFileSync(join(other, "pack.json"), JSON.stringify({ ...manifest, version: "one" }))
        const invalid = yield* Effect.flip(buildPackArchive(other))
        expect(invalid).toBeInstanceOf(PackSourceInvalid)
        expect(invalid.message).toContain("/version")
      }),
    60_000
  )
})
