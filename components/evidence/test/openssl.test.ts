/**
 * INDEPENDENT check (N6): the bundle's DSSE signatures verified by OpenSSL (`pkeyutl -verify -rawin`) over PAE bytes
 * built here by hand, with the public key PEM assembled here from its raw bytes. Nothing is shared with our signer
 * or verifier except reading the bundle file, so a bug in one cannot hide behind the same bug in the other.
 */
import { execFileSync, spawnSync } from "node:child_process"
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { NodeFileSystem } from "@effect/platform-node"
import { describe, expect, it } from "@effect/vitest"
import { Effect } from "effect"
import { buildEvidenceBundle, writeEvidenceBundle } from "../src/index.js"
import { syntheticRun } from "./synthetic.js"
import { testKey } from "./world.js"

/** The second implementation: the OpenSSL command line (OPENSSL may name another binary). */
const OPENSSL = process.env.OPENSSL ?? "openssl"
const hasOpenssl = spawnSync(OPENSSL, ["version"]).status === 0

/** DSSEv1 PAE, written from the DSSE specification: "DSSEv1" SP LEN(type) SP type SP LEN(body) SP body. */
const paeByHand = (payloadType: string, body: Buffer): Buffer => {
  const type = Buffer.from(payloadType, "utf8")
  return Buffer.concat([
    Buffer.from(`DSSEv1 ${type.length} `, "ascii"),
    type,
    Buffer.from(` ${body.length} `, "ascii"),
    body
  ])
}

/** SubjectPublicKeyInfo PEM of a raw Ed25519 public key (RFC 8410: fixed 12-byte DER prefix). */
const spkiPem = (rawHex: string): string => {
  const der = Buffer.concat([Buffer.from("302a300506032b6570032100", "hex"), Buffer.from(rawHex, "hex")])
  return `-----BEGIN PUBLIC KEY-----\n${der.toString("base64")}\n-----END PUBLIC KEY-----\n`
}

const opensslVerify = (dir: string, pubPem: string, message: Buffer, sig: Buffer) => {
  writeFileSync(join(dir, "pub.pem"), pubPem)
  writeFileSync(join(dir, "msg.bin"), message)
  writeFileSync(join(dir, "sig.bin"), sig)
  const result = spawnSync(OPENSSL, [
    "pkeyutl",
    "-verify",
    "-rawin",
    "-pubin",
    "-inkey",
    join(dir, "pub.pem"),
    "-in",
    join(dir, "msg.bin"),
    "-sigfile",
    join(dir, "sig.bin")
  ])
  return { status: result.status, out: `${result.stdout}${result.stderr}` }
}

describe.skipIf(!hasOpenssl)("independent verification with openssl", () => {
  it.effect(
    "every DSSE signature of a written bundle verifies with openssl pkeyutl -rawin; a changed byte does not",
    () =>
      Effect.gen(function* () {
        const key = yield* testKey
        const dir = mkdtempSync(join(tmpdir(), "gauntlet-openssl-"))
        const events = syntheticRun({ runId: "run-ossl", ending: "budget-exhausted" })
        const bundle = yield* buildEvidenceBundle({ runId: "run-ossl", events, keys: [key] })
        const path = yield* writeEvidenceBundle({ directory: dir, bundle, publicKeys: [key.publicKey] }).pipe(
          Effect.provide(NodeFileSystem.layer)
        )
        // From here on: only the file, Buffer, JSON and openssl.
        const pubPem = spkiPem(key.publicKey.keyval.public)
        const lines = readFileSync(path, "utf8")
          .split("\n")
          .filter((l) => l.length > 0)
        expect(lines.length).toBeGreaterThan(3)
        for (const line of lines) {
          const envelope = JSON.parse(line) as {
            payload: string
            payloadType: string
            signatures: Array<{ sig: string }>
          }
          expect(envelope.payloadType).toBe("application/vnd.in-toto+json")
          const message = paeByHand(envelope.payloadType, Buffer.from(envelope.payload, "base64"))
          for (const { sig } of envelope.signatures) {
            const ok = opensslVerify(dir, pubPem, message, Buffer.from(sig, "base64"))
            expect(ok.out).toContain("Signature Verified Successfully")
            expect(ok.status).toBe(0)
          }
        }
        const first = JSON.parse(lines[0]!) as {
          payload: string
          payloadType: string
          signatures: Array<{ sig: string }>
        }
        const body = Buffer.from(first.payload, "base64")
        body[10] = body[10]! ^ 1
        const bad = opensslVerify(
          dir,
          pubPem,
          paeByHand(first.payloadType, body),
          Buffer.from(first.signatures[0]!.sig, "base64")
        )
        expect(bad.status).not.toBe(0)
        expect(bad.out).toContain("Signature Verification Failure")
        // And openssl agrees on the key: it derives the same raw public key from our PEM.
        const text = execFileSync(OPENSSL, [
          "pkey",
          "-pubin",
          "-in",
          join(dir, "pub.pem"),
          "-text",
          "-noout"
        ]).toString()
        expect(text.replace(/[\s:]/g, "")).toContain(key.publicKey.keyval.public)
      })
  )
})
