import { statSync } from "node:fs"
import { join } from "node:path"
import { NodeContext } from "@effect/platform-node"
import { describe, expect, it } from "@effect/vitest"
import { signTrustRoot } from "@gauntlet/signing"
import { Effect } from "effect"
import { buildEvidenceBundle, EvidenceKey, verifyEvidenceBundle } from "../src/index.js"
import { syntheticRun } from "./synthetic.js"
import { otherKey, tempDir, testKey } from "./world.js"

describe("EvidenceKey.layerInstallation", () => {
  it.effect("creates the installation key once (0600), exports its public half, and reuses it", () =>
    Effect.gen(function* () {
      const dir = join(tempDir(), "keys")
      const first = yield* Effect.provide(EvidenceKey, EvidenceKey.layerInstallation(dir))
      const second = yield* Effect.provide(EvidenceKey, EvidenceKey.layerInstallation(dir))
      expect(first.keys).toHaveLength(1)
      expect(second.keys[0]!.keyId).toBe(first.keys[0]!.keyId)
      expect(statSync(join(dir, "installation.key")).mode & 0o777).toBe(0o600)
      expect(statSync(join(dir, "installation.pub.json")).isFile()).toBe(true)
    }).pipe(Effect.provide(NodeContext.layer))
  )
})

describe("verifyEvidenceBundle with a trust root", () => {
  it.effect("accepts a key of the evidence role, refuses revoked, expired-root and foreign keys", () =>
    Effect.gen(function* () {
      const key = yield* testKey
      const other = yield* otherKey
      const bundle = yield* buildEvidenceBundle({
        runId: "run-r",
        events: syntheticRun({ runId: "run-r", ending: "completed" }),
        keys: [key]
      })
      const rootOf = (revoked: boolean) =>
        Effect.orDie(
          signTrustRoot(
            {
              _type: "gauntlet-root",
              version: 1,
              expires: "2030-01-01T00:00:00Z",
              keys: {
                [other.keyId]: other.publicKey,
                [key.keyId]: { ...key.publicKey, ...(revoked ? { revoked: true } : {}) }
              },
              roles: {
                root: { keyids: [other.keyId], threshold: 1 },
                evidence: { keyids: [key.keyId], threshold: 1 }
              }
            },
            [other]
          )
        )
      const root = yield* rootOf(false)
      const now = "2027-01-01T00:00:00Z"
      expect(verifyEvidenceBundle({ bundle: bundle.text, root: { root, now } })).toMatchObject({
        ok: true,
        signers: [key.keyId]
      })
      expect(
        verifyEvidenceBundle({ bundle: bundle.text, root: { root: yield* rootOf(true), now } })
      ).toMatchObject({
        ok: false,
        index: 0,
        reason: "revoked-key"
      })
      expect(
        verifyEvidenceBundle({ bundle: bundle.text, root: { root, now: "2031-01-01T00:00:00Z" } })
      ).toMatchObject({
        ok: false,
        reason: "root-expired"
      })
      expect(verifyEvidenceBundle({ bundle: bundle.text, root: { root, now, role: "root" } })).toMatchObject({
        ok: false,
        index: 0
      })
    })
  )
})
