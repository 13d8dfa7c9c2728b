import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { describe, expect, it } from "@effect/vitest"
import { classifyUnknown } from "@gauntlet/failure"
import {
  buildPackArchive,
  initPack,
  installPack,
  listInstalled,
  PackNotVerified,
  PackSourceInvalid,
  signPack
} from "@gauntlet/pack-archive"
import { type RootSigned, signingKeyFromSeedHex, signTrustRoot } from "@gauntlet/signing"
import { Effect } from "effect"

const NOW = "2026-11-29T12:00:00.000Z"

const setup = Effect.gen(function* () {
  const rootKey = yield* Effect.orDie(signingKeyFromSeedHex("11".repeat(32)))
  const publisher = yield* Effect.orDie(signingKeyFromSeedHex("22".repeat(32)))
  const signed: RootSigned = {
    _type: "gauntlet-root",
    version: 1,
    expires: "2027-01-01T00:00:00Z",
    keys: { [rootKey.keyId]: rootKey.publicKey, [publisher.keyId]: publisher.publicKey },
    roles: {
      root: { keyids: [rootKey.keyId], threshold: 1 },
      "packs/acme": { keyids: [publisher.keyId], threshold: 1 }
    }
  }
  const root = yield* Effect.orDie(signTrustRoot(signed, [rootKey]))
  const release = (version: string, readme?: string) =>
    Effect.gen(function* () {
      const dir = join(mkdtempSync(join(tmpdir(), "pack-install-src-")), "pack")
      yield* initPack(dir, "acme/demo")
      const manifest = JSON.parse(readFileSync(join(dir, "pack.json"), "utf8")) as object
      writeFileSync(join(dir, "pack.json"), JSON.stringify({ ...manifest, version }))
      if (readme !== undefined) writeFileSync(join(dir, "README.md"), readme)
      const archive = yield* buildPackArchive(dir)
      const { envelope } = yield* signPack({ archive, keys: [publisher] })
      return { archive: archive.bytes, envelope, digest: archive.digest }
    })
  const home = mkdtempSync(join(tmpdir(), "pack-install-home-"))
  return { root, release, home }
})

describe("installPack and listInstalled", () => {
  it.effect(
    "installs under <dir>/packs/<id>/<version>/, keeps archive and envelope, records the index; reinstall is a no-op",
    () =>
      Effect.gen(function* () {
        const { root, release, home } = yield* setup
        const v1 = yield* release("1.0.0")
        const installed = yield* installPack({ dir: home, ...v1, root, now: NOW })
        expect(installed).toMatchObject({
          id: "acme/demo",
          version: "1.0.0",
          digest: v1.digest,
          highestVersion: "1.0.0",
          installedAt: NOW,
          path: join(home, "packs", "acme", "demo", "1.0.0")
        })
        expect(readdirSync(installed.path).sort()).toEqual(["README.md", "pack.json", "tests"])
        expect(readdirSync(join(home, "packs", "acme", "demo")).sort()).toEqual([
          "1.0.0",
          "1.0.0.dsse.json",
          "1.0.0.tar.gz"
        ])
        expect(readdirSync(join(home, "packs")).filter((n) => n.startsWith(".staging"))).toEqual([])
        const again = yield* installPack({ dir: home, ...v1, root, now: "2026-11-30T00:00:00.000Z" })
        expect(again.installedAt).toBe(NOW)
        expect(yield* listInstalled(home)).toEqual([installed])
      }),
    60_000
  )

  it.effect(
    "after 1.2.0, installing 1.1.0 is refused as rollback; 1.3.0 is accepted; the highest version only goes up",
    () =>
      Effect.gen(function* () {
        const { root, release, home } = yield* setup
        yield* installPack({ dir: home, ...(yield* release("1.2.0")), root, now: NOW })
        const older = yield* release("1.1.0")
        const refused = yield* Effect.flip(installPack({ dir: home, ...older, root, now: NOW }))
        expect(refused).toBeInstanceOf(PackNotVerified)
        expect(refused).toMatchObject({ pack: "acme/demo", reason: "rollback" })
        expect(classifyUnknown(refused).failureClass).toBe("policy")
        expect(existsSync(join(home, "packs", "acme", "demo", "1.1.0"))).toBe(false)
        yield* installPack({ dir: home, ...(yield* release("1.3.0")), root, now: NOW })
        const listed = yield* listInstalled(home)
        expect(listed.map((p) => [p.version, p.highestVersion])).toEqual([
          ["1.2.0", "1.3.0"],
          ["1.3.0", "1.3.0"]
        ])
      }),
    60_000
  )

  it.effect(
    "a tampered archive is refused (digest-mismatch) and nothing is installed",
    () =>
      Effect.gen(function* () {
        const { root, release, home } = yield* setup
        const v1 = yield* release("1.0.0")
        const tampered = Uint8Array.from(v1.archive)
        tampered[20] = (tampered[20] ?? 0) ^ 0x55
        const refused = yield* Effect.flip(
          installPack({ dir: home, ...v1, archive: tampered, root, now: NOW })
        )
        expect(refused).toMatchObject({ _tag: "PackNotVerified", reason: "digest-mismatch" })
        expect(classifyUnknown(refused).failureClass).toBe("data-integrity")
        expect(existsSync(join(home, "packs"))).toBe(false)
        expect(yield* listInstalled(home)).toEqual([])
      }),
    60_000
  )

  it.effect(
    "an expired root refuses every install; a second, different archive for an installed version is refused",
    () =>
      Effect.gen(function* () {
        const { root, release, home } = yield* setup
        const v1 = yield* release("1.0.0")
        const expired = yield* Effect.flip(
          installPack({ dir: home, ...v1, root, now: "2027-02-01T00:00:00Z" })
        )
        expect(expired).toMatchObject({ _tag: "PackNotVerified", reason: "root-expired" })
        yield* installPack({ dir: home, ...v1, root, now: NOW })
        const swapped = yield* release("1.0.0", "# same version, other content\n")
        const conflict = yield* Effect.flip(installPack({ dir: home, ...swapped, root, now: NOW }))
        expect(conflict).toBeInstanceOf(PackSourceInvalid)
        expect(conflict.message).toContain("already installed with digest")
      }),
    60_000
  )

  it.effect(
    "a concurrent install (the lock is held) is refused without touching anything; the lock is released after",
    () =>
      Effect.gen(function* () {
        const { root, release, home } = yield* setup
        const v1 = yield* release("1.0.0")
        writeFileSync(join(home, "packs.lock"), "12345\n")
        const busy = yield* Effect.flip(installPack({ dir: home, ...v1, root, now: NOW }))
        expect(busy).toMatchObject({ _tag: "PackIoError", operation: "lock" })
        expect(existsSync(join(home, "packs"))).toBe(false)
        rmSync(join(home, "packs.lock"))
        yield* installPack({ dir: home, ...v1, root, now: NOW })
        expect(existsSync(join(home, "packs.lock"))).toBe(false)
        const refused = yield* Effect.flip(
          installPack({ dir: home, ...(yield* release("0.9.0")), root, now: NOW })
        )
        expect(refused._tag).toBe("PackNotVerified")
        expect(existsSync(join(home, "packs.lock"))).toBe(false)
      }),
    60_000
  )

  it.effect("a corrupt index is an error, never silently reset", () =>
    Effect.gen(function* () {
      const { home } = yield* setup
      mkdirSync(join(home, "packs"))
      writeFileSync(join(home, "packs", "index.json"), '{"formatVersion":2}')
      const error = yield* Effect.flip(listInstalled(home))
      expect(error).toBeInstanceOf(PackSourceInvalid)
    })
  )
})

describe("initPack", () => {
  it.effect("refuses a bad id and a non-empty directory", () =>
    Effect.gen(function* () {
      const base = mkdtempSync(join(tmpdir(), "pack-init-"))
      const badId = yield* Effect.flip(initPack(join(base, "x"), "NoNamespace"))
      expect(badId.message).toContain("namespace/name")
      writeFileSync(join(base, "keep.txt"), "mine")
      const notEmpty = yield* Effect.flip(initPack(base, "acme/x"))
      expect(notEmpty.message).toContain("not empty")
      expect(readFileSync(join(base, "keep.txt"), "utf8")).toBe("mine")
    })
  )
})
