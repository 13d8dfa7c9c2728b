import { describe, expect, it } from "@effect/vitest"
import { FastCheck as fc } from "effect"
import picomatch from "picomatch"
import { compileGlob, globListsMayOverlap, globsMayOverlap } from "../src/index.js"

const overlap = (a: string, b: string): boolean => globsMayOverlap(compileGlob(a), compileGlob(b))

describe("globsMayOverlap", () => {
  it("says false only for globs that cannot share a path", () => {
    const disjoint: ReadonlyArray<readonly [string, string]> = [
      ["src/a.ts", "src/b.ts"],
      ["src/**", "docs/**"],
      ["src/*.ts", "src/*.md"],
      ["src/*.ts", "src/lib/x.ts"],
      ["src/*/x.ts", "src/y.ts"],
      ["lib/**/*.ts", "lib/**/*.json"],
      ["a/b/c", "a/b"],
      ["pkg-*/index.ts", "lib-*/index.ts"],
      ["src/{a,b}.ts", "src/c.ts"],
      ["./src/a.ts", "src/b.ts"]
    ]
    const overlapping: ReadonlyArray<readonly [string, string]> = [
      ["src/a.ts", "src/a.ts"],
      ["./src//a.ts", "src/a.ts"],
      ["src/**", "src/deep/x.ts"],
      ["src/**", "src"],
      ["**", "anything/at/all"],
      ["src/*.ts", "src/index.ts"],
      ["src/**/*.ts", "src/a/b/c.ts"],
      ["**/*.ts", "src/**"],
      ["src/{a,b}.ts", "src/b.ts"],
      ["src/{a,b/c}/x.ts", "src/b/c/x.ts"],
      ["src/{a,b/c}/x.ts", "src/q.md"],
      ["!src/**", "docs/x.md"],
      ["src/*", "src/.env"],
      ["a*b", "ab"],
      ["a*", "*b"]
    ]
    for (const [a, b] of disjoint) {
      expect([a, b, overlap(a, b)]).toEqual([a, b, false])
      expect([b, a, overlap(b, a)]).toEqual([b, a, false])
    }
    for (const [a, b] of overlapping) {
      expect([a, b, overlap(a, b)]).toEqual([a, b, true])
      expect([b, a, overlap(b, a)]).toEqual([b, a, true])
    }
  })

  it("compares lists pairwise", () => {
    const a = ["docs/**", "src/a.ts"].map(compileGlob)
    expect(globListsMayOverlap(a, ["src/*.ts"].map(compileGlob))).toBe(true)
    expect(globListsMayOverlap(a, ["src/*.md", "test/**"].map(compileGlob))).toBe(false)
  })

  const segment = fc.constantFrom(
    "a",
    "b",
    "ab",
    "x.ts",
    "y.md",
    ".env",
    "*",
    "*.ts",
    "a*",
    "*b",
    "?",
    "**",
    "{a,b}",
    "[ab]"
  )
  const glob = fc.array(segment, { minLength: 1, maxLength: 4 }).map((s) => s.join("/"))
  const pathSegment = fc.constantFrom("a", "b", "ab", "x.ts", "y.md", ".env", "aab", "z")
  const path = fc.array(pathSegment, { minLength: 1, maxLength: 5 }).map((s) => s.join("/"))

  it.prop(
    "is sound: if some path matches both globs, they are reported as overlapping",
    [glob, glob, path],
    ([a, b, p]) => {
      const both = picomatch(a, { dot: true })(p) && picomatch(b, { dot: true })(p)
      if (both) expect(overlap(a, b)).toBe(true)
    },
    { fastCheck: { numRuns: 3000 } }
  )

  it.prop("is symmetric", [glob, glob], ([a, b]) => {
    expect(overlap(a, b)).toBe(overlap(b, a))
  })
})
