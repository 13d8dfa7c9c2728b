import { describe, expect, it } from "@effect/vitest"
import { canonicalize, sha256Hex } from "@gauntlet/canonical"
import { Effect, Either } from "effect"
import {
  checkSubjectDigest,
  encodeBase64,
  IN_TOTO_PAYLOAD_TYPE,
  makeStatement,
  openStatement,
  STATEMENT_TYPE,
  signingKeyFromSeedHex,
  signStatement,
  verifyEnvelopeSignatures
} from "../src/index.js"
import { RFC8032_VECTORS } from "./ed25519-vectors.js"

const artifact = new TextEncoder().encode("pack bytes")
const statement = makeStatement({
  subject: [{ name: "pack.tar.gz", digest: { sha256: sha256Hex(artifact) } }],
  predicateType: "https://gauntlet.dev/attestations/policy-pack/v1",
  predicate: { pack: { id: "acme/base", version: "1.0.0" } }
})

describe("in-toto Statement v1", () => {
  it("has the v1 field names and type", () => {
    expect(statement._type).toBe("https://in-toto.io/Statement/v1")
    expect(STATEMENT_TYPE).toBe("https://in-toto.io/Statement/v1")
    expect(IN_TOTO_PAYLOAD_TYPE).toBe("application/vnd.in-toto+json")
    expect(Object.keys(statement).sort()).toEqual(["_type", "predicate", "predicateType", "subject"])
  })

  it.effect("is signed as RFC 8785 JSON in an in-toto DSSE envelope and opens back to the same value", () =>
    Effect.gen(function* () {
      const key = yield* signingKeyFromSeedHex(RFC8032_VECTORS[0].secretKey)
      const envelope = yield* signStatement(statement, [key])
      expect(envelope.payloadType).toBe(IN_TOTO_PAYLOAD_TYPE)
      expect(Buffer.from(envelope.payload, "base64").toString("utf8")).toBe(canonicalize(statement))
      expect(verifyEnvelopeSignatures(envelope, new Map([[key.keyId, key.publicKey]])).valid).toEqual([
        key.keyId
      ])
      expect(yield* openStatement(envelope)).toEqual(statement)
    })
  )

  it.effect("openStatement names what is wrong", () =>
    Effect.gen(function* () {
      const key = yield* signingKeyFromSeedHex(RFC8032_VECTORS[0].secretKey)
      const envelope = yield* signStatement(statement, [key])
      const wrongType = yield* Effect.either(openStatement({ ...envelope, payloadType: "application/json" }))
      expect(Either.isLeft(wrongType) && wrongType.left.field).toBe("payloadType")
      const notJson = yield* Effect.either(
        openStatement({ ...envelope, payload: encodeBase64(new Uint8Array([123])) })
      )
      expect(Either.isLeft(notJson) && notJson.left.reason).toMatch(/not UTF-8 JSON/)
      const noSubject = encodeBase64(new TextEncoder().encode(JSON.stringify({ ...statement, subject: [] })))
      const empty = yield* Effect.either(openStatement({ ...envelope, payload: noSubject }))
      expect(Either.isLeft(empty) && empty.left.field).toBe("payload")
      const v01 = encodeBase64(
        new TextEncoder().encode(JSON.stringify({ ...statement, _type: "https://in-toto.io/Statement/v0.1" }))
      )
      expect(Either.isLeft(yield* Effect.either(openStatement({ ...envelope, payload: v01 })))).toBe(true)
    })
  )

  it("checkSubjectDigest accepts the named artifact and reports digest-mismatch otherwise", () => {
    expect(checkSubjectDigest(statement, "pack.tar.gz", artifact)).toEqual({
      ok: true,
      subject: statement.subject[0]
    })
    const changed = checkSubjectDigest(statement, "pack.tar.gz", new TextEncoder().encode("pack bytez"))
    expect(changed.ok === false && changed.reason).toBe("digest-mismatch")
    expect(changed.ok === false && changed.detail).toContain(sha256Hex(artifact))
    const missing = checkSubjectDigest(statement, "other.tar.gz", artifact)
    expect(missing.ok === false && missing.detail).toBe('no subject named "other.tar.gz"')
    const commitOnly = makeStatement({
      subject: [{ name: "repo", digest: { gitCommit: "abc" } }],
      predicateType: "p",
      predicate: {}
    })
    const noSha = checkSubjectDigest(commitOnly, "repo", artifact)
    expect(noSha.ok === false && noSha.detail).toBe('subject "repo" has no sha256 digest')
  })
})
