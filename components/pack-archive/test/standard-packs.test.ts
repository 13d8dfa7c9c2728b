import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { describe, expect, it } from "@effect/vitest"
import { buildPackArchive, installPack, listInstalled, signPack, verifyPack } from "@gauntlet/pack-archive"
import {
  DsseEnvelope,
  decodeTrustRoot,
  type RootSigned,
  signingKeyFromSeedHex,
  signTrustRoot,
  verifyTrustRoot
} from "@gauntlet/signing"
import { Effect, Schema } from "effect"

/**
 * The standard packs in `policy-packs/<name>/` are built and signed with the DEVELOPMENT key pair of
 * `policy-packs/dev-keys/` into `policy-packs/signed/`, and `policy-packs/trust-root.dev.json` trusts that key for
 * `packs/gauntlet`. This test checks the committed artifacts are exactly what building and signing produces now
 * (so an edited pack without re-signed artifacts fails CI) and that each verifies against the dev root.
 * Regenerate with `UPDATE_PACK_DIST=1 npx vitest run components/pack-archive/test/standard-packs.test.ts`.
 */

const REPO = join(import.meta.dirname, "..", "..", "..")
const PACKS = join(REPO, "policy-packs")
const DIST = join(PACKS, "signed")
const ROOT_FILE = join(PACKS, "trust-root.dev.json")
const UPDATE = process.env.UPDATE_PACK_DIST === "1"
/** A fixed verification time, so the test does not start failing when the dev root expires. */
const NOW = "2026-11-29T12:00:00.000Z"

const ROOT_COMMENT =
  "DEVELOPMENT ONLY. This example trust root trusts the published development keys of policy-packs/dev-keys/ " +
  "(not secrets: anyone can sign with them) to sign packs in the 'gauntlet' namespace. Use it to try " +
  "`gauntlet pack verify|install` with the standard packs; never use it, or its keys, in production."

const DevKeys = Schema.Struct({
  root: Schema.Struct({ seedHex: Schema.String }),
  publisher: Schema.Struct({ seedHex: Schema.String })
})

const devKeys = Effect.gen(function* () {
  const file = Schema.decodeUnknownSync(DevKeys)(
    JSON.parse(readFileSync(join(PACKS, "dev-keys", "DEVELOPMENT-ONLY-keys.json"), "utf8"))
  )
  const root = yield* Effect.orDie(signingKeyFromSeedHex(file.root.seedHex))
  const publisher = yield* Effect.orDie(signingKeyFromSeedHex(file.publisher.seedHex))
  return { root, publisher }
})

const standardPacks = readdirSync(PACKS)
  .filter((name) => existsSync(join(PACKS, name, "pack.json")))
  .sort()

const json = (value: unknown) => `${JSON.stringify(value, null, 2)}\n`

/** Writes (UPDATE_PACK_DIST=1) or compares a committed artifact with what was just produced. */
const expectArtifact = (path: string, bytes: Uint8Array | string) => {
  const wanted = typeof bytes === "string" ? Buffer.from(bytes) : Buffer.from(bytes)
  if (UPDATE) {
    mkdirSync(join(path, ".."), { recursive: true })
    writeFileSync(path, wanted)
    return
  }
  expect(existsSync(path), `${path} is missing: run UPDATE_PACK_DIST=1 (see this test's header)`).toBe(true)
  expect(
    readFileSync(path).equals(wanted),
    `${path} is stale: run UPDATE_PACK_DIST=1 (see this test's header)`
  ).toBe(true)
}

describe("standard packs: signed development artifacts", () => {
  it.effect("the development trust root is committed, self-signed and marked development-only", () =>
    Effect.gen(function* () {
      const { root, publisher } = yield* devKeys
      const signed: RootSigned = {
        _type: "gauntlet-root",
        version: 1,
        expires: "2031-01-01T00:00:00Z",
        keys: { [root.keyId]: root.publicKey, [publisher.keyId]: publisher.publicKey },
        roles: {
          root: { keyids: [root.keyId], threshold: 1 },
          "packs/gauntlet": { keyids: [publisher.keyId], threshold: 1 }
        }
      }
      const trustRoot = yield* Effect.orDie(signTrustRoot(signed, [root]))
      const wanted = { _comment: ROOT_COMMENT, ...trustRoot }
      // compared as JSON (the file is formatted by biome); signed artifacts are compared byte for byte
      if (UPDATE) writeFileSync(ROOT_FILE, json(wanted))
      else
        expect(
          JSON.parse(readFileSync(ROOT_FILE, "utf8")),
          `${ROOT_FILE} is stale: run UPDATE_PACK_DIST=1`
        ).toEqual(wanted)
      const committed = yield* decodeTrustRoot(JSON.parse(readFileSync(ROOT_FILE, "utf8")))
      expect(verifyTrustRoot(committed, NOW).ok).toBe(true)
      expect((JSON.parse(readFileSync(ROOT_FILE, "utf8")) as { _comment: string })._comment).toContain(
        "DEVELOPMENT ONLY"
      )
    })
  )

  it.effect.each(standardPacks)(
    "%s: committed archive and envelope are what building and signing give now, and they verify and install",
    (name) =>
      Effect.gen(function* () {
        const { publisher } = yield* devKeys
        const archive = yield* buildPackArchive(join(PACKS, name))
        const { envelope } = yield* signPack({ archive, keys: [publisher] })
        const base = join(DIST, archive.fileName)
        expectArtifact(base, archive.bytes)
        expectArtifact(`${base.slice(0, -".tar.gz".length)}.dsse.json`, json(envelope))

        const root = yield* decodeTrustRoot(JSON.parse(readFileSync(ROOT_FILE, "utf8")))
        const committedEnvelope = Schema.decodeUnknownSync(DsseEnvelope)(
          JSON.parse(readFileSync(`${base.slice(0, -".tar.gz".length)}.dsse.json`, "utf8"))
        )
        const committedArchive = new Uint8Array(readFileSync(base))
        const verified = yield* verifyPack({
          archive: committedArchive,
          envelope: committedEnvelope,
          root,
          now: NOW
        })
        expect(verified).toMatchObject({ ok: true, id: archive.pack.id, version: archive.pack.version })
        const dir = mkdtempSync(join(tmpdir(), `pack-archive-standard-${name}-`))
        const installed = yield* installPack({
          dir,
          archive: committedArchive,
          envelope: committedEnvelope,
          root,
          now: NOW
        })
        expect((yield* listInstalled(dir)).map((p) => p.id)).toEqual([installed.id])
      }),
    120_000
  )
})
