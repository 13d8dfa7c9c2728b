/** The engine over memory stores with the evidence hook installed, writing bundles to a temporary directory. */
import { mkdtempSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { NodeFileSystem } from "@effect/platform-node"
import { type AgentScript, Agents, makeScriptedAgent } from "@gauntlet/agent"
import { Ids } from "@gauntlet/canonical"
import { EventLogMemory } from "@gauntlet/event-store-memory"
import { coreEventTypes, EventLog, EventTypes, type RunEvent } from "@gauntlet/event-stream"
import { Gates, predicateGate } from "@gauntlet/gate"
import { RunStoreMemory } from "@gauntlet/run-store-memory"
import { type SigningKey, signingKeyFromSeedHex } from "@gauntlet/signing"
import { WorkflowEngine } from "@gauntlet/workflow"
import { Chunk, Effect, Layer, Stream } from "effect"
import { EvidenceHook, EvidenceKey } from "../src/index.js"

/** A fixed test key (RFC 8032 seed 0x01…01) and a second one for "swapped key" cases. */
export const testKey: Effect.Effect<SigningKey> = Effect.orDie(signingKeyFromSeedHex("01".repeat(32)))
export const otherKey: Effect.Effect<SigningKey> = Effect.orDie(signingKeyFromSeedHex("02".repeat(32)))

/** A step that answers `{ ok: true }` with one artifact and usage. */
export const ok = (artifact?: string) => ({
  respond: {
    output: { ok: true },
    ...(artifact === undefined
      ? {}
      : { artifacts: [{ name: `${artifact}.txt`, content: `content of ${artifact}` }] }),
    usage: { inputTokens: 10, outputTokens: 5, costUsd: 0.001 }
  }
})
/** A step the `ok-gate` refuses. */
export const bad = (why = "not ok") => ({
  respond: { output: { ok: false, why }, usage: { inputTokens: 10, outputTokens: 5, costUsd: 0.001 } }
})

/** An L0 gate: the output must have `ok: true`. */
const okGate = predicateGate("ok-gate", "L0", (input) => {
  const output = input.output as { ok?: unknown; why?: unknown } | undefined
  return output?.ok === true
    ? []
    : [{ ruleId: "must-be-ok", severity: "high", message: `output is not ok: ${String(output?.why ?? "?")}` }]
})

/** A definition with phases a, b, c run by agent `bot` and gated by `ok-gate`. */
export const threePhases = (
  overrides: Record<string, unknown> = {},
  phase: Record<string, unknown> = {}
) => ({
  id: "demo",
  version: "1",
  family: "custom",
  phases: ["a", "b", "c"].map((name) => ({ name, agent: "bot", gates: ["ok-gate"], ...phase })),
  budget: {},
  ...overrides
})

/** A temporary evidence directory. */
export const tempDir = (): string => mkdtempSync(join(tmpdir(), "gauntlet-evidence-"))

/** Engine + stores + evidence hook + file system, for a scripted agent `bot`. */
export const engineWorld = (steps: AgentScript["steps"], directory: string, key: SigningKey) => {
  const agent = makeScriptedAgent({ id: "bot", steps })
  const stores = RunStoreMemory.layer.pipe(Layer.provideMerge(EventLogMemory.layer))
  const hook = EvidenceHook.layer({ directory }).pipe(
    Layer.provide(Layer.mergeAll(EvidenceKey.layer(key), NodeFileSystem.layer))
  )
  const base = Layer.mergeAll(
    Agents.layer([agent]),
    Gates.layer([okGate]),
    EventTypes.layer(coreEventTypes),
    Ids.layerDeterministic()
  )
  return WorkflowEngine.layer.pipe(Layer.provideMerge(hook), Layer.provideMerge(stores), Layer.provide(base))
}

/** Every stored event of a run, in seq order. */
export const eventsOf = (runId: string) =>
  Effect.flatMap(EventLog, (log) => Stream.runCollect(log.read(runId))).pipe(
    Effect.map((chunk): ReadonlyArray<RunEvent> => Chunk.toReadonlyArray(chunk))
  )
