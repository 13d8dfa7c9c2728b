/**
 * Validates every golden case file (`golden/<area>/*.json`) against the golden case JSON Schema with ajv, without
 * running any adapter. Prints each problem as `<file> at <JSON pointer>: <message>` and exits 1, or prints the count
 * of valid cases per area and exits 0.
 *
 * Usage: tsx scripts/validate-golden.ts [golden dir, default: golden]
 */
import { NodeContext } from "@effect/platform-node"
import { loadGoldenCases } from "@gauntlet/conformance"
import { Effect } from "effect"

const dir = process.argv[2] ?? "golden"

const program = loadGoldenCases(dir).pipe(
  Effect.flatMap((cases) =>
    Effect.sync(() => {
      const perArea = new Map<string, number>()
      for (const c of cases) perArea.set(c.area, (perArea.get(c.area) ?? 0) + 1)
      const areas = [...perArea].map(([area, n]) => `${area} ${n}`).join(", ")
      process.stdout.write(`validate-golden: ${cases.length} valid cases in ${dir} (${areas})\n`)
    })
  ),
  Effect.catchAll((error) =>
    Effect.sync(() => {
      process.stderr.write(`validate-golden: ${error.message}\n`)
      process.exitCode = 1
    })
  )
)

await Effect.runPromise(program.pipe(Effect.provide(NodeContext.layer)))
