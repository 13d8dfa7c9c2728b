import { FileSystem, Path } from "@effect/platform"
import { NodeContext } from "@effect/platform-node"
import { expect, layer } from "@effect/vitest"
import { Effect, Either } from "effect"
import {
  generateSigningKey,
  INSTALLATION_KEY_FILES,
  loadOrCreateInstallationKey,
  readKeyFile,
  readPublicKeyFile,
  writeKeyFile,
  writePublicKeyFile
} from "../src/index.js"

const tempDir = Effect.flatMap(FileSystem.FileSystem, (fs) =>
  fs.makeTempDirectoryScoped({ prefix: "gauntlet-keys-" })
)

const modeOf = (file: string) =>
  Effect.flatMap(FileSystem.FileSystem, (fs) => Effect.map(fs.stat(file), (info) => info.mode & 0o777))

layer(NodeContext.layer)("key files", (it) => {
  it.scoped("a private key file is written with mode 0600 and reads back as the same key", () =>
    Effect.gen(function* () {
      const path = yield* Path.Path
      const dir = yield* tempDir
      const key = yield* generateSigningKey
      const file = path.join(dir, "k.key")
      yield* writeKeyFile(file, key)
      expect(yield* modeOf(file)).toBe(0o600)
      expect(yield* readKeyFile(file)).toEqual(key)
      const text = yield* Effect.flatMap(FileSystem.FileSystem, (fs) => fs.readFileString(file))
      expect(JSON.parse(text)).toMatchObject({ _type: "gauntlet-signing-key", keyId: key.keyId })
    })
  )

  it.scoped("refuses to overwrite a key unless asked, and then replaces it atomically with mode 0600", () =>
    Effect.gen(function* () {
      const path = yield* Path.Path
      const dir = yield* tempDir
      const [first, second] = [yield* generateSigningKey, yield* generateSigningKey]
      const file = path.join(dir, "k.key")
      yield* writeKeyFile(file, first)
      const again = yield* Effect.either(writeKeyFile(file, second))
      expect(Either.isLeft(again) && again.left.reason).toBe("exists")
      expect((yield* readKeyFile(file)).keyId).toBe(first.keyId)
      yield* writeKeyFile(file, second, { overwrite: true })
      expect((yield* readKeyFile(file)).keyId).toBe(second.keyId)
      expect(yield* modeOf(file)).toBe(0o600)
      const fs = yield* FileSystem.FileSystem
      expect((yield* fs.readDirectory(dir)).sort()).toEqual(["k.key"])
    })
  )

  it.scoped("refuses to read a private key readable by group or others, naming the fix", () =>
    Effect.gen(function* () {
      const fs = yield* FileSystem.FileSystem
      const path = yield* Path.Path
      const dir = yield* tempDir
      const file = path.join(dir, "k.key")
      yield* writeKeyFile(file, yield* generateSigningKey)
      for (const mode of [0o644, 0o640, 0o604, 0o660]) {
        yield* fs.chmod(file, mode)
        const result = yield* Effect.either(readKeyFile(file))
        expect(Either.isLeft(result) && result.left._tag === "KeyFileError" && result.left.reason).toBe(
          "insecure-permissions"
        )
        expect(Either.isLeft(result) && result.left.message).toContain(`run chmod 600 ${file}`)
      }
      yield* fs.chmod(file, 0o400)
      expect(Either.isRight(yield* Effect.either(readKeyFile(file)))).toBe(true)
    })
  )

  it.scoped("a key file whose key id does not match its PEM, or that is not a key file, is refused", () =>
    Effect.gen(function* () {
      const fs = yield* FileSystem.FileSystem
      const path = yield* Path.Path
      const dir = yield* tempDir
      const [a, b] = [yield* generateSigningKey, yield* generateSigningKey]
      const mixed = path.join(dir, "mixed.key")
      yield* writeKeyFile(mixed, { ...a, keyId: b.keyId, publicKey: b.publicKey })
      const result = yield* Effect.either(readKeyFile(mixed))
      expect(Either.isLeft(result) && result.left._tag).toBe("InvalidKey")
      const junk = path.join(dir, "junk.key")
      yield* fs.writeFileString(junk, "{}", { mode: 0o600 })
      const junkResult = yield* Effect.either(readKeyFile(junk))
      expect(
        Either.isLeft(junkResult) && junkResult.left._tag === "KeyFileError" && junkResult.left.reason
      ).toBe("malformed")
      const missing = yield* Effect.either(readKeyFile(path.join(dir, "missing.key")))
      expect(Either.isLeft(missing) && missing.left._tag === "KeyFileError" && missing.left.reason).toBe("io")
    })
  )

  it.scoped("public key files carry the key id and are checked on read", () =>
    Effect.gen(function* () {
      const fs = yield* FileSystem.FileSystem
      const path = yield* Path.Path
      const dir = yield* tempDir
      const key = yield* generateSigningKey
      const file = path.join(dir, "k.pub.json")
      yield* writePublicKeyFile(file, key.publicKey)
      expect(yield* readPublicKeyFile(file)).toEqual({
        _type: "gauntlet-public-key",
        keyId: key.keyId,
        publicKey: key.publicKey
      })
      yield* fs.writeFileString(
        file,
        JSON.stringify({ _type: "gauntlet-public-key", keyId: "0".repeat(64), publicKey: key.publicKey })
      )
      const result = yield* Effect.either(readPublicKeyFile(file))
      expect(Either.isLeft(result) && result.left._tag).toBe("InvalidKey")
    })
  )

  it.scoped("the installation key is created once (0600, directory 0700), then loaded", () =>
    Effect.gen(function* () {
      const fs = yield* FileSystem.FileSystem
      const path = yield* Path.Path
      const dir = path.join(yield* tempDir, "nested", "keys")
      const first = yield* loadOrCreateInstallationKey(dir)
      expect(first.created).toBe(true)
      expect(first.privateKeyPath).toBe(path.join(dir, INSTALLATION_KEY_FILES.privateKey))
      expect(yield* modeOf(first.privateKeyPath)).toBe(0o600)
      expect(yield* modeOf(dir)).toBe(0o700)
      expect((yield* readPublicKeyFile(first.publicKeyPath)).keyId).toBe(first.key.keyId)
      const second = yield* loadOrCreateInstallationKey(dir)
      expect(second.created).toBe(false)
      expect(second.key).toEqual(first.key)
      yield* fs.remove(first.publicKeyPath)
      const third = yield* loadOrCreateInstallationKey(dir)
      expect(third.key.keyId).toBe(first.key.keyId)
      expect((yield* readPublicKeyFile(first.publicKeyPath)).keyId).toBe(first.key.keyId)
    })
  )

  it.scoped("concurrent first uses agree on one installation key", () =>
    Effect.gen(function* () {
      const path = yield* Path.Path
      const dir = path.join(yield* tempDir, "race")
      const results = yield* Effect.all(
        Array.from({ length: 6 }, () => loadOrCreateInstallationKey(dir)),
        { concurrency: "unbounded" }
      )
      expect(new Set(results.map((result) => result.key.keyId)).size).toBe(1)
      expect(results.filter((result) => result.created)).toHaveLength(1)
    })
  )

  it.scoped("an installation key made insecure is refused, not silently replaced", () =>
    Effect.gen(function* () {
      const fs = yield* FileSystem.FileSystem
      const path = yield* Path.Path
      const dir = path.join(yield* tempDir, "k")
      const { privateKeyPath } = yield* loadOrCreateInstallationKey(dir)
      yield* fs.chmod(privateKeyPath, 0o644)
      const result = yield* Effect.either(loadOrCreateInstallationKey(dir))
      expect(Either.isLeft(result) && result.left._tag === "KeyFileError" && result.left.reason).toBe(
        "insecure-permissions"
      )
    })
  )
})
