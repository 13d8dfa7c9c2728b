/**
 * @module bench/models
 * The models benchmark (issue 6): router decision p99 over 20,000 varied tasks; replaying 1,000 cassette calls
 * through the chokepoint (file load and parse included); the chokepoint's overhead over a raw provider call, both
 * with the real OpenAI provider (`@gauntlet/provider-openai`, official `openai` SDK) against a loopback server that
 * speaks Chat Completions. One JSON line per figure on stdout.
 */

import { mkdtempSync, rmSync, writeFileSync } from "node:fs"
import { createServer } from "node:http"
import type { AddressInfo } from "node:net"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { performance } from "node:perf_hooks"
import { NodeFileSystem } from "@effect/platform-node"
import { BudgetLedger, makeBudgetState } from "@gauntlet/budget"
import { Ids } from "@gauntlet/canonical"
import { EventLogMemory } from "@gauntlet/event-store-memory"
import { coreEventTypes, EventTypes } from "@gauntlet/event-stream"
import {
  Cassette,
  type CassetteEntry,
  Llm,
  type LlmProvider,
  LlmProviders,
  type LlmRequest,
  normalizeRequest,
  requestDigestOf,
  StageCache
} from "@gauntlet/llm"
import {
  builtInCatalog,
  ModelRegistry,
  makeModelRegistry,
  routeModel,
  type TaskFacts
} from "@gauntlet/models"
import { makeOpenAiProvider } from "@gauntlet/provider-openai"
import { Effect, Either, Layer } from "effect"

const emit = (metric: string, value: number, unit: string) =>
  process.stdout.write(
    `${JSON.stringify({ bench: "models", metric, value: Math.round(value * 1000) / 1000, unit })}\n`
  )

const percentile = (samples: Array<number>, p: number): number => {
  const sorted = [...samples].sort((a, b) => a - b)
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] as number
}

const routerP99 = () => {
  const registry = Either.getOrThrow(
    makeModelRegistry({
      providers: ["anthropic", "openai", "google", "local"].map((id) => ({ id, via: "bench" }))
    })
  )
  const phases = ["plan", "implement", "verify", "review"]
  const paths = ["src/a.ts", "db/migrations/1.sql", "src/auth/login.ts", "docs/x.md", "api/user.schema.json"]
  const strategies = ["automatic", "cost", "quality", "local-only"] as const
  const tasks: Array<TaskFacts> = Array.from({ length: 20_000 }, (_, i) => ({
    phase: phases[i % phases.length] as string,
    files: paths.slice(0, (i % 5) + 1),
    linesChanged: (i * 37) % 900,
    contextTokens: (i * 911) % 60_000,
    private: i % 17 === 0
  }))
  const samples: Array<number> = []
  for (let i = 0; i < tasks.length; i++) {
    const start = performance.now()
    routeModel({
      facts: tasks[i] as TaskFacts,
      models: registry.all,
      isAvailable: registry.isAvailable,
      strategy: strategies[i % 4],
      attempt: 1 + (i % 3),
      failedModels: i % 3 === 0 ? [] : ["openai/gpt-5-mini"]
    })
    samples.push(performance.now() - start)
  }
  emit("router_p99_ms", percentile(samples.slice(2000), 99), "ms")
}

const RUN = "0190f0e0-0000-7000-8000-00000000be4c"
const ctx = { runId: RUN, phase: "implement" }

const chokepointLayer = (providers: ReadonlyArray<LlmProvider>, cassette: Layer.Layer<Cassette>) =>
  Layer.provideMerge(
    Llm.layer(),
    Layer.mergeAll(
      EventLogMemory.layer.pipe(Layer.provide(Layer.merge(EventTypes.layer(coreEventTypes), Ids.layer))),
      BudgetLedger.layer(makeBudgetState({ run: { costUsd: 1_000_000 } })),
      ModelRegistry.layer({ catalog: builtInCatalog, providers: [{ id: "openai", via: "bench" }] }),
      LlmProviders.layer(providers),
      cassette,
      StageCache.layerNone,
      Ids.layer
    )
  ).pipe(Layer.orDie)

const ask = (i: number): LlmRequest => ({
  model: "openai/gpt-4.1-mini",
  messages: [{ role: "user", content: `Summarise change ${i} in one line.` }],
  maxOutputTokens: 200
})

const writeCassette = (file: string, offset: number) => {
  const lines: Array<string> = []
  for (let i = offset; i < offset + 1000; i++) {
    const request = { ...ask(i), model: "gpt-4.1-mini" }
    const normalized = normalizeRequest("openai", request)
    const entry: CassetteEntry = {
      digest: requestDigestOf(normalized),
      request: normalized,
      response: {
        model: "gpt-4.1-mini",
        content: [{ type: "text", text: `Change ${i}: fine.` }],
        text: `Change ${i}: fine.`,
        finishReason: "stop",
        usage: { inputTokens: 20, outputTokens: 6 }
      }
    }
    lines.push(JSON.stringify(entry))
  }
  writeFileSync(file, `${lines.join("\n")}\n`)
}

/** Loads a fresh 1,000-entry cassette and replays every call through the chokepoint; returns the elapsed ms. */
const replayThousand = (file: string, offset: number) =>
  Effect.runPromise(
    Effect.gen(function* () {
      const start = performance.now()
      const llm = yield* Llm
      for (let i = offset; i < offset + 1000; i++) yield* llm.complete(ask(i), ctx)
      return performance.now() - start
    }).pipe(
      Effect.provide(chokepointLayer([], Cassette.replay(file).pipe(Layer.provide(NodeFileSystem.layer))))
    )
  )

const cassetteReplay = async () => {
  const dir = mkdtempSync(join(tmpdir(), "gauntlet-bench-cassette-"))
  const cold = join(dir, "cold.jsonl")
  const warm = join(dir, "warm.jsonl")
  writeCassette(cold, 0)
  writeCassette(warm, 1000)
  // The first replay pays the JIT warm-up; the second (a different file, loaded and parsed inside the timing) is
  // the steady state a CI job replaying many calls sees.
  const coldMs = await replayThousand(cold, 0)
  const warmMs = await replayThousand(warm, 1000)
  rmSync(dir, { recursive: true, force: true })
  emit("cassette_replay_1000_cold_ms", coldMs, "ms")
  emit("cassette_replay_1000_ms", warmMs, "ms")
}

const loopbackServer = async () => {
  const server = createServer((req, res) => {
    const chunks: Array<Buffer> = []
    req.on("data", (c: Buffer) => chunks.push(c))
    req.on("end", () => {
      const body = JSON.parse(Buffer.concat(chunks).toString("utf8")) as { model: string }
      res.writeHead(200, { "content-type": "application/json", "x-request-id": "req_bench" })
      res.end(
        JSON.stringify({
          id: "chatcmpl-bench",
          object: "chat.completion",
          created: 1_700_000_000,
          model: body.model,
          choices: [
            { index: 0, message: { role: "assistant", content: "ok" }, finish_reason: "stop", logprobs: null }
          ],
          usage: { prompt_tokens: 20, completion_tokens: 1, total_tokens: 21 }
        })
      )
    })
  })
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve))
  return {
    baseUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve()))
  }
}

const chokepointOverhead = async () => {
  const server = await loopbackServer()
  const provider = makeOpenAiProvider({ apiKey: "sk-bench", baseUrl: server.baseUrl })
  const layer = chokepointLayer([provider], Cassette.live)
  const { raw, through } = await Effect.runPromise(
    Effect.gen(function* () {
      const llm = yield* Llm
      const raw: Array<number> = []
      const through: Array<number> = []
      for (let i = 0; i < 3000; i++) {
        const a = performance.now()
        yield* provider.complete({ ...ask(i), model: "gpt-4.1-mini" })
        const b = performance.now()
        yield* llm.complete(ask(i), ctx)
        const c = performance.now()
        if (i >= 1000) {
          raw.push(b - a)
          through.push(c - b)
        }
      }
      return { raw, through }
    }).pipe(Effect.provide(layer))
  )
  await server.close()
  emit("raw_provider_call_p50_ms", percentile(raw, 50), "ms")
  emit("chokepoint_call_p50_ms", percentile(through, 50), "ms")
  emit("chokepoint_overhead_p50_ms", percentile(through, 50) - percentile(raw, 50), "ms")
}

/** Runs the three measurements in order. */
export const main = async (): Promise<void> => {
  routerP99()
  await cassetteReplay()
  await chokepointOverhead()
}
