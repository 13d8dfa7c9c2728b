import { chmodSync, cpSync, mkdirSync, mkdtempSync, symlinkSync, utimesSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { gunzipSync } from "node:zlib"
import { describe, expect, it } from "@effect/vitest"
import { Effect } from "effect"
import fc from "fast-check"
import { extract as tarExtract } from "tar-stream"
import { collectPackEntries } from "../src/internal/collect.js"
import { ArchiveEntryRefused } from "../src/internal/errors.js"
import { readPackArchive } from "../src/internal/read-archive.js"
import { type ArchiveEntry, writeDeterministicTarGz } from "../src/internal/tarball.js"

const text = (s: string) => new TextEncoder().encode(s)
const entries: ReadonlyArray<ArchiveEntry> = [
  { path: "rules", kind: "directory", executable: false, bytes: new Uint8Array() },
  { path: "rules/no-secrets.json", kind: "file", executable: false, bytes: text('{"id":"no-secrets"}') },
  { path: "pack.json", kind: "file", executable: false, bytes: text('{"id":"acme/base"}') },
  { path: "checks/size.sh", kind: "file", executable: true, bytes: text("#!/bin/sh\nexit 0\n") },
  { path: "checks", kind: "directory", executable: false, bytes: new Uint8Array() }
]

/** Every raw header of a tar as tar-stream decodes it. */
const headersOf = async (gz: Uint8Array) => {
  const extractor = tarExtract()
  extractor.end(gunzipSync(gz))
  const out: Array<Record<string, unknown>> = []
  for await (const entry of extractor) {
    const { name, type, mode, uid, gid, uname, gname, mtime } = entry.header
    out.push({ name, type, mode, uid, gid, uname, gname, mtime: mtime.getTime() })
    entry.resume()
  }
  return out
}

const makePackDir = (root: string) => {
  mkdirSync(join(root, "rules"), { recursive: true })
  mkdirSync(join(root, "tests"))
  writeFileSync(join(root, "pack.json"), '{"id":"acme/base","version":"1.0.0"}')
  writeFileSync(join(root, "rules", "a.json"), "{}")
  writeFileSync(join(root, "tests", "case-1.json"), "[]")
  writeFileSync(join(root, "check.sh"), "#!/bin/sh\n")
  chmodSync(join(root, "check.sh"), 0o700)
}

describe("writeDeterministicTarGz", () => {
  it.effect("same entries in any order → the same bytes", () =>
    Effect.gen(function* () {
      const first = yield* writeDeterministicTarGz(entries)
      const second = yield* writeDeterministicTarGz([...entries].reverse())
      expect(Buffer.from(second).equals(Buffer.from(first))).toBe(true)
      const changed = yield* writeDeterministicTarGz([
        ...entries.slice(0, 4),
        { path: "checks", kind: "directory", executable: false, bytes: new Uint8Array() },
        { path: "z.json", kind: "file", executable: false, bytes: text("{}") }
      ])
      expect(Buffer.from(changed).equals(Buffer.from(first))).toBe(false)
    })
  )

  it.effect(
    "gzip header: mtime 0 and OS byte 255; tar headers: sorted, mtime 0, uid/gid 0, no names, fixed modes",
    () =>
      Effect.gen(function* () {
        const gz = yield* writeDeterministicTarGz(entries)
        expect([...gz.subarray(0, 3)]).toEqual([0x1f, 0x8b, 8])
        expect(gz[3]).toBe(0) // no FNAME/FEXTRA/FCOMMENT/FHCRC
        expect([...gz.subarray(4, 8)]).toEqual([0, 0, 0, 0])
        expect(gz[9]).toBe(255)
        const headers = yield* Effect.promise(() => headersOf(gz))
        expect(headers).toEqual([
          { name: "checks/", type: "directory", mode: 0o755, uid: 0, gid: 0, uname: "", gname: "", mtime: 0 },
          {
            name: "checks/size.sh",
            type: "file",
            mode: 0o755,
            uid: 0,
            gid: 0,
            uname: "",
            gname: "",
            mtime: 0
          },
          { name: "pack.json", type: "file", mode: 0o644, uid: 0, gid: 0, uname: "", gname: "", mtime: 0 },
          { name: "rules/", type: "directory", mode: 0o755, uid: 0, gid: 0, uname: "", gname: "", mtime: 0 },
          {
            name: "rules/no-secrets.json",
            type: "file",
            mode: 0o644,
            uid: 0,
            gid: 0,
            uname: "",
            gname: "",
            mtime: 0
          }
        ])
        // ustar only: no pax ('x'/'g') or GNU long-name ('L'/'K') headers anywhere
        const tar = gunzipSync(gz)
        const typeflags: Array<string> = []
        for (let offset = 0; offset + 512 <= tar.length; offset += 512)
          if (tar.subarray(offset + 257, offset + 262).toString() === "ustar")
            typeflags.push(String.fromCharCode(tar[offset + 156] ?? 0))
        expect(typeflags).toEqual(["5", "0", "0", "5", "0"])
      })
  )
})

describe("collectPackEntries + writeDeterministicTarGz over a directory", () => {
  it.effect("a copy with other mtimes and permissions bits (beyond exec) gives the same bytes", () =>
    Effect.gen(function* () {
      const base = mkdtempSync(join(tmpdir(), "pack-det-"))
      const a = join(base, "a")
      makePackDir(a)
      const b = join(base, "b")
      cpSync(a, b, { recursive: true })
      for (const path of ["pack.json", "rules/a.json", "tests/case-1.json", "check.sh", "rules"])
        utimesSync(join(b, path), new Date("2001-02-03T04:05:06Z"), new Date("2001-02-03T04:05:06Z"))
      chmodSync(join(b, "pack.json"), 0o600)
      chmodSync(join(b, "check.sh"), 0o755)
      mkdirSync(join(b, ".git"))
      writeFileSync(join(b, ".git", "HEAD"), "ref: refs/heads/main\n")
      const first = yield* Effect.flatMap(collectPackEntries(a), writeDeterministicTarGz)
      const again = yield* Effect.flatMap(collectPackEntries(a), writeDeterministicTarGz)
      const copy = yield* Effect.flatMap(collectPackEntries(b), writeDeterministicTarGz)
      expect(Buffer.from(again).equals(Buffer.from(first))).toBe(true)
      expect(Buffer.from(copy).equals(Buffer.from(first))).toBe(true)
      const headers = yield* Effect.promise(() => headersOf(first))
      expect(headers.map((h) => [h.name, h.mode])).toEqual([
        ["check.sh", 0o755],
        ["pack.json", 0o644],
        ["rules/", 0o755],
        ["rules/a.json", 0o644],
        ["tests/", 0o755],
        ["tests/case-1.json", 0o644]
      ])
    })
  )

  it.effect("a symbolic link inside the pack directory is refused, naming it", () =>
    Effect.gen(function* () {
      const dir = mkdtempSync(join(tmpdir(), "pack-link-"))
      makePackDir(dir)
      symlinkSync("/etc/passwd", join(dir, "rules", "passwd.json"))
      const error = yield* Effect.flip(collectPackEntries(dir))
      expect(error).toBeInstanceOf(ArchiveEntryRefused)
      expect([(error as ArchiveEntryRefused).entry, (error as ArchiveEntryRefused).reason]).toEqual([
        "rules/passwd.json",
        "symlink"
      ])
    })
  )
})

const segment = fc.stringMatching(/^[a-z0-9][a-z0-9._-]{0,11}$/).filter((s) => s !== "." && s !== "..")
const fileSet = fc.uniqueArray(
  fc.record({
    path: fc.array(segment, { minLength: 1, maxLength: 3 }).map((parts) => parts.join("/")),
    executable: fc.boolean(),
    content: fc.uint8Array({ maxLength: 300 })
  }),
  { selector: (file) => file.path, minLength: 1, maxLength: 12 }
)

describe("properties", () => {
  it("write → read round-trips every file (path, bytes, exec bit), and the bytes do not depend on entry order", async () => {
    await fc.assert(
      fc.asyncProperty(fileSet, (files) =>
        Effect.runPromise(
          Effect.gen(function* () {
            // a path that is also a parent of another path cannot be a file: keep the leaves only
            const leaves = files.filter((f) => !files.some((g) => g.path.startsWith(`${f.path}/`)))
            const entries: Array<ArchiveEntry> = leaves.map((f) => ({
              path: f.path,
              kind: "file",
              executable: f.executable,
              bytes: f.content
            }))
            const bytes = yield* writeDeterministicTarGz(entries)
            const reversed = yield* writeDeterministicTarGz([...entries].reverse())
            expect(Buffer.from(reversed).equals(Buffer.from(bytes))).toBe(true)
            const read = yield* readPackArchive(bytes)
            const summary = (list: ReadonlyArray<ArchiveEntry>) =>
              list
                .map((e) => [e.path, e.executable, Buffer.from(e.bytes).toString("hex")] as const)
                .sort((a, b) => (a[0] < b[0] ? -1 : 1))
            expect(summary(read)).toEqual(summary(entries))
          })
        )
      ),
      { numRuns: 60 }
    )
  }, 60_000)
})
