import { FileSystem } from "@effect/platform"
import { Effect, Either } from "effect"
import { isNode, LineCounter, parseDocument } from "yaml"
import { InvalidAgentScript } from "./errors.js"
import { toPointer } from "./pointer.js"
import { type AgentScript, decodeAgentScript } from "./script.js"

/** The syntax of a script file: by extension, `.json` is strict JSON, anything else YAML 1.2. */
export type ScriptSyntax = "json" | "yaml"

/** The syntax a file name implies: `.json` → JSON, otherwise YAML. */
export const syntaxOf = (file: string): ScriptSyntax =>
  file.toLowerCase().endsWith(".json") ? "json" : "yaml"

const lineOfOffset = (text: string, offset: number): { line: number; column: number } => {
  const before = text.slice(0, Math.max(0, Math.min(offset, text.length)))
  const lines = before.split("\n")
  return { line: lines.length, column: (lines.at(-1)?.length ?? 0) + 1 }
}

const jsonSyntaxError = (file: string, text: string): InvalidAgentScript | undefined => {
  const parsed = Either.try(() => JSON.parse(text) as unknown)
  if (Either.isRight(parsed)) return undefined
  const reason = parsed.left instanceof Error ? parsed.left.message : String(parsed.left)
  const position = /position (\d+)/.exec(reason)?.[1]
  const offset = position === undefined ? parseDocument(text).errors[0]?.pos[0] : Number(position)
  const where = offset === undefined ? {} : lineOfOffset(text, offset)
  return new InvalidAgentScript({
    file,
    pointer: "",
    reason: `not valid JSON: ${reason.split("\n")[0]}`,
    ...where
  })
}

/**
 * Parses and decodes a script's text. `file` names it in errors. JSON files are strict JSON; YAML files may use
 * anchors and comments. Every error names the file and a JSON pointer, and the line and column where the parser
 * knows them (syntax errors, and the value at the pointer — or its closest existing parent — for format errors).
 */
export const parseAgentScript = (
  text: string,
  file: string,
  syntax: ScriptSyntax = syntaxOf(file)
): Either.Either<AgentScript, InvalidAgentScript> => {
  if (syntax === "json") {
    const error = jsonSyntaxError(file, text)
    if (error !== undefined) return Either.left(error)
  }
  const lineCounter = new LineCounter()
  const doc = parseDocument(text, { lineCounter, uniqueKeys: true, prettyErrors: false })
  const syntaxError = doc.errors[0]
  if (syntaxError !== undefined) {
    const pos = lineCounter.linePos(syntaxError.pos[0])
    return Either.left(
      new InvalidAgentScript({
        file,
        pointer: "",
        reason: `not valid ${syntax === "json" ? "JSON" : "YAML"}: ${syntaxError.message.split("\n")[0]}`,
        line: pos.line,
        column: pos.col
      })
    )
  }
  const value: unknown = doc.toJS({ maxAliasCount: 1000 })
  return Either.mapLeft(decodeAgentScript(value), (issue) => {
    let path = issue.path
    let node: unknown = doc.getIn(path, true)
    while (!isNode(node) && path.length > 0) {
      path = path.slice(0, -1)
      node = path.length === 0 ? doc.contents : doc.getIn(path, true)
    }
    const start = isNode(node) ? node.range?.[0] : undefined
    const where = start === undefined ? undefined : lineCounter.linePos(start)
    return new InvalidAgentScript({
      file,
      pointer: toPointer(issue.path),
      reason: issue.reason,
      ...(where === undefined ? {} : { line: where.line, column: where.col })
    })
  })
}

/** Reads, parses and decodes a script file (JSON or YAML by extension); errors name the file and a JSON pointer. */
export const loadAgentScript = Effect.fn("Agent.loadAgentScript")(function* (path: string) {
  const fs = yield* FileSystem.FileSystem
  const text = yield* fs
    .readFileString(path)
    .pipe(
      Effect.mapError(
        (error) =>
          new InvalidAgentScript({ file: path, pointer: "", reason: `cannot read: ${error.message}` })
      )
    )
  return yield* parseAgentScript(text, path)
})
