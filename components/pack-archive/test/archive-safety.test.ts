import { existsSync, mkdtempSync, readdirSync, readFileSync, statSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { gzipSync } from "node:zlib"
import { describe, expect, it } from "@effect/vitest"
import { Effect } from "effect"
import { type Header, pack as tarPack } from "tar-stream"
import { ArchiveCorrupt, ArchiveEntryRefused } from "../src/internal/errors.js"
import { extractPackArchive } from "../src/internal/extract.js"
import { type ExtractLimits, readPackArchive } from "../src/internal/read-archive.js"
import { writeDeterministicTarGz } from "../src/internal/tarball.js"

/** A crafted entry: any tar-stream header (including `pax` records) and optional content. */
type Crafted = { readonly header: Partial<Header> & { name: string }; readonly content?: string }

/** Writes a gzip-compressed tar with exactly these headers, bypassing every check of ours. */
const craft = async (entries: ReadonlyArray<Crafted>): Promise<Uint8Array> => {
  const packer = tarPack()
  const chunks: Array<Buffer> = []
  const collected = (async () => {
    for await (const chunk of packer) chunks.push(chunk as Buffer)
  })()
  for (const entry of entries)
    await new Promise<void>((resolve, reject) => {
      const done = (error?: Error | null) => (error ? reject(error) : resolve())
      if (entry.content === undefined) packer.entry(entry.header, done)
      else packer.entry(entry.header, entry.content, done)
    })
  packer.finalize()
  await collected
  return new Uint8Array(gzipSync(Buffer.concat(chunks)))
}

const file = (name: string, content = "x"): Crafted => ({ header: { name, type: "file" }, content })
const loose: ExtractLimits = { maxEntries: 100, maxEntryBytes: 1 << 20, maxTotalBytes: 1 << 22 }
const freshDir = () => mkdtempSync(join(tmpdir(), "pack-archive-test-"))

/** Extracts into a new directory, expects a refusal, and checks nothing was written. */
const expectRefused = (bytes: Uint8Array, limits: ExtractLimits = loose) =>
  Effect.gen(function* () {
    const dest = join(freshDir(), "out")
    const error = yield* Effect.flip(extractPackArchive(bytes, dest, limits))
    expect(existsSync(dest)).toBe(false)
    expect(error).toBeInstanceOf(ArchiveEntryRefused)
    return error as ArchiveEntryRefused
  })

describe("extractPackArchive refuses malicious archives, naming the entry", () => {
  it.effect("an absolute path", () =>
    Effect.gen(function* () {
      const bytes = yield* Effect.promise(() => craft([file("ok.json"), file("/etc/cron.d/evil")]))
      const error = yield* expectRefused(bytes)
      expect([error.entry, error.reason]).toEqual(["/etc/cron.d/evil", "absolute-path"])
      expect(error.message).toContain('"/etc/cron.d/evil"')
    })
  )

  it.effect("a '..' segment", () =>
    Effect.gen(function* () {
      const bytes = yield* Effect.promise(() => craft([file("rules/../../escape.sh")]))
      const error = yield* expectRefused(bytes)
      expect([error.entry, error.reason]).toEqual(["rules/../../escape.sh", "parent-traversal"])
    })
  )

  it.effect("a '..' smuggled in through a pax extended header", () =>
    Effect.gen(function* () {
      const bytes = yield* Effect.promise(() =>
        craft([
          {
            header: { name: "innocent.json", type: "file", pax: { path: "../../outside.json" } },
            content: "{}"
          }
        ])
      )
      const error = yield* expectRefused(bytes)
      expect([error.entry, error.reason]).toEqual(["../../outside.json", "parent-traversal"])
    })
  )

  it.effect("a symbolic link", () =>
    Effect.gen(function* () {
      const bytes = yield* Effect.promise(() =>
        craft([{ header: { name: "rules", type: "symlink", linkname: "/etc" } }, file("rules/passwd")])
      )
      const error = yield* expectRefused(bytes)
      expect([error.entry, error.reason]).toEqual(["rules", "symlink"])
      expect(error.detail).toContain("/etc")
    })
  )

  it.effect("a hard link", () =>
    Effect.gen(function* () {
      const bytes = yield* Effect.promise(() =>
        craft([file("a.json"), { header: { name: "b.json", type: "link", linkname: "/etc/shadow" } }])
      )
      const error = yield* expectRefused(bytes)
      expect([error.entry, error.reason]).toEqual(["b.json", "hard-link"])
    })
  )

  it.effect("a character device and a block device", () =>
    Effect.gen(function* () {
      for (const type of ["character-device", "block-device"] as const) {
        const bytes = yield* Effect.promise(() =>
          craft([{ header: { name: "dev-null", type, devmajor: 1, devminor: 3 } }])
        )
        const error = yield* expectRefused(bytes)
        expect([error.entry, error.reason]).toEqual(["dev-null", "device"])
      }
    })
  )

  it.effect("a fifo", () =>
    Effect.gen(function* () {
      const bytes = yield* Effect.promise(() => craft([{ header: { name: "pipe", type: "fifo" } }]))
      const error = yield* expectRefused(bytes)
      expect([error.entry, error.reason]).toEqual(["pipe", "fifo"])
    })
  )

  it.effect("an entry over the per-entry size limit", () =>
    Effect.gen(function* () {
      const bytes = yield* Effect.promise(() =>
        craft([file("small.json", "1234"), file("big.json", "x".repeat(65))])
      )
      const error = yield* expectRefused(bytes, { ...loose, maxEntryBytes: 64 })
      expect([error.entry, error.reason]).toEqual(["big.json", "oversize-entry"])
      expect(error.detail).toContain("65 bytes")
    })
  )

  it.effect("entries whose sizes add up past the total limit", () =>
    Effect.gen(function* () {
      const bytes = yield* Effect.promise(() =>
        craft([
          file("a.json", "x".repeat(40)),
          file("b.json", "x".repeat(40)),
          file("c.json", "x".repeat(40))
        ])
      )
      const error = yield* expectRefused(bytes, { ...loose, maxTotalBytes: 100 })
      expect([error.entry, error.reason]).toEqual(["c.json", "oversize-total"])
    })
  )

  it.effect("a decompression bomb is refused before the tar is parsed", () =>
    Effect.gen(function* () {
      const bytes = yield* Effect.promise(() => craft([file("zeros.bin", "\u0000".repeat(4 * 1024 * 1024))]))
      expect(bytes.length).toBeLessThan(16 * 1024)
      const error = yield* expectRefused(bytes, {
        maxEntries: 4,
        maxEntryBytes: 1 << 30,
        maxTotalBytes: 4096
      })
      expect([error.entry, error.reason]).toEqual(["<archive>", "oversize-total"])
    })
  )

  it.effect("too many entries", () =>
    Effect.gen(function* () {
      const bytes = yield* Effect.promise(() => craft([file("1"), file("2"), file("3"), file("4")]))
      const error = yield* expectRefused(bytes, { ...loose, maxEntries: 3 })
      expect([error.entry, error.reason]).toEqual(["4", "too-many-entries"])
    })
  )

  it.effect("the same path twice (a later entry would replace the checked one)", () =>
    Effect.gen(function* () {
      const bytes = yield* Effect.promise(() => craft([file("pack.json", "{}"), file("pack.json", "{ }")]))
      const error = yield* expectRefused(bytes)
      expect([error.entry, error.reason]).toEqual(["pack.json", "duplicate-entry"])
    })
  )

  it.effect("non-portable names (backslashes, Windows drives, spaces, '.' segments)", () =>
    Effect.gen(function* () {
      const cases: ReadonlyArray<readonly [string, string]> = [
        ["rules\\..\\x", "invalid-path"],
        ["C:/Windows/x", "absolute-path"],
        ["my rule.json", "invalid-path"],
        ["./pack.json", "invalid-path"]
      ]
      for (const [name, reason] of cases) {
        const error = yield* expectRefused(yield* Effect.promise(() => craft([file(name)])))
        expect([error.entry, error.reason]).toEqual([name, reason])
      }
    })
  )

  it.effect("bytes that are not a gzip tar are ArchiveCorrupt", () =>
    Effect.gen(function* () {
      const notGzip = yield* Effect.flip(readPackArchive(new TextEncoder().encode("hello"), loose))
      expect(notGzip).toBeInstanceOf(ArchiveCorrupt)
      const gzipNotTar = yield* Effect.flip(
        readPackArchive(gzipSync("not a tar archive at all".repeat(40)), loose)
      )
      expect(gzipNotTar).toBeInstanceOf(ArchiveCorrupt)
    })
  )
})

describe("extractPackArchive writes a safe archive", () => {
  it.effect("files land under dest with fixed modes; a non-empty destination is refused", () =>
    Effect.gen(function* () {
      const bytes = yield* writeDeterministicTarGz([
        {
          path: "pack.json",
          kind: "file",
          executable: false,
          bytes: new TextEncoder().encode('{"id":"a/b"}')
        },
        { path: "checks", kind: "directory", executable: false, bytes: new Uint8Array() },
        {
          path: "checks/run.sh",
          kind: "file",
          executable: true,
          bytes: new TextEncoder().encode("#!/bin/sh\n")
        }
      ])
      const dest = join(freshDir(), "out")
      const extracted = yield* extractPackArchive(bytes, dest, loose)
      expect(extracted.files).toEqual(["checks/run.sh", "pack.json"])
      expect(readFileSync(join(dest, "pack.json"), "utf8")).toBe('{"id":"a/b"}')
      expect(statSync(join(dest, "checks/run.sh")).mode & 0o777).toBe(0o755)
      expect(statSync(join(dest, "pack.json")).mode & 0o777).toBe(0o644)
      const again = yield* Effect.flip(extractPackArchive(bytes, dest, loose))
      expect(again._tag).toBe("PackSourceInvalid")
      expect(readdirSync(dest).sort()).toEqual(["checks", "pack.json"])
    })
  )
})
