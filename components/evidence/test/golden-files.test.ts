import { existsSync, readFileSync, writeFileSync } from "node:fs"
import { join } from "node:path"
import { describe, expect, it } from "@effect/vitest"
import type { RunEvent } from "@gauntlet/event-stream"
import { detectSecrets, redactJson, redactText } from "@gauntlet/redaction"
import { type KeyDescriptor, signingKeyFromSeedHex } from "@gauntlet/signing"
import { Effect } from "effect"
import { buildEvidenceBundle, readBundleStatements, verifyEvidenceBundle } from "../src/index.js"
import { goldenInputs } from "./golden-cases.js"

type Input = Record<string, unknown>
const joinLines = (lines: ReadonlyArray<string>) => lines.map((l) => `${l}\n`).join("")

/**
 * What the golden adapters (bases/cli/src/internal/conformance/areas/evidence.ts and redaction.ts) answer, computed
 * here through the library (a component never imports a base); bases/cli/test/golden.test.ts runs the same files
 * through the adapters themselves.
 */
const expectedOf = (area: string, input: Input) =>
  Effect.gen(function* () {
    if (area === "redaction") {
      if (input.op === "detect") return { findings: detectSecrets(input.text as string) }
      if (input.op === "redact-text") return redactText(input.text as string)
      return redactJson(input.value)
    }
    if (input.op === "verify") {
      return verifyEvidenceBundle({
        bundle: joinLines(input.bundle as ReadonlyArray<string>),
        keys: input.keys as ReadonlyArray<KeyDescriptor>,
        ...(input.events === undefined ? {} : { events: input.events as ReadonlyArray<RunEvent> })
      })
    }
    const key = yield* Effect.orDie(signingKeyFromSeedHex(input.seedHex as string))
    const events = input.events as ReadonlyArray<RunEvent>
    const bundle = yield* Effect.orDie(
      buildEvidenceBundle({
        runId: input.runId as string,
        events,
        keys: [key],
        context: input.context as never
      })
    )
    return {
      bundle: bundle.text.split("\n").filter((l) => l.length > 0),
      predicateTypes: readBundleStatements(bundle.text).map((s) => s.predicateType),
      verification: verifyEvidenceBundle({ bundle: bundle.text, keys: [key.publicKey], events })
    }
  })

const root = join(import.meta.dirname, "../../../golden")
const update = process.env.UPDATE_GOLDEN === "1" || process.env.UPDATE_GOLDEN === "true"

describe("golden files of areas evidence and redaction", () => {
  it.effect(
    "the committed cases equal the generated inputs and the adapters' answers (UPDATE_GOLDEN=1 rewrites)",
    () =>
      Effect.gen(function* () {
        for (const c of yield* goldenInputs) {
          const expected = JSON.parse(JSON.stringify(yield* expectedOf(c.area, c.input as Input))) as unknown
          const file = join(root, c.area, `${c.name}.json`)
          const content = { requirement: c.requirement, description: c.description, input: c.input, expected }
          const text = `${JSON.stringify(content, null, 2)}\n`
          if (update && !process.env.CI) writeFileSync(file, text)
          expect(existsSync(file), file).toBe(true)
          expect(JSON.parse(readFileSync(file, "utf8")), file).toEqual(JSON.parse(text))
        }
      })
  )
})
