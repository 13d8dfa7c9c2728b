import { mkdir, readdir, writeFile } from "node:fs/promises"
import { join } from "node:path"
import { Effect } from "effect"
import { type ArchiveCorrupt, type ArchiveEntryRefused, PackIoError, PackSourceInvalid } from "./errors.js"
import { defaultExtractLimits, type ExtractLimits, readPackArchive } from "./read-archive.js"

/** What an extraction wrote. */
export interface ExtractedPack {
  readonly dest: string
  /** Relative paths of the files written, sorted. */
  readonly files: ReadonlyArray<string>
}

const io = (operation: string, path: string) => (error: unknown) =>
  new PackIoError({ operation, path, detail: error instanceof Error ? error.message : String(error) })

/** The destination must not exist yet, or be an empty directory: nothing already there can redirect a write. */
const ensureEmptyDestination = (dest: string) =>
  Effect.tryPromise({ try: () => readdir(dest), catch: (error) => error }).pipe(
    Effect.matchEffect({
      onFailure: (error) =>
        (error as { code?: string }).code === "ENOENT"
          ? Effect.tryPromise({
              try: () => mkdir(dest, { recursive: true }),
              catch: io("create directory", dest)
            })
          : Effect.fail(io("read directory", dest)(error)),
      onSuccess: (names) =>
        names.length === 0
          ? Effect.void
          : Effect.fail(new PackSourceInvalid({ path: dest, detail: "extraction destination is not empty" }))
    })
  )

/**
 * Extracts a pack archive into `dest` (created; must be absent or empty). The whole archive is checked first
 * (see `readPackArchive`): a refused entry means nothing is written. Files get mode 0644 (0755 if executable);
 * every file is created exclusively, so nothing outside `dest` is ever touched.
 */
export const extractPackArchive = (
  bytes: Uint8Array,
  dest: string,
  limits: ExtractLimits = defaultExtractLimits
): Effect.Effect<ExtractedPack, ArchiveEntryRefused | ArchiveCorrupt | PackSourceInvalid | PackIoError> =>
  Effect.gen(function* () {
    const entries = yield* readPackArchive(bytes, limits)
    yield* ensureEmptyDestination(dest)
    const directories = new Set<string>()
    for (const entry of entries) {
      const parts = entry.path.split("/")
      const upTo = entry.kind === "directory" ? parts.length : parts.length - 1
      for (let i = 1; i <= upTo; i++) directories.add(parts.slice(0, i).join("/"))
    }
    for (const directory of [...directories].sort()) {
      const target = join(dest, ...directory.split("/"))
      yield* Effect.tryPromise({
        try: () => mkdir(target, { mode: 0o755 }),
        catch: io("create directory", target)
      })
    }
    const files: Array<string> = []
    for (const entry of entries) {
      if (entry.kind !== "file") continue
      const target = join(dest, ...entry.path.split("/"))
      yield* Effect.tryPromise({
        try: () => writeFile(target, entry.bytes, { flag: "wx", mode: entry.executable ? 0o755 : 0o644 }),
        catch: io("write file", target)
      })
      files.push(entry.path)
    }
    return { dest, files: files.sort() }
  })
