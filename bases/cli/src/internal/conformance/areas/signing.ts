import type { GoldenAdapter } from "@gauntlet/conformance"
import {
  DsseEnvelope,
  decodeTrustRoot,
  descriptorOfPublicHex,
  pae,
  signBytes,
  signingKeyFromSeedHex,
  verifyBytes,
  verifyRootUpdate,
  verifyWithRoot
} from "@gauntlet/signing"
import { Effect, Either, ParseResult, Schema } from "effect"

/**
 * Golden adapter for area `signing` (spec N4 "Signing and trust"). The input's `op` names the operation:
 * - `pae` `{ payloadType, body | bodyHex }` → `{ pae }` (text, when `body` was text) or `{ paeHex }`;
 * - `ed25519-sign` `{ secretKey, message }` (hex) → `{ publicKey, signature, keyId }` (hex, RFC 8032 section 7.1);
 * - `ed25519-verify` `{ publicKey, message, signature }` (hex) → `{ valid }`;
 * - `verify` `{ envelope, root, role, now, installedVersion?, version?, artifact?: { name, text } }` →
 *   `{ ok: true, signers }` or `{ ok: false, reason }` (`verifyWithRoot`; the human detail is not compared);
 * - `root-update` `{ trusted, candidate, now }` → `{ ok: true, signers }` or `{ ok: false, reason }`.
 * A root that does not decode is answered as data: `{ error: "InvalidTrustRoot", pointer }`. A malformed case
 * input fails the case with `InvalidSigningCase` naming what is wrong.
 */

const Hex = Schema.String.pipe(Schema.pattern(/^(?:[0-9a-f]{2})*$/))

const SigningCaseInput = Schema.Union(
  Schema.Struct({
    op: Schema.Literal("pae"),
    payloadType: Schema.String,
    body: Schema.optional(Schema.String),
    bodyHex: Schema.optional(Hex)
  }),
  Schema.Struct({ op: Schema.Literal("ed25519-sign"), secretKey: Hex, message: Hex }),
  Schema.Struct({ op: Schema.Literal("ed25519-verify"), publicKey: Hex, message: Hex, signature: Hex }),
  Schema.Struct({
    op: Schema.Literal("verify"),
    envelope: DsseEnvelope,
    root: Schema.Unknown,
    role: Schema.String,
    now: Schema.String,
    installedVersion: Schema.optional(Schema.String),
    version: Schema.optional(Schema.String),
    artifact: Schema.optional(Schema.Struct({ name: Schema.String, text: Schema.String }))
  }),
  Schema.Struct({
    op: Schema.Literal("root-update"),
    trusted: Schema.Unknown,
    candidate: Schema.Unknown,
    now: Schema.String
  })
)

/** A `signing` case whose input does not match any operation. */
class InvalidSigningCase extends Schema.TaggedError<InvalidSigningCase>()("InvalidSigningCase", {
  reason: Schema.String
}) {
  override get message(): string {
    return `invalid signing case input: ${this.reason}`
  }
}

const bytes = (hex: string): Uint8Array => new Uint8Array(Buffer.from(hex, "hex"))
const hexOf = (data: Uint8Array): string => Buffer.from(data).toString("hex")
const utf8 = (text: string): Uint8Array => new TextEncoder().encode(text)

const outcome = (result: {
  readonly ok: boolean
  readonly signers?: ReadonlyArray<string>
  readonly reason?: string
}) => (result.ok ? { ok: true, signers: result.signers ?? [] } : { ok: false, reason: result.reason })

const rootOrError = (input: unknown) =>
  Effect.either(decodeTrustRoot(input)).pipe(
    Effect.map(Either.mapLeft((error) => ({ error: "InvalidTrustRoot", pointer: error.pointer })))
  )

const run = (input: unknown): Effect.Effect<unknown, InvalidSigningCase> =>
  Effect.gen(function* () {
    const decoded = yield* Schema.decodeUnknown(SigningCaseInput)(input).pipe(
      Effect.mapError(
        (error) => new InvalidSigningCase({ reason: ParseResult.TreeFormatter.formatErrorSync(error) })
      )
    )
    switch (decoded.op) {
      case "pae": {
        if (decoded.body !== undefined) {
          return { pae: new TextDecoder().decode(pae(decoded.payloadType, utf8(decoded.body))) }
        }
        if (decoded.bodyHex !== undefined)
          return { paeHex: hexOf(pae(decoded.payloadType, bytes(decoded.bodyHex))) }
        return yield* new InvalidSigningCase({ reason: "pae needs body or bodyHex" })
      }
      case "ed25519-sign": {
        const key = yield* signingKeyFromSeedHex(decoded.secretKey).pipe(
          Effect.mapError((error) => new InvalidSigningCase({ reason: error.message }))
        )
        const signature = yield* signBytes(key, bytes(decoded.message)).pipe(
          Effect.mapError((error) => new InvalidSigningCase({ reason: error.message }))
        )
        return { publicKey: key.publicKey.keyval.public, signature: hexOf(signature), keyId: key.keyId }
      }
      case "ed25519-verify":
        return {
          valid: verifyBytes(
            descriptorOfPublicHex(decoded.publicKey),
            bytes(decoded.message),
            bytes(decoded.signature)
          )
        }
      case "verify": {
        const root = yield* rootOrError(decoded.root)
        if (Either.isLeft(root)) return root.left
        return outcome(
          verifyWithRoot({
            envelope: decoded.envelope,
            root: root.right,
            role: decoded.role,
            now: decoded.now,
            ...(decoded.installedVersion === undefined ? {} : { installedVersion: decoded.installedVersion }),
            ...(decoded.version === undefined ? {} : { version: decoded.version }),
            ...(decoded.artifact === undefined
              ? {}
              : { artifact: { name: decoded.artifact.name, bytes: utf8(decoded.artifact.text) } })
          })
        )
      }
      case "root-update": {
        const trusted = yield* rootOrError(decoded.trusted)
        if (Either.isLeft(trusted)) return trusted.left
        const candidate = yield* rootOrError(decoded.candidate)
        if (Either.isLeft(candidate)) return candidate.left
        return outcome(verifyRootUpdate(trusted.right, candidate.right, decoded.now))
      }
    }
  })

/** The `signing` golden area: DSSE PAE, RFC 8032 vectors, verification reason codes and root rotation. */
export const adapter: GoldenAdapter = { area: "signing", run }
