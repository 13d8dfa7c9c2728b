/**
 * Check module of gauntlet/knowledge-safety: text from an untrusted source must never be placed in the
 * instruction channel of a prompt. Pure: reads only the context's `sources`.
 */

interface Source {
  readonly name: string
  readonly kind?: string
  readonly trust: "trusted" | "untrusted"
  readonly channel?: "instructions" | "data"
}

interface Violation {
  readonly message: string
  readonly location?: { readonly file?: string }
}

export default function check(
  _change: unknown,
  context: { readonly sources?: ReadonlyArray<Source> }
): Array<Violation> {
  return (context.sources ?? [])
    .filter((source) => source.trust === "untrusted" && source.channel === "instructions")
    .map((source) => ({
      message: `untrusted ${source.kind ?? "source"} "${source.name}" is placed in the instruction channel`,
      location: { file: `source:${source.name}` }
    }))
}
