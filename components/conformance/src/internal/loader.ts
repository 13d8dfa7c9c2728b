import { FileSystem, Path } from "@effect/platform"
import type { ErrorObject } from "ajv/dist/2020.js"
import Ajv2020 from "ajv/dist/2020.js"
import { Effect, ParseResult, Schema } from "effect"
import { type GoldenFileIssue, GoldenIoError, InvalidGoldenCase } from "./errors.js"
import { GoldenCase, goldenCaseJsonSchema } from "./GoldenCase.js"

/** A golden case read from disk: its area (directory), its file (relative to the golden root) and its content. */
export interface LoadedGoldenCase {
  /** The area: the directory under the golden root that holds the file. */
  readonly area: string
  /** The file path relative to the golden root, with `/` separators: `<area>/<case>.json`. */
  readonly file: string
  /** The absolute path of the file (for rewriting under UPDATE_GOLDEN=1). */
  readonly path: string
  /** The validated case. */
  readonly golden: GoldenCase
}

let compiled: ReturnType<Ajv2020["compile"]> | undefined
const validateGoldenJson = (value: unknown): ReadonlyArray<ErrorObject> => {
  if (compiled === undefined) {
    compiled = new Ajv2020({ allErrors: true, strict: true }).compile(goldenCaseJsonSchema)
  }
  return compiled(value) ? [] : (compiled.errors ?? [])
}

const ajvIssue = (file: string, error: ErrorObject): GoldenFileIssue => {
  const params = error.params as Record<string, unknown>
  const extra = error.keyword === "additionalProperties" ? `/${String(params.additionalProperty)}` : ""
  const detail =
    error.keyword === "additionalProperties"
      ? `unknown property "${String(params.additionalProperty)}"`
      : undefined
  return { file, pointer: `${error.instancePath}${extra}`, message: detail ?? error.message ?? error.keyword }
}

const messageOf = (error: unknown): string => (error instanceof Error ? error.message : String(error))

/** Parses and validates one golden file's text: issues (with JSON pointers) or the decoded case. */
export const parseGoldenCase = (
  file: string,
  text: string
): { readonly issues: ReadonlyArray<GoldenFileIssue> } | { readonly golden: GoldenCase } => {
  let json: unknown
  try {
    json = JSON.parse(text)
  } catch (error) {
    return { issues: [{ file, pointer: "", message: `not valid JSON: ${messageOf(error)}` }] }
  }
  const errors = validateGoldenJson(json)
  if (errors.length > 0) return { issues: errors.map((e) => ajvIssue(file, e)) }
  const decoded = Schema.decodeUnknownEither(GoldenCase)(json)
  if (decoded._tag === "Left") {
    const issues = ParseResult.ArrayFormatter.formatErrorSync(decoded.left).map((i) => ({
      file,
      pointer: i.path.map((p) => `/${String(p)}`).join(""),
      message: i.message
    }))
    return { issues }
  }
  return { golden: decoded.right }
}

/**
 * Reads every `<dir>/<area>/*.json` golden case (sorted by area, then file name), validating each with ajv
 * against the golden case JSON Schema. Files directly under `dir` (e.g. README.md) and non-JSON files are
 * ignored. Fails with `InvalidGoldenCase` listing every bad file and JSON pointer, or `GoldenIoError`.
 */
export const loadGoldenCases = Effect.fn("GoldenCases.load")(function* (dir: string) {
  const fs = yield* FileSystem.FileSystem
  const path = yield* Path.Path
  const root = path.resolve(dir)
  const list = (p: string) =>
    fs
      .readDirectory(p)
      .pipe(Effect.mapError((e) => new GoldenIoError({ path: p, operation: "list", reason: e.message })))
  const isDirectory = (p: string) =>
    fs.stat(p).pipe(
      Effect.map((info) => info.type === "Directory"),
      Effect.mapError((e) => new GoldenIoError({ path: p, operation: "read", reason: e.message }))
    )

  const areas = [...(yield* list(root))].sort()
  const cases: Array<LoadedGoldenCase> = []
  const issues: Array<GoldenFileIssue> = []
  for (const area of areas) {
    const areaPath = path.join(root, area)
    if (!(yield* isDirectory(areaPath))) continue
    const names = [...(yield* list(areaPath))].filter((n) => n.endsWith(".json")).sort()
    for (const name of names) {
      const filePath = path.join(areaPath, name)
      const file = `${area}/${name}`
      const text = yield* fs
        .readFileString(filePath)
        .pipe(
          Effect.mapError((e) => new GoldenIoError({ path: filePath, operation: "read", reason: e.message }))
        )
      const parsed = parseGoldenCase(file, text)
      if ("issues" in parsed) issues.push(...parsed.issues)
      else cases.push({ area, file, path: filePath, golden: parsed.golden })
    }
  }
  if (issues.length > 0) return yield* Effect.fail(new InvalidGoldenCase({ issues }))
  return cases as ReadonlyArray<LoadedGoldenCase>
})
