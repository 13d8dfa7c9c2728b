import { describe, expect, it } from "@effect/vitest"
import { Either } from "effect"
import fc from "fast-check"
import { type ChangeSet, parseUnifiedDiff } from "../src/index.js"

const parse = (text: string) => Either.getOrThrow(parseUnifiedDiff(text))

describe("parseUnifiedDiff", () => {
  it("reads a git diff: modified, added, deleted, renamed and binary files with line numbers", () => {
    const diff = [
      "commit message text before the first file is ignored",
      "diff --git a/src/a.ts b/src/a.ts",
      "index 1111111..2222222 100644",
      "--- a/src/a.ts",
      "+++ b/src/a.ts",
      "@@ -10,3 +10,4 @@ export function f() {",
      " const a = 1",
      "-const b = 2",
      "+const b = 3",
      "+const c = 4",
      " return a",
      "@@ -40 +41 @@",
      "-old",
      "+new",
      "\\ No newline at end of file",
      "diff --git a/docs/new.md b/docs/new.md",
      "new file mode 100644",
      "--- /dev/null",
      "+++ b/docs/new.md",
      "@@ -0,0 +1,2 @@",
      "+# Title",
      "+",
      "diff --git a/old.txt b/old.txt",
      "deleted file mode 100644",
      "--- a/old.txt",
      "+++ /dev/null",
      "@@ -1 +0,0 @@",
      "-bye",
      "diff --git a/lib/x.ts b/lib/y.ts",
      "similarity index 90%",
      "rename from lib/x.ts",
      "rename to lib/y.ts",
      "--- a/lib/x.ts",
      "+++ b/lib/y.ts",
      "@@ -1 +1 @@",
      "-export const x = 1",
      "+export const y = 1",
      "diff --git a/img.png b/img.png",
      "Binary files a/img.png and b/img.png differ"
    ].join("\n")
    const change = parse(`${diff}\n`)
    expect(change.files).toEqual([
      {
        path: "src/a.ts",
        status: "modified",
        added: [
          { line: 11, text: "const b = 3" },
          { line: 12, text: "const c = 4" },
          { line: 41, text: "new" }
        ],
        removed: [
          { line: 11, text: "const b = 2" },
          { line: 40, text: "old" }
        ]
      },
      {
        path: "docs/new.md",
        status: "added",
        added: [
          { line: 1, text: "# Title" },
          { line: 2, text: "" }
        ],
        removed: []
      },
      { path: "old.txt", status: "deleted", added: [], removed: [{ line: 1, text: "bye" }] },
      {
        path: "lib/y.ts",
        status: "renamed",
        oldPath: "lib/x.ts",
        added: [{ line: 1, text: "export const y = 1" }],
        removed: [{ line: 1, text: "export const x = 1" }]
      },
      { path: "img.png", status: "modified", added: [], removed: [], binary: true }
    ])
  })

  it("reads a pure rename, quoted paths with spaces and escapes, and plain diff -u output", () => {
    const renameOnly = parse(
      "diff --git a/a b.txt b/c d.txt\nsimilarity index 100%\nrename from a b.txt\nrename to c d.txt\n"
    )
    expect(renameOnly.files).toEqual([
      { path: "c d.txt", status: "renamed", oldPath: "a b.txt", added: [], removed: [] }
    ])
    const quoted = parse(
      'diff --git "a/caf\\303\\251.md" "b/caf\\303\\251.md"\n--- "a/caf\\303\\251.md"\n+++ "b/caf\\303\\251.md"\n@@ -1 +1 @@\n-a\n+b\n'
    )
    expect(quoted.files[0]?.path).toBe("café.md")
    const plain = parse(
      "--- notes.txt\t2026-01-01 10:00\n+++ notes.txt\t2026-01-02 10:00\n@@ -1,2 +1,2 @@\n keep\n-x\n+y\n"
    )
    expect(plain.files).toEqual([
      {
        path: "notes.txt",
        status: "modified",
        added: [{ line: 2, text: "y" }],
        removed: [{ line: 2, text: "x" }]
      }
    ])
  })

  it("ignores a format-patch signature and CRLF line ends", () => {
    const change = parse("--- a/x\r\n+++ b/x\r\n@@ -1 +1 @@\r\n-a\r\n+b\r\n-- \r\n2.43.0\r\n")
    expect(change.files).toEqual([
      { path: "x", status: "modified", added: [{ line: 1, text: "b" }], removed: [{ line: 1, text: "a" }] }
    ])
  })

  it("refuses a malformed hunk header, a hunk that ends early and lines the hunk counts do not cover", () => {
    const bad = (text: string) =>
      Either.getLeft(parseUnifiedDiff(text)).pipe((o) => (o._tag === "Some" ? o.value : undefined))
    expect(bad("--- a/x\n+++ b/x\n@@ -1,a +1 @@\n")).toMatchObject({ _tag: "InvalidDiff", line: 3 })
    expect(bad("--- a/x\n+++ b/x\n@@ -1,2 +1,2 @@\n-a\n+b\n")?.reason).toContain("ends inside a hunk")
    // an added line hidden past the hunk's count must not be silently dropped (it would bypass the policy)
    const hidden = bad("--- a/x\n+++ b/x\n@@ -1 +1 @@\n-a\n+b\n+AKIAIOSFODNN7EXAMPLE\n")
    expect(hidden).toMatchObject({ _tag: "InvalidDiff", line: 6 })
    expect(hidden?.message).toContain("outside any hunk")
    expect(bad("@@ -1 +1 @@\n-a\n+b\n")?.reason).toContain("before any file header")
  })

  it("an empty diff is an empty change set", () => {
    expect(parse("")).toEqual({ files: [] })
  })

  it("property: rendering a change set as a git diff and parsing it gives the change set back", () => {
    const text = fc.stringMatching(/^[a-z0-9 =;(){}+-]{0,20}$/)
    const name = fc.stringMatching(/^[a-z][a-z0-9]{0,6}$/)
    const file = fc.record({
      path: fc.tuple(name, name).map(([dir, base]) => `${dir}/${base}.ts`),
      status: fc.constantFrom("added", "modified", "deleted"),
      lines: fc.array(text, { minLength: 1, maxLength: 8 }),
      keep: fc.array(text, { minLength: 0, maxLength: 3 })
    })
    fc.assert(
      fc.property(fc.uniqueArray(file, { selector: (f) => f.path, maxLength: 5 }), (files) => {
        const expected: ChangeSet = {
          files: files.map((f) => {
            const added = f.status === "deleted" ? [] : f.lines.map((t, i) => ({ line: i + 1, text: t }))
            const removed =
              f.status === "added" ? [] : f.lines.map((t, i) => ({ line: i + 1, text: `old ${t}` }))
            return { path: f.path, status: f.status, added, removed }
          })
        }
        const rendered = expected.files
          .map((f) => {
            const header = [`diff --git a/${f.path} b/${f.path}`]
            if (f.status === "added") header.push("new file mode 100644", "--- /dev/null", `+++ b/${f.path}`)
            else if (f.status === "deleted")
              header.push("deleted file mode 100644", `--- a/${f.path}`, "+++ /dev/null")
            else header.push(`--- a/${f.path}`, `+++ b/${f.path}`)
            const hunk = `@@ -${f.removed.length === 0 ? 0 : 1},${f.removed.length} +${f.added.length === 0 ? 0 : 1},${f.added.length} @@`
            return [
              ...header,
              hunk,
              ...f.removed.map((l) => `-${l.text}`),
              ...f.added.map((l) => `+${l.text}`)
            ].join("\n")
          })
          .join("\n")
        expect(parse(rendered === "" ? "" : `${rendered}\n`)).toEqual(expected)
      }),
      { numRuns: 200 }
    )
  })
})
