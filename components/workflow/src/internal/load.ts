import { FileSystem } from "@effect/platform"
import { Effect, Either } from "effect"
import { parseDocument } from "yaml"
import { type CompiledWorkflow, compileWorkflow } from "./compile.js"
import { InvalidWorkflow } from "./errors.js"

/** How a workflow text is written. */
export type WorkflowFormat = "json" | "yaml"

const formatOf = (path: string): WorkflowFormat => (/\.ya?ml$/i.test(path) ? "yaml" : "json")

/**
 * Parses a workflow text (JSON or YAML) and compiles it. Syntax errors are `InvalidWorkflow` at pointer `""` with
 * the parser's line/column; everything else is `compileWorkflow`'s error with its pointer.
 */
export const parseWorkflow = (
  text: string,
  options: { readonly format: WorkflowFormat; readonly source?: string }
): Either.Either<CompiledWorkflow, InvalidWorkflow> => {
  const source = options.source
  const fail = (reason: string) =>
    Either.left(new InvalidWorkflow({ pointer: "", reason, ...(source === undefined ? {} : { source }) }))
  let value: unknown
  if (options.format === "json") {
    try {
      value = JSON.parse(text)
    } catch (error) {
      return fail(`not JSON: ${error instanceof Error ? error.message : String(error)}`)
    }
  } else {
    const doc = parseDocument(text, { prettyErrors: true, uniqueKeys: true })
    const error = doc.errors[0]
    if (error !== undefined) {
      const line = error.linePos?.[0]
      const what = error.message.split(" at line ")[0]?.split("\n")[0] ?? error.code
      return fail(`not YAML${line ? ` (line ${line.line}, column ${line.col})` : ""}: ${what}`)
    }
    value = doc.toJS()
  }
  return compileWorkflow(value, source === undefined ? {} : { source })
}

/** Reads a workflow file (`.yaml`/`.yml` as YAML, anything else as JSON) and compiles it. */
export const loadWorkflowFile = Effect.fn("Workflow.loadFile")(function* (path: string) {
  const fs = yield* FileSystem.FileSystem
  const text = yield* fs
    .readFileString(path)
    .pipe(
      Effect.mapError(
        (error) =>
          new InvalidWorkflow({ pointer: "", reason: `cannot read the file: ${error.message}`, source: path })
      )
    )
  return yield* parseWorkflow(text, { format: formatOf(path), source: path })
})
