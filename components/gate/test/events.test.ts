import { describe, expect, it } from "@effect/vitest"
import { coreEvents } from "@gauntlet/event-stream"
import { Arbitrary, Either, FastCheck as fc, Schema } from "effect"
import {
  formatLocation,
  GateVerdict,
  gateStartedPayload,
  type Violation,
  verdictToEventPayload,
  violationToEvent
} from "../src/index.js"

const decodePassed = Schema.decodeUnknownEither(coreEvents.gatePassed.payload, { onExcessProperty: "error" })
const decodeFailed = Schema.decodeUnknownEither(coreEvents.gateFailed.payload, { onExcessProperty: "error" })
const decodeStarted = Schema.decodeUnknownEither(coreEvents.gateStarted.payload, {
  onExcessProperty: "error"
})

const high: Violation = {
  ruleId: "secrets/aws-key",
  severity: "high",
  message: "an AWS key in the diff",
  location: { file: "src/a.ts", line: 3, column: 7 },
  remediation: "remove the key",
  autoFixable: false,
  packId: "secrets",
  packVersion: "1.2.0"
}

describe("formatLocation", () => {
  it("writes file:line:column and #pointer", () => {
    expect(formatLocation({ file: "a.ts", line: 3, column: 7 })).toBe("a.ts:3:7")
    expect(formatLocation({ file: "a.ts", line: 3 })).toBe("a.ts:3")
    expect(formatLocation({ file: "a.ts" })).toBe("a.ts")
    expect(formatLocation({ pointer: "/plan/0" })).toBe("#/plan/0")
    expect(formatLocation({ pointer: "" })).toBe("#")
    expect(formatLocation({ file: "out.json", pointer: "/a" })).toBe("out.json#/a")
    expect(formatLocation({ line: 4 })).toBe("line:4")
    expect(formatLocation({})).toBeUndefined()
  })
})

describe("verdictToEventPayload", () => {
  it("a fail verdict becomes gate/failed with the catalogue's violation shape", () => {
    const event = verdictToEventPayload({
      gate: "secrets",
      layer: "L2",
      status: "fail",
      violations: [high],
      durationMs: 12,
      reason: "blocking violations: secrets/aws-key",
      failureClass: "policy"
    })
    expect(event).toEqual({
      type: "gate/failed",
      payload: {
        gate: "secrets",
        layer: "L2",
        failureClass: "policy",
        reason: "blocking violations: secrets/aws-key",
        violations: [
          {
            ruleId: "secrets/aws-key",
            message: "an AWS key in the diff",
            severity: "high",
            pack: "secrets",
            packVersion: "1.2.0",
            location: "src/a.ts:3:7"
          }
        ],
        failedClosed: false,
        durationMs: 12
      }
    })
    expect(Either.isRight(decodeFailed(event.payload))).toBe(true)
  })

  it("an error verdict is gate/failed with failedClosed", () => {
    const event = verdictToEventPayload({
      gate: "lint",
      layer: "L1",
      status: "error",
      violations: [],
      durationMs: 250,
      reason: "the check timed out after 250 ms",
      failureClass: "timeout"
    })
    expect(event.type).toBe("gate/failed")
    expect(event.payload).toMatchObject({ failedClosed: true, failureClass: "timeout" })
  })

  it("a blocking verdict without class or reason gets defaults", () => {
    const failed = verdictToEventPayload({
      gate: "g",
      layer: "L0",
      status: "fail",
      violations: [high],
      durationMs: 0
    })
    expect(failed.payload).toMatchObject({ failureClass: "agent-error", reason: "gate g failed" })
    const errored = verdictToEventPayload({
      gate: "g",
      layer: "L3",
      status: "error",
      violations: [],
      durationMs: 0
    })
    expect(errored.payload).toMatchObject({ failureClass: "unknown", reason: "gate g failed closed" })
  })

  it("pass and warn become gate/passed; warnings only when there are violations", () => {
    expect(
      verdictToEventPayload({ gate: "g", layer: "L0", status: "pass", violations: [], durationMs: 1 })
    ).toEqual({
      type: "gate/passed",
      payload: { gate: "g", layer: "L0", durationMs: 1 }
    })
    const warn = verdictToEventPayload({
      gate: "g",
      layer: "L2",
      status: "warn",
      violations: [{ ruleId: "r", severity: "low", message: "m" }],
      durationMs: 1
    })
    expect(warn).toEqual({
      type: "gate/passed",
      payload: {
        gate: "g",
        layer: "L2",
        durationMs: 1,
        warnings: [{ ruleId: "r", severity: "low", message: "m" }]
      }
    })
  })

  it("every verdict maps onto a payload the event catalogue accepts (property)", () => {
    fc.assert(
      fc.property(Arbitrary.make(GateVerdict), (verdict) => {
        const event = verdictToEventPayload(verdict)
        const accepted =
          event.type === "gate/passed"
            ? Either.isRight(decodePassed(event.payload))
            : Either.isRight(decodeFailed(event.payload))
        expect(accepted).toBe(true)
        expect(event.type === "gate/failed").toBe(verdict.status === "fail" || verdict.status === "error")
      }),
      { numRuns: 300 }
    )
  })

  it("violationToEvent drops remediation and autoFixable, renames packId", () => {
    const event = violationToEvent(high)
    expect(Object.keys(event).sort()).toEqual([
      "location",
      "message",
      "pack",
      "packVersion",
      "ruleId",
      "severity"
    ])
  })

  it("gateStartedPayload fits gate/started", () => {
    const payload = gateStartedPayload({ name: "g", layer: "L1" }, "verify")
    expect(payload).toEqual({ gate: "g", layer: "L1", phase: "verify" })
    expect(Either.isRight(decodeStarted(payload))).toBe(true)
    expect(Either.isRight(decodeStarted(gateStartedPayload({ name: "g", layer: "L0" })))).toBe(true)
  })
})
