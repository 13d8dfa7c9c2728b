import { gzipSync } from "node:zlib"
import { Effect } from "effect"
import { pack as tarPack } from "tar-stream"
import { ArchiveCorrupt } from "./errors.js"

/** One entry of a pack archive, as written or as read back. */
export interface ArchiveEntry {
  /** Relative path, `/`-separated, no trailing slash. */
  readonly path: string
  readonly kind: "file" | "directory"
  /** Files only: written with mode 0755 instead of 0644. */
  readonly executable: boolean
  /** File content (empty for directories). */
  readonly bytes: Uint8Array
}

/** Fixed header fields of every entry: nothing about the machine, the user or the time leaks into the archive. */
const FIXED = { uid: 0, gid: 0, uname: "", gname: "", mtime: new Date(0) } as const

/** Gzip header byte 9 ("OS") written as 255 ("unknown") so the bytes do not depend on the build platform. */
const GZIP_OS_UNKNOWN = 0xff

/** Byte-wise (code unit) order, independent of locale. */
const byPath = (a: ArchiveEntry, b: ArchiveEntry): number => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0)

/**
 * Writes entries as a deterministic gzip-compressed ustar archive: entries sorted by path, mtime 0, uid/gid 0,
 * empty uname/gname, modes 0644 (files) / 0755 (directories and executables), no extended headers; gzip level 9
 * with header mtime 0 and OS byte 255. Same entries → same bytes (with the same zlib).
 */
export const writeDeterministicTarGz = (
  entries: ReadonlyArray<ArchiveEntry>
): Effect.Effect<Uint8Array, ArchiveCorrupt> =>
  Effect.tryPromise({
    try: async () => {
      const packer = tarPack()
      const chunks: Array<Buffer> = []
      const collected = (async () => {
        for await (const chunk of packer) chunks.push(chunk as Buffer)
      })()
      for (const entry of [...entries].sort(byPath)) {
        await new Promise<void>((resolve, reject) => {
          const done = (error?: Error | null) => (error ? reject(error) : resolve())
          if (entry.kind === "directory")
            packer.entry({ ...FIXED, name: `${entry.path}/`, type: "directory", mode: 0o755 }, done)
          else
            packer.entry(
              { ...FIXED, name: entry.path, type: "file", mode: entry.executable ? 0o755 : 0o644 },
              Buffer.from(entry.bytes),
              done
            )
        })
      }
      packer.finalize()
      await collected
      const gz = gzipSync(Buffer.concat(chunks), { level: 9 })
      gz[9] = GZIP_OS_UNKNOWN
      return new Uint8Array(gz.buffer, gz.byteOffset, gz.byteLength)
    },
    catch: (error) => new ArchiveCorrupt({ detail: `cannot write archive: ${String(error)}` })
  })
