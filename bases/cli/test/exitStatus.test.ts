import * as HelpDoc from "@effect/cli/HelpDoc"
import * as ValidationError from "@effect/cli/ValidationError"
import { SeqConflict, StoreFailure } from "@gauntlet/event-stream"
import { EXIT_CODES } from "@gauntlet/failure"
import { Cause, FiberId } from "effect"
import { describe, expect, it } from "vitest"
import {
  ChainBroken,
  ConformanceFailed,
  InvalidOptionValue,
  RunNotFound,
  StoreNotFound
} from "../src/internal/errors.js"
import { CLI_EXIT_CODES, exitStatusOf, exitStatusOfError } from "../src/internal/exitStatus.js"

const store = "/data/state.db"

describe("exitStatusOfError", () => {
  const cases: ReadonlyArray<readonly [string, unknown, number, string]> = [
    ["missing store", new StoreNotFound({ path: store }), 66, `no event store at ${store}`],
    ["unknown run", new RunNotFound({ runId: "r9", path: store }), 66, `no run "r9" in event store ${store}`],
    [
      "broken chain",
      new ChainBroken({ runId: "r1", path: store, brokenSeq: 3, reason: "hash-mismatch", detail: "d" }),
      EXIT_CODES["data-integrity"],
      "broken at seq 3 (hash-mismatch)"
    ],
    [
      "corrupt store",
      new StoreFailure({ reason: "corrupt", store, detail: "file is not a database (SQLITE_NOTADB)" }),
      EXIT_CODES["data-integrity"],
      `event store ${store}: corrupt: file is not a database`
    ],
    [
      "busy store",
      new StoreFailure({ reason: "busy", store, detail: "locked" }),
      EXIT_CODES.concurrency,
      "busy"
    ],
    [
      "unopenable store",
      new StoreFailure({ reason: "unavailable", store, detail: "EACCES" }),
      66,
      "unavailable"
    ],
    [
      "io failure",
      new StoreFailure({ reason: "io", store, detail: "disk I/O error" }),
      EXIT_CODES.resource,
      "io"
    ],
    [
      "seq conflict",
      new SeqConflict({ runId: "r1", expectedSeq: 2, actualSeq: 3 }),
      EXIT_CODES.concurrency,
      "expected head seq 2"
    ],
    [
      "bad option value",
      new InvalidOptionValue({ option: "--from-seq", value: "0", reason: "must be an integer ≥ 1" }),
      EXIT_CODES.usage,
      "invalid value for --from-seq: 0"
    ],
    [
      "failed conformance",
      new ConformanceFailed({ dir: "golden", failed: 2, skipped: 0 }),
      EXIT_CODES["task-code"],
      "2 case(s) failed"
    ],
    [
      "raw corrupt SQLite error",
      {
        _tag: "SqlError",
        message: "Failed to execute statement",
        cause: new Error("database disk image is malformed")
      },
      EXIT_CODES["data-integrity"],
      "Failed to execute statement"
    ],
    ["untagged error", new Error("boom\n    at somewhere (file.js:1:1)"), EXIT_CODES.unknown, "boom"]
  ]

  for (const [name, error, code, text] of cases) {
    it(`${name} → exit ${code}`, () => {
      const status = exitStatusOfError(error)
      expect(status.exitCode).toBe(code)
      expect(status.message).toContain(text)
      expect(status.message).not.toContain("\n")
      expect(status.message).not.toMatch(/\bat .*:\d+:\d+/)
    })
  }

  it("usage errors from @effect/cli → 2 with nothing more to print (the parser already printed them)", () => {
    const error = ValidationError.missingValue(HelpDoc.p("Expected to find option: '--run'"))
    expect(exitStatusOfError(error)).toEqual({ message: "", exitCode: 2 })
  })
})

describe("exitStatusOf (any Cause)", () => {
  it("a typed failure uses its table entry", () => {
    expect(exitStatusOf(Cause.fail(new StoreNotFound({ path: store }))).exitCode).toBe(66)
  })

  it("a defect is an internal error of class unknown, one line, no stack", () => {
    const status = exitStatusOf(Cause.die(new TypeError("x is not a function")))
    expect(status.exitCode).toBe(EXIT_CODES.unknown)
    expect(status.message).toBe("internal error: x is not a function")
  })

  it("a defect that is a known typed error keeps that error's code", () => {
    const status = exitStatusOf(Cause.die(new StoreFailure({ reason: "corrupt", store, detail: "x" })))
    expect(status.exitCode).toBe(EXIT_CODES["data-integrity"])
  })

  it("interruption (SIGINT/SIGTERM) → 130", () => {
    expect(exitStatusOf(Cause.interrupt(FiberId.none))).toEqual({
      message: "interrupted",
      exitCode: CLI_EXIT_CODES.interrupted
    })
  })

  it("the CLI's own codes do not collide with the taxonomy's", () => {
    const taxonomy = new Set<number>(Object.values(EXIT_CODES))
    expect(taxonomy.has(CLI_EXIT_CODES.noInput)).toBe(false)
    expect(taxonomy.has(CLI_EXIT_CODES.interrupted)).toBe(false)
  })
})
