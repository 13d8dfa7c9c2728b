import { mkdir, readdir, writeFile } from "node:fs/promises"
import { join } from "node:path"
import { PackId } from "@gauntlet/policy"
import { Effect, Schema } from "effect"
import { PackIoError, PackSourceInvalid } from "./errors.js"

/** What `initPack` wrote. */
export interface ScaffoldedPack {
  readonly dir: string
  readonly id: string
  /** Relative paths of the files written, sorted. */
  readonly files: ReadonlyArray<string>
}

const io = (operation: string, path: string) => (error: unknown) =>
  new PackIoError({ operation, path, detail: error instanceof Error ? error.message : String(error) })

const json = (value: unknown) => `${JSON.stringify(value, null, 2)}\n`

/** The scaffold's files: a manifest with one rule and two test cases (one violation, one clean change). */
const scaffoldFiles = (id: string): ReadonlyArray<readonly [string, string]> => [
  [
    "pack.json",
    json({
      id,
      version: "0.1.0",
      description: `Policy pack ${id}: replace this description.`,
      rules: [
        {
          id: "no-debugger",
          layer: "L2",
          severity: "medium",
          action: "block",
          appliesTo: { paths: ["**/*.{ts,tsx,js,jsx,mjs,cjs}"] },
          detect: { diffRegex: { pattern: "\\bdebugger\\s*;?" } },
          message: "A `debugger` statement is being added.",
          remediation: "Remove the `debugger` statement before committing."
        }
      ]
    })
  ],
  [
    "tests/blocks-debugger.json",
    json({
      description: "adding a debugger statement to a TypeScript file is blocked",
      input: {
        diff: [
          "diff --git a/src/app.ts b/src/app.ts",
          "--- a/src/app.ts",
          "+++ b/src/app.ts",
          "@@ -1,1 +1,2 @@",
          " export const run = () => {",
          "+  debugger;"
        ],
        context: { phase: "implement" }
      },
      expected: { violations: ["no-debugger"], decision: "block" }
    })
  ],
  [
    "tests/allows-clean-change.json",
    json({
      description: "a change without debugger statements passes",
      input: {
        diff: [
          "diff --git a/src/app.ts b/src/app.ts",
          "--- a/src/app.ts",
          "+++ b/src/app.ts",
          "@@ -1,1 +1,2 @@",
          " export const run = () => {",
          "+  return 42"
        ],
        context: { phase: "implement" }
      },
      expected: { violations: [], decision: "allow" }
    })
  ],
  [
    "README.md",
    [
      `# ${id}`,
      "",
      "A Gauntlet policy pack. `pack.json` holds the rules; `tests/*.json` holds the cases that must pass before the",
      "pack can be built, signed and published (`gauntlet pack test`, `gauntlet pack build`, `gauntlet pack sign`).",
      ""
    ].join("\n")
  ]
]

/**
 * Creates a new pack in `dir` (absent or empty) with id `id` (`namespace/name`): a `pack.json` with one rule, two
 * test cases that pass, and a README. Refuses an invalid id or a non-empty directory; overwrites nothing.
 */
export const initPack = (
  dir: string,
  id: string
): Effect.Effect<ScaffoldedPack, PackSourceInvalid | PackIoError> =>
  Effect.gen(function* () {
    if (!Schema.is(PackId)(id))
      return yield* new PackSourceInvalid({
        path: dir,
        detail: `pack id ${JSON.stringify(id)} is not "namespace/name" (lowercase letters, digits, '-', '.', '_')`
      })
    const existing = yield* Effect.tryPromise({ try: () => readdir(dir), catch: (error) => error }).pipe(
      Effect.catchAll((error) =>
        (error as { code?: string }).code === "ENOENT"
          ? Effect.succeed([] as Array<string>)
          : Effect.fail(io("read directory", dir)(error))
      )
    )
    if (existing.length > 0)
      return yield* new PackSourceInvalid({
        path: dir,
        detail: "directory is not empty; choose a new directory"
      })
    const files = scaffoldFiles(id)
    yield* Effect.tryPromise({
      try: async () => {
        await mkdir(join(dir, "tests"), { recursive: true })
        for (const [path, content] of files)
          await writeFile(join(dir, ...path.split("/")), content, { flag: "wx" })
      },
      catch: io("write pack scaffold in", dir)
    })
    return { dir, id, files: files.map(([path]) => path).sort() }
  })
