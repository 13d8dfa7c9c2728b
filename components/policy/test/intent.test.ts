import { describe, expect, it } from "@effect/vitest"
import { Either } from "effect"
import fc from "fast-check"
import {
  changeSetFromTerraformPlan,
  type Intent,
  inferIntent,
  inferIntentFromCounts,
  intentAllows,
  parseUnifiedDiff
} from "../src/index.js"

const counts = (creates: number, updates: number, destroys: number, imports = 0) => ({
  creates,
  updates,
  destroys,
  imports
})

describe("the intent table", () => {
  it("Miniforge N4 §9.2 conformance vectors", () => {
    expect(intentAllows("import", counts(3, 0, 0))).toBe(false)
    expect(intentAllows("import", counts(0, 0, 0))).toBe(true)
    expect(intentAllows("create", counts(5, 2, 0))).toBe(true)
    expect(intentAllows("update", counts(1, 3, 0))).toBe(false)
  })

  it("each row", () => {
    expect(intentAllows("create", counts(1, 0, 1))).toBe(false)
    expect(intentAllows("update", counts(0, 2, 0))).toBe(true)
    expect(intentAllows("destroy", counts(0, 0, 2))).toBe(true)
    expect(intentAllows("destroy", counts(0, 1, 2))).toBe(false)
    expect(intentAllows("refactor", counts(0, 0, 0))).toBe(true)
    expect(intentAllows("refactor", counts(0, 0, 0, 1))).toBe(false)
    expect(intentAllows("migrate", counts(1, 0, 1))).toBe(true)
    expect(intentAllows("migrate", counts(1, 1, 1))).toBe(false)
  })

  it("inference: nothing → refactor (import with imports), replace-like → migrate, both updates and destroys → mixed", () => {
    expect(inferIntentFromCounts(counts(0, 0, 0))).toBe("refactor")
    expect(inferIntentFromCounts(counts(0, 0, 0, 2))).toBe("import")
    expect(inferIntentFromCounts(counts(5, 2, 0))).toBe("create")
    expect(inferIntentFromCounts(counts(0, 3, 0))).toBe("update")
    expect(inferIntentFromCounts(counts(0, 0, 1))).toBe("destroy")
    expect(inferIntentFromCounts(counts(2, 0, 2))).toBe("migrate")
    expect(inferIntentFromCounts(counts(0, 1, 1))).toBe("mixed")
    expect(inferIntentFromCounts(counts(1, 1, 1))).toBe("mixed")
  })

  it("property: an inferred intent (other than mixed) is always allowed by the table for the same counts", () => {
    const n = fc.nat({ max: 4 })
    fc.assert(
      fc.property(n, n, n, n, (c, u, d, i) => {
        const inferred = inferIntentFromCounts(counts(c, u, d, i))
        if (inferred !== "mixed") expect(intentAllows(inferred as Intent, counts(c, u, d, i))).toBe(true)
        else
          expect(
            (["create", "update", "destroy", "migrate"] as const).some((x) =>
              intentAllows(x, counts(c, u, d, i))
            )
          ).toBe(false)
      })
    )
  })
})

describe("changeSetFromTerraformPlan", () => {
  const plan = {
    format_version: "1.2",
    resource_changes: [
      { address: "aws_s3_bucket.a", type: "aws_s3_bucket", change: { actions: ["create"] } },
      { address: "aws_iam_role.b", type: "aws_iam_role", change: { actions: ["update"] } },
      { address: "aws_db_instance.c", type: "aws_db_instance", change: { actions: ["delete", "create"] } },
      { address: "aws_instance.d", type: "aws_instance", change: { actions: ["create", "delete"] } },
      { address: "aws_sqs_queue.e", type: "aws_sqs_queue", change: { actions: ["delete"] } },
      { address: "aws_vpc.f", type: "aws_vpc", change: { actions: ["no-op"], importing: { id: "vpc-1" } } },
      { address: "data.aws_ami.g", type: "aws_ami", change: { actions: ["read"] } },
      { address: "aws_vpc.h", type: "aws_vpc", change: { actions: ["no-op"] } }
    ]
  }

  it("maps actions: create, update, delete+create and create+delete → replace, delete, importing no-op → import, read, no-op", () => {
    const change = Either.getOrThrow(changeSetFromTerraformPlan(plan))
    expect(change.resources?.map((r) => r.action)).toEqual([
      "create",
      "update",
      "replace",
      "replace",
      "destroy",
      "import",
      "read",
      "no-op"
    ])
    expect(inferIntent(change)).toEqual({
      intent: "mixed",
      counts: { creates: 3, updates: 1, destroys: 3, imports: 1 }
    })
  })

  it("a replace counts as a create and a destroy: migrate", () => {
    const change = Either.getOrThrow(
      changeSetFromTerraformPlan({
        resource_changes: [{ address: "a.b", type: "a", change: { actions: ["delete", "create"] } }]
      })
    )
    expect(inferIntent(change).intent).toBe("migrate")
  })

  it("refuses malformed plans with a pointer", () => {
    const err = (value: unknown) => Either.flip(changeSetFromTerraformPlan(value)).pipe(Either.getOrThrow)
    expect(err([]).pointer).toBe("")
    expect(err({ resource_changes: {} }).pointer).toBe("/resource_changes")
    expect(err({ resource_changes: [{ type: "x", change: { actions: [] } }] }).pointer).toBe(
      "/resource_changes/0/address"
    )
    expect(
      err({ resource_changes: [{ address: "a.b", type: "a", change: { actions: ["explode"] } }] })
    ).toMatchObject({
      pointer: "/resource_changes/0/change/actions",
      reason: "unknown action combination [explode]"
    })
  })
})

describe("intent over a diff of Terraform files", () => {
  it("resource headers added → create, removed → destroy, both → update; other .tf edits → update; code only → refactor", () => {
    const diff = [
      "--- a/infra/main.tf",
      "+++ b/infra/main.tf",
      "@@ -1,2 +1,2 @@",
      '-resource "aws_db_instance" "old" {',
      '+resource "aws_s3_bucket" "logs" {',
      '-resource "aws_iam_role" "r" {',
      '+resource "aws_iam_role" "r" {',
      "--- a/infra/vars.tf",
      "+++ b/infra/vars.tf",
      "@@ -1 +1 @@",
      '-  default = "a"',
      '+  default = "b"',
      "--- a/src/app.ts",
      "+++ b/src/app.ts",
      "@@ -1 +1 @@",
      "-a",
      "+b"
    ].join("\n")
    const change = Either.getOrThrow(parseUnifiedDiff(`${diff}\n`))
    expect(inferIntent(change)).toEqual({
      intent: "mixed",
      counts: { creates: 1, updates: 2, destroys: 1, imports: 0 }
    })
    const codeOnly = Either.getOrThrow(
      parseUnifiedDiff("--- a/src/app.ts\n+++ b/src/app.ts\n@@ -1 +1 @@\n-a\n+b\n")
    )
    expect(inferIntent(codeOnly).intent).toBe("refactor")
    const imports = Either.getOrThrow(
      parseUnifiedDiff("--- a/i.tf\n+++ b/i.tf\n@@ -0,0 +1,2 @@\n+import {\n+}\n")
    )
    expect(inferIntent(imports)).toEqual({
      intent: "import",
      counts: { creates: 0, updates: 0, destroys: 0, imports: 1 }
    })
  })
})
