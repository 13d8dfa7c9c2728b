/** How a committed schema file differs from the generated one. */
export interface SchemaDrift {
  readonly file: string
  readonly kind: "changed" | "missing" | "stale"
}

/**
 * Compares generated schema texts with the committed ones (both keyed by path under `specs/schemas/`): `changed`
 * when the text differs, `missing` when it was never committed, `stale` when a committed file is no longer
 * generated. Sorted by file.
 */
export const schemaDrift = (
  generated: ReadonlyMap<string, string>,
  committed: ReadonlyMap<string, string>
): ReadonlyArray<SchemaDrift> => {
  const drift: Array<SchemaDrift> = []
  for (const [file, text] of generated) {
    const current = committed.get(file)
    if (current === undefined) drift.push({ file, kind: "missing" })
    else if (current !== text) drift.push({ file, kind: "changed" })
  }
  for (const file of committed.keys()) if (!generated.has(file)) drift.push({ file, kind: "stale" })
  return drift.sort((a, b) => a.file.localeCompare(b.file))
}
