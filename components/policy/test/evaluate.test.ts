import { describe, expect, it } from "@effect/vitest"
import { Effect, Either } from "effect"
import fc from "fast-check"
import {
  type ChangeSet,
  evaluatePacks,
  type FileChange,
  type PolicyContext,
  parseUnifiedDiff
} from "../src/index.js"
import { pack, rule } from "./fixtures.js"

const file = (path: string, added: ReadonlyArray<string>, extra: Partial<FileChange> = {}): FileChange => ({
  path,
  status: "modified",
  added: added.map((text, i) => ({ line: i + 1, text })),
  removed: [],
  ...extra
})

const run = (
  rules: ReadonlyArray<Record<string, unknown>>,
  change: ChangeSet,
  context: PolicyContext = { phase: "implement" },
  budgetMs?: number
) =>
  evaluatePacks({
    packs: [pack("acme/test", "1.0.0", rules)],
    change,
    context,
    ...(budgetMs === undefined ? {} : { budgetMs })
  })

describe("evaluatePacks detections", () => {
  it.effect("diffRegex matches added lines (or removed ones), with file, line and 1-based column", () =>
    Effect.gen(function* () {
      const change: ChangeSet = {
        files: [
          {
            path: "db/m.sql",
            status: "modified",
            added: [{ line: 7, text: "  DROP TABLE users;" }],
            removed: [{ line: 3, text: "drop table keep" }]
          }
        ]
      }
      const added = yield* run(
        [rule("drop", { detect: { diffRegex: { pattern: "drop\\s+table", flags: "i" } } })],
        change
      )
      expect(added.violations.map((v) => v.location)).toEqual([{ file: "db/m.sql", line: 7, column: 3 }])
      expect(added.violations[0]?.message).toBe("rule drop fired: added line matches: DROP TABLE")
      const removed = yield* run(
        [rule("drop", { detect: { diffRegex: { pattern: "drop table", lines: "removed" } } })],
        change
      )
      expect(removed.violations.map((v) => v.location)).toEqual([{ file: "db/m.sql", line: 3, column: 1 }])
    })
  )

  it.effect(
    "contentRegex spans lines of a file's added text and scans untrusted sources and commands by choice",
    () =>
      Effect.gen(function* () {
        const change: ChangeSet = { files: [file("README.md", ["first", "BEGIN", "END"])] }
        const context: PolicyContext = {
          phase: "plan",
          sources: [
            { name: "issue#1", trust: "untrusted", text: "hello\nBEGIN\nEND" },
            { name: "spec", trust: "trusted", text: "BEGIN\nEND" }
          ],
          commands: ["echo BEGIN\nEND"]
        }
        const detect = (over: ReadonlyArray<string>) => ({
          detect: { contentRegex: { pattern: "BEGIN\\nEND", over } }
        })
        const all = yield* run(
          [rule("multi", detect(["changes", "untrusted-sources", "commands"]))],
          change,
          context
        )
        expect(all.violations.map((v) => v.location)).toEqual([
          { file: "README.md", line: 2, column: 1 },
          { file: "source:issue#1", line: 2, column: 1 },
          { file: "command", pointer: "/commands/0" }
        ])
        const trusted = yield* run([rule("multi", detect(["trusted-sources"]))], change, context)
        expect(trusted.violations.map((v) => v.location?.file)).toEqual(["source:spec"])
      })
  )

  it.effect(
    "path rules: protected globs (by status, renames checked on both paths) and writes outside the declared scope",
    () =>
      Effect.gen(function* () {
        const change: ChangeSet = {
          files: [
            file("src/a.ts", ["x"]),
            file("config/prod.yml", ["x"]),
            { path: "lib/moved.ts", oldPath: "config/secret.yml", status: "renamed", added: [], removed: [] }
          ]
        }
        const prot = yield* run([rule("prot", { detect: { path: { protected: ["config/**"] } } })], change)
        expect(prot.violations.map((v) => v.location?.file)).toEqual(["config/prod.yml", "config/secret.yml"])
        const onlyDeleted = yield* run(
          [rule("prot", { detect: { path: { protected: ["config/**"], statuses: ["deleted"] } } })],
          change
        )
        expect(onlyDeleted.violations).toEqual([])
        const scope = yield* run([rule("scope", { detect: { path: { outsideScope: true } } })], change, {
          phase: "implement",
          scope: ["src/**", "lib/**"]
        })
        expect(scope.violations.map((v) => v.location?.file)).toEqual([
          "config/prod.yml",
          "config/secret.yml"
        ])
        const noScope = yield* run([rule("scope", { detect: { path: { outsideScope: true } } })], change)
        expect(noScope.violations).toEqual([])
      })
  )

  it.effect(
    "counts: files, lines added and removed, deleted and skipped tests, over the files the rule applies to",
    () =>
      Effect.gen(function* () {
        const change: ChangeSet = {
          files: [
            file("src/a.ts", ["1", "2", "3"]),
            file("docs/x.md", ["1"]),
            {
              path: "test/old.test.ts",
              status: "deleted",
              added: [],
              removed: [{ line: 1, text: 'it("works", () => {})' }]
            },
            file("src/b.spec.ts", ['it.skip("later", () => {})', 'describe.skip("suite", () => {})'])
          ]
        }
        const count = (metric: string, max: number, appliesTo?: unknown) =>
          run(
            [
              rule(metric.toLowerCase(), {
                detect: { count: { metric, max } },
                ...(appliesTo ? { appliesTo } : {})
              })
            ],
            change
          )
        expect((yield* count("filesChanged", 3)).violations[0]?.message).toBe(
          "rule fileschanged fired: 4 files changed (at most 3 allowed)"
        )
        expect((yield* count("filesChanged", 4)).violations).toEqual([])
        expect((yield* count("linesAdded", 2, { paths: ["src/**"] })).violations[0]?.message).toContain(
          "5 lines added"
        )
        expect((yield* count("linesRemoved", 0)).violations[0]?.message).toContain("1 lines removed")
        const deleted = yield* count("deletedTests", 0)
        expect(deleted.violations.map((v) => v.location)).toEqual([{ file: "test/old.test.ts" }])
        const skipped = yield* count("skippedTests", 0)
        expect(skipped.violations.map((v) => v.location)).toEqual([
          { file: "src/b.spec.ts", line: 1 },
          { file: "src/b.spec.ts", line: 2 }
        ])
      })
  )

  it.effect("intent: declared intent vs the change; forbidden resource actions by type glob", () =>
    Effect.gen(function* () {
      const change: ChangeSet = {
        files: [],
        resources: [
          { address: "aws_db_instance.main", type: "aws_db_instance", action: "replace" },
          { address: "aws_iam_role.r", type: "aws_iam_role", action: "destroy" }
        ]
      }
      const declared = yield* run(
        [rule("intent", { layer: "L1", detect: { intent: { matchDeclared: true } } })],
        change,
        { phase: "implement", intent: "update" }
      )
      expect(declared.violations[0]?.message).toBe(
        "rule intent fired: declared intent update, but the change creates 1, updates 0 and destroys 2 resource(s) (inferred: migrate)"
      )
      expect(declared.intent).toEqual({
        inferred: "migrate",
        creates: 1,
        updates: 0,
        destroys: 2,
        imports: 0
      })
      const matching = yield* run([rule("intent", { detect: { intent: { matchDeclared: true } } })], change, {
        phase: "implement",
        intent: "migrate"
      })
      expect(matching.violations).toEqual([])
      const forbid = yield* run(
        [
          rule("stateful", {
            detect: { intent: { forbid: ["destroy", "replace"], resourceTypes: ["aws_db_*"] } }
          })
        ],
        change
      )
      expect(forbid.violations.map((v) => [v.location, v.message])).toEqual([
        [
          { resource: "aws_db_instance.main" },
          "rule stateful fired: aws_db_instance.main (aws_db_instance) would be replaced (destroyed and re-created)"
        ]
      ])
    })
  )

  it.effect(
    "secrets: the redaction detectors over added lines; the secret itself never appears in the message",
    () =>
      Effect.gen(function* () {
        const change: ChangeSet = {
          files: [
            file("src/c.ts", [
              "const ok = 1",
              'const gh = "ghp_abcdefghijklmnopqrstuvwxyzABCDEF012345"',
              "mail me: dev@example.com"
            ]),
            file("img.png", ["AKIAIOSFODNN7EXAMPLE"], { binary: true })
          ]
        }
        const result = yield* run(
          [rule("secrets", { severity: "critical", detect: { secrets: {} } })],
          change
        )
        expect(result.violations.map((v) => [v.location, v.message])).toEqual([
          [
            { file: "src/c.ts", line: 2, column: 13 },
            "rule secrets fired: a secret (github-token) in an added line"
          ]
        ])
        expect(JSON.stringify(result)).not.toContain("ghp_abcdef")
        const emails = yield* run([rule("pii", { detect: { secrets: { types: ["email"] } } })], change)
        expect(emails.violations.map((v) => v.location?.line)).toEqual([3])
      })
  )

  it.effect("a regex excerpt that contains a secret is redacted in the message", () =>
    Effect.gen(function* () {
      const result = yield* run([rule("key-assign", { detect: { diffRegex: { pattern: "key = .*" } } })], {
        files: [file("a.ts", ['key = "AKIAIOSFODNN7EXAMPLE"'])]
      })
      expect(result.violations[0]?.message).toBe(
        'rule key-assign fired: added line matches: key = "[REDACTED:aws-access-key]"'
      )
    })
  )

  it.effect("appliesTo: phases and paths (excludePaths wins) select what a rule sees", () =>
    Effect.gen(function* () {
      const change: ChangeSet = {
        files: [file("src/a.ts", ["TODO"]), file("src/gen/b.ts", ["TODO"]), file("docs/c.md", ["TODO"])]
      }
      const scoped = rule("todo", {
        appliesTo: { phases: ["review"], paths: ["src/**"], excludePaths: ["src/gen/**"] },
        detect: { diffRegex: { pattern: "TODO" } }
      })
      expect((yield* run([scoped], change, { phase: "implement" })).violations).toEqual([])
      expect(
        (yield* run([scoped], change, { phase: "review" })).violations.map((v) => v.location?.file)
      ).toEqual(["src/a.ts"])
    })
  )

  it.effect("decisions: the strictest action wins; violations explain themselves in the N4 format", () =>
    Effect.gen(function* () {
      const change: ChangeSet = { files: [file("a.ts", ["A", "B", "C"])] }
      const result = yield* run(
        [
          rule("a", { action: "audit", severity: "info", detect: { diffRegex: { pattern: "A" } } }),
          rule("b", { action: "warn", severity: "medium", detect: { diffRegex: { pattern: "B" } } }),
          rule("c", {
            action: "require-approval",
            detect: { diffRegex: { pattern: "C" } },
            autoFixable: true
          })
        ],
        change
      )
      expect(result.decision).toBe("require-approval")
      expect(result.decisions).toEqual([
        { action: "require-approval", rules: ["c"], violations: 1 },
        { action: "warn", rules: ["b"], violations: 1 },
        { action: "audit", rules: ["a"], violations: 1 }
      ])
      expect(result.violations[2]?.explanation).toBe(
        [
          "[HIGH] Rule: c (acme/test@1.0.0) → require-approval",
          "Problem: rule c fired: added line matches: C",
          "Location: a.ts:3:1",
          "How to fix: fix c",
          "[Auto-fix available]"
        ].join("\n")
      )
      const clean = yield* run([rule("z")], { files: [file("a.ts", ["nothing"])] })
      expect(clean).toMatchObject({
        decision: "allow",
        violations: [],
        decisions: [],
        packs: ["acme/test@1.0.0"],
        omitted: 0
      })
    })
  )

  it.effect("matches beyond the per-rule cap are counted, not listed", () =>
    Effect.gen(function* () {
      const change: ChangeSet = {
        files: [
          file(
            "a.ts",
            Array.from({ length: 30 }, () => "hit")
          )
        ]
      }
      const result = yield* evaluatePacks({
        packs: [pack("acme/test", "1.0.0", [rule("hit")])],
        change,
        context: { phase: "implement" },
        maxMatchesPerRule: 10
      })
      expect(result.violations).toHaveLength(10)
      expect(result.omitted).toBe(20)
    })
  )
})

describe("properties", () => {
  it.effect(
    "a literal diffRegex reports exactly the added lines that contain the literal, with their columns",
    () =>
      Effect.promise(() =>
        fc.assert(
          fc.asyncProperty(
            fc.stringMatching(/^[a-z]{1,4}$/),
            fc.array(fc.stringMatching(/^[a-z .()]{0,12}$/), { minLength: 1, maxLength: 12 }),
            async (word, lines) => {
              const result = await Effect.runPromise(
                run([rule("lit", { detect: { diffRegex: { pattern: word } } })], {
                  files: [file("a.txt", lines)]
                })
              )
              const expected = lines.flatMap((text, i) =>
                text.includes(word) ? [{ file: "a.txt", line: i + 1, column: text.indexOf(word) + 1 }] : []
              )
              expect(result.violations.map((v) => v.location)).toEqual(expected)
              expect(result.decision).toBe(expected.length > 0 ? "block" : "allow")
            }
          ),
          { numRuns: 15 }
        )
      )
  )
})

describe("fail closed", () => {
  it.effect(
    "a catastrophic regex ((a+)+$ on aaaa…!) ends as a timeout naming the rule, within the budget",
    () =>
      Effect.gen(function* () {
        const change = Either.getOrThrow(
          parseUnifiedDiff(`--- a/x\n+++ b/x\n@@ -0,0 +1 @@\n+${"a".repeat(40)}!\n`)
        )
        const started = Date.now()
        const error = yield* Effect.flip(
          run(
            [rule("ok"), rule("redos", { detect: { diffRegex: { pattern: "(a+)+$" } } })],
            change,
            { phase: "implement" },
            300
          )
        )
        const elapsed = Date.now() - started
        expect(error).toMatchObject({
          _tag: "PolicyEvaluationFailed",
          reason: "timeout",
          ruleId: "redos",
          pack: "acme/test@1.0.0"
        })
        expect(error.message).toContain("300 ms")
        expect(elapsed).toBeLessThan(3000)
      })
  )

  it.effect(
    "a budget overrun caused by this thread's own work is not blamed on a worker that already finished",
    () =>
      Effect.gen(function* () {
        // ~60,000 added lines: the secret scan in this thread takes longer than the 40 ms budget, the worker's one
        // cheap regex does not
        const lines = Array.from(
          { length: 60_000 },
          (_, i) => `const value${i} = compute(${i}, "label-${i}")`
        )
        const started = performance.now()
        const result = yield* run(
          [
            rule("secrets", { detect: { secrets: {} } }),
            rule("cheap", { detect: { diffRegex: { pattern: "^zzz" } } })
          ],
          { files: [file("big.ts", lines)] },
          { phase: "implement" },
          40
        )
        expect(performance.now() - started).toBeGreaterThan(40)
        expect(result.decision).toBe("allow")
      })
  )

  it.effect("a check module that is not loaded fails the evaluation (check-missing)", () =>
    Effect.gen(function* () {
      const error = yield* Effect.flip(
        run([rule("c", { detect: { check: { module: "checks/c.ts" } } })], { files: [] })
      )
      expect(error).toMatchObject({ reason: "check-missing", ruleId: "c" })
    })
  )
})
