import { FileSystem, Path } from "@effect/platform"
import { NodeContext } from "@effect/platform-node"
import { expect, layer } from "@effect/vitest"
import { Effect } from "effect"
import { goldenSigningCases } from "./golden-cases.js"

const GOLDEN_DIR = new URL("../../../golden/signing/", import.meta.url).pathname

layer(NodeContext.layer)("golden/signing", (it) => {
  it.effect(
    "the committed cases are exactly what the fixed keys produce (UPDATE_GOLDEN=1 rewrites them)",
    () =>
      Effect.gen(function* () {
        const fs = yield* FileSystem.FileSystem
        const path = yield* Path.Path
        const cases = yield* goldenSigningCases
        if (process.env.UPDATE_GOLDEN === "1") {
          yield* fs.makeDirectory(GOLDEN_DIR, { recursive: true })
          for (const [name, golden] of Object.entries(cases)) {
            yield* fs.writeFileString(
              path.join(GOLDEN_DIR, `${name}.json`),
              `${JSON.stringify(golden, null, 2)}\n`
            )
          }
        }
        const files = (yield* fs.readDirectory(GOLDEN_DIR)).filter((file) => file.endsWith(".json")).sort()
        expect(files).toEqual(
          Object.keys(cases)
            .map((name) => `${name}.json`)
            .sort()
        )
        for (const [name, golden] of Object.entries(cases)) {
          const text = yield* fs.readFileString(path.join(GOLDEN_DIR, `${name}.json`))
          expect(JSON.parse(text), name).toEqual(JSON.parse(JSON.stringify(golden)))
        }
      })
  )
})
