import { mkdtempSync, readFileSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { NodeContext } from "@effect/platform-node"
import { describe, expect, it } from "@effect/vitest"
import {
  buildPackFile,
  initPack,
  installPackFile,
  listInstalled,
  signPackFile,
  verifyPackFile
} from "@gauntlet/pack-archive"
import {
  generateKeyFiles,
  type RootSigned,
  readPublicKeyFile,
  signingKeyFromSeedHex,
  signTrustRoot
} from "@gauntlet/signing"
import { Effect } from "effect"

const NOW = "2026-11-29T12:00:00.000Z"

describe("file-level commands (what `gauntlet pack …` runs)", () => {
  it.effect(
    "init → build → sign with a key file → verify → install; a tampered file and a rollback are refused with reasons",
    () =>
      Effect.gen(function* () {
        const base = mkdtempSync(join(tmpdir(), "pack-commands-"))
        const keys = yield* generateKeyFiles({ outDir: join(base, "keys"), name: "publisher" })
        const rootKey = yield* Effect.orDie(signingKeyFromSeedHex("aa".repeat(32)))
        const publisher = yield* readPublicKeyFile(keys.publicKeyPath)
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
        const rootFile = join(base, "root.json")
        writeFileSync(rootFile, JSON.stringify(yield* Effect.orDie(signTrustRoot(signed, [rootKey]))))

        const release = (version: string) =>
          Effect.gen(function* () {
            const dir = join(base, `src-${version}`)
            yield* initPack(dir, "acme/demo")
            const manifest = JSON.parse(readFileSync(join(dir, "pack.json"), "utf8")) as object
            writeFileSync(join(dir, "pack.json"), JSON.stringify({ ...manifest, version }))
            const built = yield* buildPackFile({ dir, outDir: join(base, "out") })
            const sig = yield* signPackFile({ archive: built.archivePath, keyFiles: [keys.privateKeyPath] })
            return { built, sig }
          })

        const { built, sig } = yield* release("1.0.0")
        expect(built.archivePath).toBe(join(base, "out", "acme-demo-1.0.0.tar.gz"))
        expect(built.tests).toEqual({ passed: 2, failed: 0 })
        expect(sig.envelopePath).toBe(join(base, "out", "acme-demo-1.0.0.dsse.json"))
        expect(sig.keyIds).toEqual([keys.keyId])
        expect(sig.subject).toEqual({
          name: "acme-demo-1.0.0.tar.gz",
          digest: { sha256: built.digest.slice(7) }
        })

        const verified = yield* verifyPackFile({ archive: built.archivePath, rootFile, now: NOW })
        expect(verified).toMatchObject({ ok: true, id: "acme/demo", version: "1.0.0", signers: [keys.keyId] })

        const home = join(base, "home")
        const installed = yield* installPackFile({
          dir: home,
          archive: built.archivePath,
          rootFile,
          now: NOW
        })
        expect(installed.path).toBe(join(home, "packs", "acme", "demo", "1.0.0"))

        const older = yield* release("0.9.0")
        const rollback = yield* verifyPackFile({
          archive: older.built.archivePath,
          rootFile,
          now: NOW,
          installedDir: home
        })
        expect(rollback).toMatchObject({ ok: false, reason: "rollback" })
        const refused = yield* Effect.flip(
          installPackFile({ dir: home, archive: older.built.archivePath, rootFile, now: NOW })
        )
        expect(refused).toMatchObject({ _tag: "PackNotVerified", reason: "rollback" })

        const tamperedPath = join(base, "tampered.tar.gz")
        const bytes = readFileSync(built.archivePath)
        bytes[bytes.length - 5] = (bytes[bytes.length - 5] ?? 0) ^ 1
        writeFileSync(tamperedPath, bytes)
        const tampered = yield* verifyPackFile({
          archive: tamperedPath,
          envelope: sig.envelopePath,
          rootFile,
          now: NOW
        })
        expect(tampered).toMatchObject({ ok: false, reason: "digest-mismatch" })
        expect((yield* listInstalled(home)).map((p) => `${p.id}@${p.version}`)).toEqual(["acme/demo@1.0.0"])
      }).pipe(Effect.provide(NodeContext.layer)),
    60_000
  )

  it.effect("a missing or malformed envelope is an error naming the file", () =>
    Effect.gen(function* () {
      const base = mkdtempSync(join(tmpdir(), "pack-commands-bad-"))
      writeFileSync(join(base, "x.tar.gz"), "not really")
      writeFileSync(join(base, "x.dsse.json"), '{"payload": 1}')
      writeFileSync(join(base, "root.json"), "{}")
      const missing = yield* Effect.flip(
        verifyPackFile({ archive: join(base, "y.tar.gz"), rootFile: join(base, "root.json"), now: NOW })
      )
      expect(missing).toMatchObject({ _tag: "PackIoError", path: join(base, "y.tar.gz") })
      const malformed = yield* Effect.flip(
        verifyPackFile({ archive: join(base, "x.tar.gz"), rootFile: join(base, "root.json"), now: NOW })
      )
      expect(malformed).toMatchObject({ _tag: "PackSourceInvalid", path: join(base, "x.dsse.json") })
    }).pipe(Effect.provide(NodeContext.layer))
  )
})
