import { gunzipSync } from "node:zlib"
import { Effect, Schema } from "effect"
import { extract as tarExtract } from "tar-stream"
import { pathRefusal } from "./entry-path.js"
import { ArchiveCorrupt, ArchiveEntryRefused } from "./errors.js"
import type { ArchiveEntry } from "./tarball.js"

/** Bounds an archive must stay within to be read; anything beyond is refused before it is buffered or written. */
export const ExtractLimits = Schema.Struct({
  /** Most entries (files and directories). */
  maxEntries: Schema.Int.pipe(Schema.positive()),
  /** Largest single file, in bytes. */
  maxEntryBytes: Schema.Int.pipe(Schema.nonNegative()),
  /** Largest sum of file sizes, in bytes. */
  maxTotalBytes: Schema.Int.pipe(Schema.nonNegative())
})
/** Bounds for reading an archive. */
export type ExtractLimits = typeof ExtractLimits.Type

/** Defaults sized for policy packs: 2,000 entries, 1 MiB per file, 16 MiB in total. */
export const defaultExtractLimits: ExtractLimits = {
  maxEntries: 2_000,
  maxEntryBytes: 1024 * 1024,
  maxTotalBytes: 16 * 1024 * 1024
}

const ARCHIVE = "<archive>"

const refuse = (entry: string, reason: ArchiveEntryRefused["reason"], detail: string) =>
  new ArchiveEntryRefused({ entry, reason, detail })

/** The tar stream's own errors are re-raised as this so they stay apart from our refusals. */
class TarFailure {
  constructor(readonly error: unknown) {}
}

const typeRefusal = (type: string | null | undefined): ArchiveEntryRefused["reason"] | undefined => {
  switch (type) {
    case "file":
    case "directory":
      return undefined
    case "symlink":
      return "symlink"
    case "link":
      return "hard-link"
    case "character-device":
    case "block-device":
      return "device"
    case "fifo":
      return "fifo"
    default:
      return "unsupported-type"
  }
}

/**
 * Reads a gzip-compressed tar archive into memory, refusing (with the entry named) absolute paths, `..`, links,
 * devices, fifos, other special types, duplicates, and anything over `limits`. The decompressed size is capped
 * before any tar parsing, so a decompression bomb is refused as `oversize-total`.
 */
export const readPackArchive = (
  bytes: Uint8Array,
  limits: ExtractLimits = defaultExtractLimits
): Effect.Effect<ReadonlyArray<ArchiveEntry>, ArchiveEntryRefused | ArchiveCorrupt> =>
  Effect.gen(function* () {
    // Tar overhead per entry is at most a 512-byte header plus 511 bytes of padding; 1024 bytes of end blocks and
    // up to a 10 KiB record of trailing zeros.
    const maxTar = limits.maxTotalBytes + (limits.maxEntries + 2) * 1024 + 10_240
    const tar = yield* Effect.try({
      try: () => gunzipSync(bytes, { maxOutputLength: maxTar }),
      catch: (error) =>
        error instanceof RangeError || (error as { code?: string }).code === "ERR_BUFFER_TOO_LARGE"
          ? refuse(ARCHIVE, "oversize-total", `decompresses to more than ${maxTar} bytes`)
          : new ArchiveCorrupt({ detail: `gzip: ${String((error as Error).message ?? error)}` })
    })
    return yield* Effect.tryPromise({
      try: () => parseTar(tar, limits),
      catch: (error) =>
        error instanceof ArchiveEntryRefused
          ? error
          : new ArchiveCorrupt({
              detail: `tar: ${error instanceof TarFailure ? String(error.error) : String(error)}`
            })
    })
  })

const parseTar = async (tar: Buffer, limits: ExtractLimits): Promise<ReadonlyArray<ArchiveEntry>> => {
  const extractor = tarExtract()
  extractor.end(tar)
  const entries: Array<ArchiveEntry> = []
  const seen = new Set<string>()
  let total = 0
  try {
    for await (const entry of extractor) {
      const header = entry.header
      const name = header.name
      if (entries.length + 1 > limits.maxEntries)
        throw refuse(name, "too-many-entries", `more than ${limits.maxEntries} entries`)
      const refusedType = typeRefusal(header.type)
      if (refusedType !== undefined)
        throw refuse(
          name,
          refusedType,
          header.linkname ? `${header.type} to "${header.linkname}"` : `entry type ${String(header.type)}`
        )
      const pathProblem = pathRefusal(name)
      if (pathProblem !== undefined) throw refuse(name, pathProblem.reason, pathProblem.detail)
      const path = name.endsWith("/") ? name.slice(0, -1) : name
      if (seen.has(path)) throw refuse(name, "duplicate-entry", "the archive holds this path twice")
      seen.add(path)
      const size = header.size ?? 0
      if (header.type === "directory") {
        entries.push({ path, kind: "directory", executable: false, bytes: new Uint8Array() })
        entry.resume()
        continue
      }
      if (size > limits.maxEntryBytes)
        throw refuse(name, "oversize-entry", `${size} bytes exceeds the ${limits.maxEntryBytes}-byte limit`)
      total += size
      if (total > limits.maxTotalBytes)
        throw refuse(name, "oversize-total", `files exceed the ${limits.maxTotalBytes}-byte total limit`)
      const chunks: Array<Buffer> = []
      for await (const chunk of entry) chunks.push(chunk as Buffer)
      const content = Buffer.concat(chunks)
      entries.push({
        path,
        kind: "file",
        executable: ((header.mode ?? 0) & 0o111) !== 0,
        bytes: new Uint8Array(content.buffer, content.byteOffset, content.byteLength)
      })
    }
  } catch (error) {
    extractor.destroy()
    if (error instanceof ArchiveEntryRefused) throw error
    throw new TarFailure(error)
  }
  const problem = fileUnderFile(entries)
  if (problem !== undefined) throw problem
  return entries
}

/** A path nested under a path that is a file (`a` a file and `a/b` an entry) cannot be laid out on disk. */
const fileUnderFile = (entries: ReadonlyArray<ArchiveEntry>): ArchiveEntryRefused | undefined => {
  const files = new Set(entries.filter((e) => e.kind === "file").map((e) => e.path))
  for (const entry of entries) {
    const segments = entry.path.split("/")
    for (let i = 1; i < segments.length; i++) {
      const parent = segments.slice(0, i).join("/")
      if (files.has(parent))
        return refuse(entry.path, "invalid-path", `its parent "${parent}" is a file in the same archive`)
    }
  }
  return undefined
}
