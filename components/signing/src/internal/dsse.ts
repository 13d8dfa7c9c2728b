import { Effect, Schema } from "effect"
import type { InvalidKey } from "./errors.js"
import { type KeyDescriptor, keyIdOf, type SigningKey, signBytes, verifyBytes } from "./keys.js"

/** One DSSE signature: `keyid` is an unauthenticated hint, `sig` the base64 Ed25519 signature over the PAE. */
export const DsseSignature = Schema.Struct({
  keyid: Schema.String,
  sig: Schema.String
})
/** One DSSE signature. */
export type DsseSignature = typeof DsseSignature.Type

/** A DSSE envelope: `payload` is the base64 serialized body; several signatures may sign the same PAE. */
export const DsseEnvelope = Schema.Struct({
  payload: Schema.String,
  payloadType: Schema.String,
  signatures: Schema.Array(DsseSignature)
})
/** A DSSE envelope. */
export type DsseEnvelope = typeof DsseEnvelope.Type

const encoder = new TextEncoder()
const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/

/**
 * DSSE v1 Pre-Authentication Encoding: `"DSSEv1" SP LEN(type) SP type SP LEN(body) SP body`, where LEN is the
 * byte length in ASCII decimal and `type` is UTF-8. This, not the payload, is what is signed.
 */
export const pae = (payloadType: string, body: Uint8Array): Uint8Array => {
  const type = encoder.encode(payloadType)
  const head = encoder.encode(`DSSEv1 ${type.length} `)
  const middle = encoder.encode(` ${body.length} `)
  const out = new Uint8Array(head.length + type.length + middle.length + body.length)
  out.set(head, 0)
  out.set(type, head.length)
  out.set(middle, head.length + type.length)
  out.set(body, head.length + type.length + middle.length)
  return out
}

/** Strict base64 decoding (RFC 4648 alphabet, padded); `undefined` when the text is not canonical base64. */
export const decodeBase64 = (text: string): Uint8Array | undefined =>
  BASE64.test(text) ? new Uint8Array(Buffer.from(text, "base64")) : undefined

/** Base64 (RFC 4648, padded) of bytes. */
export const encodeBase64 = (bytes: Uint8Array): string => Buffer.from(bytes).toString("base64")

/** Signs `body` as `payloadType` with every key (one signature each, in the given order). */
export const signEnvelope = (options: {
  readonly payloadType: string
  readonly body: Uint8Array
  readonly keys: ReadonlyArray<SigningKey>
}): Effect.Effect<DsseEnvelope, InvalidKey> => {
  const message = pae(options.payloadType, options.body)
  return Effect.map(
    Effect.forEach(options.keys, (key) =>
      Effect.map(signBytes(key, message), (sig) => ({ keyid: key.keyId, sig: encodeBase64(sig) }))
    ),
    (signatures) => ({ payload: encodeBase64(options.body), payloadType: options.payloadType, signatures })
  )
}

/** Why one signature of an envelope did not verify. */
export type SignatureProblem = "unknown-key" | "bad-signature" | "malformed"

/** The verification result of each signature of an envelope. */
export interface EnvelopeSignatureCheck {
  /** Key ids (from the trusted map, never from the envelope) whose signature verified, each once, in order. */
  readonly valid: ReadonlyArray<string>
  /** Signatures that did not verify: their index, the keyid hint they carried and why. */
  readonly invalid: ReadonlyArray<{
    readonly index: number
    readonly keyid: string
    readonly reason: SignatureProblem
  }>
}

/**
 * Verifies every signature of `envelope` against the trusted `keys` (keyId → descriptor). The `keyid` hint only
 * picks which trusted key to try first; a signature whose hint names no trusted key, or the wrong one, still counts
 * for the trusted key it verifies under. Embedded keys are never trusted. Problems: `malformed` (payload or
 * signature is not base64), `bad-signature` (the hint names a trusted key but no trusted key verifies it),
 * `unknown-key` (the hint names no trusted key and no trusted key verifies it).
 */
export const verifyEnvelopeSignatures = (
  envelope: DsseEnvelope,
  keys: ReadonlyMap<string, KeyDescriptor>
): EnvelopeSignatureCheck => {
  const body = decodeBase64(envelope.payload)
  const message = body === undefined ? undefined : pae(envelope.payloadType, body)
  const valid: Array<string> = []
  const invalid: Array<{ index: number; keyid: string; reason: SignatureProblem }> = []
  envelope.signatures.forEach((signature, index) => {
    const sig = decodeBase64(signature.sig)
    if (message === undefined || sig === undefined) {
      invalid.push({ index, keyid: signature.keyid, reason: "malformed" })
      return
    }
    const signer = findSigner(message, sig, signature.keyid, keys)
    if (signer !== undefined) {
      if (!valid.includes(signer)) valid.push(signer)
      return
    }
    invalid.push({
      index,
      keyid: signature.keyid,
      reason: keys.has(signature.keyid) ? "bad-signature" : "unknown-key"
    })
  })
  return { valid, invalid }
}

/** The trusted key id under which `sig` verifies `message`, trying the hinted key first. */
export const findSigner = (
  message: Uint8Array,
  sig: Uint8Array,
  hint: string,
  keys: ReadonlyMap<string, KeyDescriptor>
): string | undefined => {
  const hinted = keys.get(hint)
  if (hinted !== undefined && keyIdOf(hinted) === hint && verifyBytes(hinted, message, sig)) return hint
  for (const [keyId, descriptor] of keys) {
    if (keyId !== hint && keyIdOf(descriptor) === keyId && verifyBytes(descriptor, message, sig)) return keyId
  }
  return undefined
}
