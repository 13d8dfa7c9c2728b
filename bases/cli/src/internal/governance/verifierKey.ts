import type { FileSystem } from "@effect/platform"
import { type EvidenceError, readVerifierKey } from "@gauntlet/evidence"
import { describeKeyFile, type KeyDescriptor } from "@gauntlet/signing"
import { Effect } from "effect"

/**
 * Reads a trusted public key from any file a user holds: a `gauntlet keys generate` public key file
 * (`{ _type: "gauntlet-public-key", keyId, publicKey }`, also the installation key's `installation.pub.json`), a
 * private key file (its public half), or what `@gauntlet/evidence` reads (a bare descriptor, as written next to
 * the bundles, or an SPKI PEM). When none fits, the evidence reader's error names the file.
 */
export const readTrustedKey = (
  path: string
): Effect.Effect<KeyDescriptor, EvidenceError, FileSystem.FileSystem> =>
  describeKeyFile(path).pipe(
    Effect.map((key) => key.publicKey),
    Effect.orElse(() => readVerifierKey(path))
  )
