import { FileSystem, Path } from "@effect/platform"
import { NodeContext } from "@effect/platform-node"
import { expect, layer } from "@effect/vitest"
import { Effect, Either } from "effect"
import {
  createTrustRootFile,
  describeKeyFile,
  generateKeyFiles,
  initialRoot,
  nextRoot,
  prepareNextRootFile,
  readTrustRootFile,
  signTrustRootFile,
  verifyTrustRootFile
} from "../src/index.js"
import { testKeys } from "./fixtures.js"

const NOW = "2027-01-01T00:00:00Z"
const tempDir = Effect.flatMap(FileSystem.FileSystem, (fs) =>
  fs.makeTempDirectoryScoped({ prefix: "gauntlet-root-" })
)

layer(NodeContext.layer)("keys and root commands", (it) => {
  it.scoped("keys generate writes <name>.key (0600) and <name>.pub.json; keys show reads either", () =>
    Effect.gen(function* () {
      const fs = yield* FileSystem.FileSystem
      const path = yield* Path.Path
      const dir = path.join(yield* tempDir, "keys")
      const generated = yield* generateKeyFiles({ outDir: dir, name: "alice" })
      expect(generated.privateKeyPath).toBe(path.join(dir, "alice.key"))
      expect(generated.publicKeyPath).toBe(path.join(dir, "alice.pub.json"))
      expect((yield* fs.stat(generated.privateKeyPath)).mode & 0o777).toBe(0o600)
      expect(yield* describeKeyFile(generated.privateKeyPath)).toEqual({
        kind: "private",
        keyId: generated.keyId,
        publicKey: generated.publicKey
      })
      expect((yield* describeKeyFile(generated.publicKeyPath)).kind).toBe("public")
      const junk = path.join(dir, "junk.json")
      yield* fs.writeFileString(junk, "not json")
      const junkResult = yield* Effect.either(describeKeyFile(junk))
      expect(
        Either.isLeft(junkResult) && junkResult.left._tag === "KeyFileError" && junkResult.left.reason
      ).toBe("malformed")
      const twice = yield* Effect.either(generateKeyFiles({ outDir: dir, name: "alice" }))
      expect(Either.isLeft(twice) && twice.left.reason).toBe("exists")
      const badName = yield* Effect.either(generateKeyFiles({ outDir: dir, name: "../evil" }))
      expect(Either.isLeft(badName) && badName.left.reason).toBe("malformed")
      expect((yield* generateKeyFiles({ outDir: dir })).privateKeyPath).toBe(path.join(dir, "signing.key"))
    })
  )

  it.scoped("root init → next (rotate a root key, revoke a publisher) → sign by old and new → verify", () =>
    Effect.gen(function* () {
      const path = yield* Path.Path
      const dir = yield* tempDir
      const [r1, r2, r3, pub] = yield* Effect.forEach(["r1", "r2", "r3", "pub"], (name) =>
        generateKeyFiles({ outDir: dir, name })
      )
      if (r1 === undefined || r2 === undefined || r3 === undefined || pub === undefined)
        throw new Error("keys")
      const v1 = path.join(dir, "root.json")
      const created = yield* createTrustRootFile({
        out: v1,
        expires: "2030-01-01T00:00:00Z",
        keys: [
          { publicKeyFile: r1.publicKeyPath, roles: ["root"] },
          { publicKeyFile: r2.publicKeyPath, roles: ["root"] },
          { publicKeyFile: pub.publicKeyPath, roles: ["packs/acme", "evidence"] }
        ],
        thresholds: { root: 2 },
        signWith: [r1.privateKeyPath, r2.privateKeyPath],
        now: NOW
      })
      expect(created.ok).toBe(true)
      const root1 = yield* readTrustRootFile(v1)
      expect(root1.signed.roles).toEqual({
        root: { keyids: [r1.keyId, r2.keyId], threshold: 2 },
        "packs/acme": { keyids: [pub.keyId], threshold: 1 },
        evidence: { keyids: [pub.keyId], threshold: 1 }
      })
      expect(yield* verifyTrustRootFile({ rootFile: v1, now: NOW })).toMatchObject({ ok: true })

      const v2 = path.join(dir, "root-2.json")
      const prepared = yield* prepareNextRootFile({
        from: v1,
        out: v2,
        add: [{ publicKeyFile: r3.publicKeyPath, roles: ["root"] }],
        remove: [r1.keyId],
        revoke: [pub.keyId]
      })
      expect(prepared.signed.version).toBe(2)
      expect(prepared.signatures).toEqual([])
      expect(prepared.signed.keys[pub.keyId]?.revoked).toBe(true)
      expect(prepared.signed.roles.root).toEqual({ keyids: [r2.keyId, r3.keyId], threshold: 2 })

      // Only the new keys: the old threshold (r1, r2 → 2) is not met.
      yield* signTrustRootFile({ rootFile: v2, keyFiles: [r3.privateKeyPath, r2.privateKeyPath] })
      const short = yield* verifyTrustRootFile({ rootFile: v2, trustedFile: v1, now: NOW })
      expect(short.ok === false && short.reason).toBe("threshold-not-met")
      expect(short.ok === false && short.detail).toContain("the trusted root (version 1) requires")
      yield* signTrustRootFile({ rootFile: v2, keyFiles: [r1.privateKeyPath] })
      const rotated = yield* verifyTrustRootFile({ rootFile: v2, trustedFile: v1, now: NOW })
      expect(rotated.ok && [...rotated.signers].sort()).toEqual([r1.keyId, r2.keyId, r3.keyId].sort())
      const back = yield* verifyTrustRootFile({ rootFile: v1, trustedFile: v2, now: NOW })
      expect(back.ok === false && back.reason).toBe("rollback")
    })
  )

  it.scoped("root init refuses a root its own signers cannot satisfy and writes nothing", () =>
    Effect.gen(function* () {
      const fs = yield* FileSystem.FileSystem
      const path = yield* Path.Path
      const dir = yield* tempDir
      const [a, b] = yield* Effect.forEach(["a", "b"], (name) => generateKeyFiles({ outDir: dir, name }))
      if (a === undefined || b === undefined) throw new Error("keys")
      const out = path.join(dir, "root.json")
      const result = yield* createTrustRootFile({
        out,
        expires: "2030-01-01T00:00:00Z",
        keys: [
          { publicKeyFile: a.publicKeyPath, roles: ["root"] },
          { publicKeyFile: b.publicKeyPath, roles: ["root"] }
        ],
        thresholds: { root: 2 },
        signWith: [a.privateKeyPath],
        now: NOW
      })
      expect(result.ok === false && result.reason).toBe("threshold-not-met")
      expect(yield* fs.exists(out)).toBe(false)
      const tooHigh = yield* Effect.either(
        createTrustRootFile({
          out,
          expires: "2030-01-01T00:00:00Z",
          keys: [{ publicKeyFile: a.publicKeyPath, roles: ["root"] }],
          thresholds: { root: 3 },
          signWith: [a.privateKeyPath],
          now: NOW
        })
      )
      expect(Either.isLeft(tooHigh) && tooHigh.left._tag === "InvalidTrustRoot" && tooHigh.left.pointer).toBe(
        "/signed/roles/root/threshold"
      )
    })
  )
})

layer(NodeContext.layer)("root editing (pure)", (it) => {
  it.effect("initialRoot groups keys by role; nextRoot bumps the version and applies the edit", () =>
    Effect.gen(function* () {
      const [a, b, c] = yield* testKeys(3)
      if (a === undefined || b === undefined || c === undefined) throw new Error("keys")
      const first = initialRoot({
        expires: "2030-01-01T00:00:00Z",
        keys: [
          { publicKey: a.publicKey, roles: ["root", "packs/acme"], validUntil: "2029-01-01T00:00:00Z" },
          { publicKey: b.publicKey, roles: ["packs/acme"] }
        ],
        thresholds: { "packs/acme": 2 }
      })
      expect(first.version).toBe(1)
      expect(first.keys[a.keyId]?.validUntil).toBe("2029-01-01T00:00:00Z")
      expect(first.roles).toEqual({
        root: { keyids: [a.keyId], threshold: 1 },
        "packs/acme": { keyids: [a.keyId, b.keyId], threshold: 2 }
      })
      const second = nextRoot(first, {
        expires: "2031-01-01T00:00:00Z",
        add: [{ publicKey: c.publicKey, roles: ["root"] }],
        remove: [b.keyId],
        revoke: [a.keyId],
        thresholds: { "packs/acme": 1 }
      })
      expect(second.version).toBe(2)
      expect(second.expires).toBe("2031-01-01T00:00:00Z")
      expect(Object.keys(second.keys).sort()).toEqual([a.keyId, c.keyId].sort())
      expect(second.keys[a.keyId]?.revoked).toBe(true)
      expect(second.roles).toEqual({
        root: { keyids: [a.keyId, c.keyId], threshold: 1 },
        "packs/acme": { keyids: [a.keyId], threshold: 1 }
      })
      expect(first.roles["packs/acme"]?.keyids).toEqual([a.keyId, b.keyId])
    })
  )
})
