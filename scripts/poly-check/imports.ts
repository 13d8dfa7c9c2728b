import ts from "typescript"

/** One module specifier a file uses (static import, re-export, `import()` or `require`), with its 1-based line. */
export interface ImportSite {
  readonly specifier: string
  readonly line: number
}

/** Every module specifier in a TypeScript/JavaScript source text, in order, via `ts.preProcessFile`. */
export const importsOf = (text: string): ReadonlyArray<ImportSite> => {
  const info = ts.preProcessFile(text, true, true)
  const lineStarts: Array<number> = [0]
  for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) === 10) lineStarts.push(i + 1)
  const lineOf = (pos: number) => {
    let line = 0
    while (line + 1 < lineStarts.length && lineStarts[line + 1]! <= pos) line += 1
    return line + 1
  }
  return info.importedFiles.map((ref) => ({ specifier: ref.fileName, line: lineOf(ref.pos) }))
}

/** The package a bare specifier names: `@scope/name` or `name` (deep paths stripped). */
export const packageNameOf = (specifier: string): string => {
  const parts = specifier.split("/")
  return specifier.startsWith("@") ? parts.slice(0, 2).join("/") : (parts[0] ?? specifier)
}

/** Statements of a `src/index.ts` that are not re-exports (`export … from "…"`), with their 1-based lines. */
export const nonReexportStatements = (
  fileName: string,
  text: string
): ReadonlyArray<{ readonly line: number; readonly text: string }> => {
  const source = ts.createSourceFile(fileName, text, ts.ScriptTarget.Latest, true, ts.ScriptKind.TS)
  return source.statements
    .filter((statement) => !(ts.isExportDeclaration(statement) && statement.moduleSpecifier !== undefined))
    .map((statement) => ({
      line: source.getLineAndCharacterOfPosition(statement.getStart(source)).line + 1,
      text: statement.getText(source).split("\n")[0]?.slice(0, 80) ?? ""
    }))
}
