import { makeModelRegistry, providersFromEnv } from "@gauntlet/models"
import { Effect, Either } from "effect"
import { writeLines } from "../output.js"

/** `gauntlet models list [--available] [--json]`: the registry over the providers configured in the environment. */
export const modelsList = (options: { readonly available: boolean; readonly json: boolean }) =>
  Effect.gen(function* () {
    const registry = yield* Either.match(makeModelRegistry({ providers: providersFromEnv(process.env) }), {
      onLeft: Effect.fail,
      onRight: Effect.succeed
    })
    const entries = registry.availability.filter((entry) => !options.available || entry.available)
    if (options.json)
      return yield* writeLines(
        entries.map((e) =>
          JSON.stringify({ ...e.model, available: e.available, reason: e.reason, pricesAsOf: registry.asOf })
        )
      )
    const header = ["MODEL", "PROVIDER", "TIER", "CONTEXT", "IN $/MTOK", "OUT $/MTOK", "AVAILABLE"]
    const rows = entries.map((e) => [
      e.model.id,
      e.model.provider,
      e.model.tier,
      String(e.model.contextWindow),
      e.model.pricing.inputPerMTok.toFixed(2),
      e.model.pricing.outputPerMTok.toFixed(2),
      e.available ? "yes" : `no: ${e.reason}`
    ])
    const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)))
    const line = (cells: ReadonlyArray<string>) =>
      cells
        .map((c, i) => c.padEnd(widths[i]!))
        .join("  ")
        .trimEnd()
    const usable = registry.available.length
    yield* writeLines([
      line(header),
      ...rows.map(line),
      `${usable} of ${registry.all.length} models available; prices as of ${registry.asOf}`
    ])
  })
