import { lstat, readdir, readFile } from "node:fs/promises"
import { join } from "node:path"
import { Effect } from "effect"
import { pathRefusal } from "./entry-path.js"
import { ArchiveEntryRefused, PackIoError } from "./errors.js"
import type { ArchiveEntry } from "./tarball.js"

/** Directories never packed: version-control metadata and installed dependencies. */
const SKIPPED_DIRECTORIES = new Set([".git", "node_modules"])

const io = (operation: string, path: string) => (error: unknown) =>
  new PackIoError({ operation, path, detail: error instanceof Error ? error.message : String(error) })

/**
 * Every regular file and directory under `dir` as archive entries (paths relative, `/`-separated). Symbolic links and
 * special files are refused (`ArchiveEntryRefused` naming the path), as are paths a safe extractor would refuse.
 */
export const collectPackEntries = (
  dir: string
): Effect.Effect<ReadonlyArray<ArchiveEntry>, ArchiveEntryRefused | PackIoError> =>
  Effect.gen(function* () {
    const entries: Array<ArchiveEntry> = []
    const walk = (relative: string): Effect.Effect<void, ArchiveEntryRefused | PackIoError> =>
      Effect.gen(function* () {
        const absolute = relative === "" ? dir : join(dir, ...relative.split("/"))
        const names = yield* Effect.tryPromise({
          try: () => readdir(absolute),
          catch: io("read directory", absolute)
        })
        for (const name of names.sort()) {
          const path = relative === "" ? name : `${relative}/${name}`
          const full = join(absolute, name)
          const stats = yield* Effect.tryPromise({ try: () => lstat(full), catch: io("stat", full) })
          if (stats.isDirectory() && SKIPPED_DIRECTORIES.has(name)) continue
          const problem = pathRefusal(path)
          if (problem !== undefined) return yield* new ArchiveEntryRefused({ entry: path, ...problem })
          if (stats.isSymbolicLink())
            return yield* new ArchiveEntryRefused({
              entry: path,
              reason: "symlink",
              detail: "packs hold no links"
            })
          if (stats.isDirectory()) {
            entries.push({ path, kind: "directory", executable: false, bytes: new Uint8Array() })
            yield* walk(path)
          } else if (stats.isFile()) {
            const bytes = yield* Effect.tryPromise({ try: () => readFile(full), catch: io("read", full) })
            entries.push({
              path,
              kind: "file",
              executable: (stats.mode & 0o111) !== 0,
              bytes: new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength)
            })
          } else
            return yield* new ArchiveEntryRefused({
              entry: path,
              reason: stats.isFIFO()
                ? "fifo"
                : stats.isCharacterDevice() || stats.isBlockDevice()
                  ? "device"
                  : "unsupported-type",
              detail: "packs hold only regular files and directories"
            })
        }
      })
    yield* walk("")
    return entries
  })
