import { describe, expect, it } from "@effect/vitest"
import {
  coreEvents,
  coreEventTypes,
  defineEventType,
  EventTypes,
  InvalidEventTypeSpec,
  makeEventTypeRegistry
} from "@gauntlet/event-stream"
import { FAILURE_CLASSES } from "@gauntlet/failure"
import { Effect, Either, Exit, Schema } from "effect"
import { amountSet, noteAdded } from "./fixtures.js"

const failure = (specs: Parameters<typeof makeEventTypeRegistry>[0]) => {
  const result = makeEventTypeRegistry(specs)
  if (Either.isRight(result)) throw new Error("expected the registry to be refused")
  return result.left
}

describe("event-type registry", () => {
  it("registers the kernel catalogue and reports its types sorted", () => {
    const registry = Either.getOrThrow(makeEventTypeRegistry(coreEventTypes))
    expect(registry.types).toHaveLength(31)
    expect(registry.types).toEqual([...registry.types].sort())
    expect(registry.get("gate/failed")?.spec).toBe(coreEvents.gateFailed)
    expect(registry.get("gate/unknown")).toBeUndefined()
  })

  it("marks JSON-shaped payload schemas for the fast path and transforming ones for the exact decoder", () => {
    const registry = Either.getOrThrow(makeEventTypeRegistry([...coreEventTypes, noteAdded, amountSet]))
    for (const spec of coreEventTypes) expect(registry.get(spec.type)?.fast, spec.type).toBe(true)
    expect(registry.get("test/amount-set")?.fast).toBe(false)
  })

  it("refuses a duplicate type", () => {
    const again = defineEventType({ ...noteAdded, version: 2 })
    const error = failure([noteAdded, again])
    expect(error).toBeInstanceOf(InvalidEventTypeSpec)
    expect(error).toMatchObject({ type: "test/note-added", reason: "duplicate" })
    expect(error.message).toBe('event type "test/note-added": duplicate: registered twice (versions 1 and 2)')
  })

  it("refuses malformed type names and versions", () => {
    const payload = Schema.Struct({})
    expect(failure([{ type: "NoDomain", version: 1, description: "x", payload }])).toMatchObject({
      reason: "bad-type"
    })
    expect(failure([{ type: "a/B", version: 1, description: "x", payload }])).toMatchObject({
      reason: "bad-type"
    })
    expect(failure([{ type: "stream/overflow", version: 1, description: "x", payload }])).toMatchObject({
      reason: "bad-type"
    })
    expect(failure([{ type: "a/b", version: 0, description: "x", payload }])).toMatchObject({
      reason: "bad-version"
    })
    expect(failure([{ type: "a/b", version: 1.5, description: "x", payload }])).toMatchObject({
      reason: "bad-version"
    })
  })

  it.effect("EventTypes.layer provides the registry, and fails the layer on a bad catalogue", () =>
    Effect.gen(function* () {
      const registry = yield* Effect.provide(EventTypes, EventTypes.layer([noteAdded]))
      expect(registry.types).toEqual(["test/note-added"])
      const exit = yield* Effect.exit(Effect.provide(EventTypes, EventTypes.layer([noteAdded, noteAdded])))
      expect(Exit.isFailure(exit)).toBe(true)
      expect(String(exit)).toContain("InvalidEventTypeSpec")
    })
  )
})

describe("kernel catalogue (N3-R14)", () => {
  it("has every type the kernel writes", () => {
    expect(coreEventTypes.map((spec) => spec.type)).toEqual([
      "workflow/started",
      "workflow/completed",
      "workflow/failed",
      "workflow/cancelled",
      "phase/started",
      "phase/completed",
      "phase/failed",
      "phase/skipped",
      "agent/started",
      "agent/completed",
      "agent/failed",
      "agent/status",
      "task/ready",
      "task/started",
      "task/succeeded",
      "task/failed",
      "task/skipped",
      "task/retried",
      "gate/started",
      "gate/passed",
      "gate/failed",
      "llm/request",
      "llm/response",
      "model/routed",
      "tool/invoked",
      "tool/completed",
      "approval/requested",
      "approval/granted",
      "approval/rejected",
      "run/paused",
      "run/resumed"
    ])
  })

  it("requires failureClass and reason on every */failed event, and accepts all ten classes (N3-R6)", () => {
    const failed = coreEventTypes.filter((spec) => spec.type.endsWith("/failed"))
    expect(failed).toHaveLength(5)
    for (const spec of failed) {
      const schema = spec.payload as Schema.Schema<unknown, unknown>
      const missing = Schema.decodeUnknownEither(schema)({})
      expect(Either.isLeft(missing), spec.type).toBe(true)
      const fields = (spec.payload as unknown as { fields: Record<string, unknown> }).fields
      expect(Object.keys(fields), spec.type).toEqual(expect.arrayContaining(["failureClass", "reason"]))
    }
    const decode = Schema.decodeUnknownEither(coreEvents.workflowFailed.payload, {
      onExcessProperty: "error"
    })
    for (const failureClass of FAILURE_CLASSES) {
      expect(Either.isRight(decode({ failureClass, reason: "boom" })), failureClass).toBe(true)
    }
    expect(Either.isLeft(decode({ failureClass: "flaky", reason: "boom" }))).toBe(true)
    expect(Either.isLeft(decode({ failureClass: "timeout", reason: "" }))).toBe(true)
  })

  it("accepts all eight agent statuses and nothing else (N3-R7)", () => {
    const decode = Schema.decodeUnknownEither(coreEvents.agentStatus.payload)
    const base = { agent: "implementer", agentInstanceId: "a-1" }
    for (const status of [
      "reading",
      "thinking",
      "generating",
      "validating",
      "repairing",
      "running",
      "waiting",
      "communicating"
    ]) {
      expect(Either.isRight(decode({ ...base, status })), status).toBe(true)
    }
    expect(Either.isLeft(decode({ ...base, status: "sleeping" }))).toBe(true)
    expect(Either.isLeft(decode({ ...base, status: "running", progressPercent: 101 }))).toBe(true)
  })

  it("makes a failed tool/completed carry its class and reason", () => {
    const decode = Schema.decodeUnknownEither(coreEvents.toolCompleted.payload, { onExcessProperty: "error" })
    const base = { invocationId: "i", tool: "sh", durationMs: 3 }
    expect(Either.isRight(decode({ ...base, outcome: "succeeded", exitCode: 0 }))).toBe(true)
    expect(Either.isLeft(decode({ ...base, outcome: "failed", exitCode: 1 }))).toBe(true)
    expect(
      Either.isRight(decode({ ...base, outcome: "failed", failureClass: "tool-error", reason: "exit 1" }))
    ).toBe(true)
  })
})
