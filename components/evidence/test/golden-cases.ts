/**
 * The golden cases of areas `evidence` and `redaction` (files under `golden/`), generated from the synthetic runs
 * and the tampering helpers; `test/golden-files.test.ts` checks the committed files still equal this list and
 * rewrites them with UPDATE_GOLDEN=1.
 */
import { signingKeyFromSeedHex } from "@gauntlet/signing"
import { Effect } from "effect"
import { buildEvidenceBundle } from "../src/index.js"
import { syntheticRun } from "./synthetic.js"
import { changePayloadByte, removeStatement, reorderEvents } from "./tamper.js"

/** A golden case before its expectation is computed by the adapter. */
export interface GoldenInput {
  readonly area: "evidence" | "redaction"
  readonly name: string
  readonly requirement: string
  readonly description: string
  readonly input: unknown
}

const SEED = "01".repeat(32)
const OTHER_SEED = "02".repeat(32)
const context = {
  requestedPacks: [{ id: "gauntlet/secrets", version: "1.2.0", digest: `sha256:${"ab".repeat(32)}` }],
  baseCommit: "4b825dc642cb6eb9a060e54bf8d69288fbee4904",
  promptTemplates: [{ id: "implement/v1", digest: `sha256:${"ef".repeat(32)}` }],
  routingTableDigest: `sha256:${"cd".repeat(32)}`
}
const lines = (text: string) => text.split("\n").filter((l) => l.length > 0)

/** Every case, in a stable order. */
export const goldenInputs: Effect.Effect<ReadonlyArray<GoldenInput>> = Effect.gen(function* () {
  const key = yield* Effect.orDie(signingKeyFromSeedHex(SEED))
  const other = yield* Effect.orDie(signingKeyFromSeedHex(OTHER_SEED))
  const completed = syntheticRun({ runId: "run-completed", ending: "completed" })
  const built = yield* Effect.orDie(
    buildEvidenceBundle({ runId: "run-completed", events: completed, keys: [key], context })
  )
  const bySwappedKey = yield* Effect.orDie(
    buildEvidenceBundle({ runId: "run-completed", events: completed, keys: [other], context })
  )
  const verify = (bundle: string, events?: unknown) => ({
    op: "verify",
    bundle: lines(bundle),
    keys: [key.publicKey],
    ...(events === undefined ? {} : { events })
  })
  const evidence: Array<GoldenInput> = [
    ...(["completed", "failed", "budget-exhausted", "rejected", "cancelled"] as const).map((ending) => ({
      area: "evidence" as const,
      name: `bundle-${ending}`,
      requirement: ending === "completed" ? "N6-R2" : "N6-R1",
      description: `the signed bundle of a ${ending} run (fixed key, ids and clock) and its verification against the events`,
      input: {
        op: "build",
        runId: `run-${ending}`,
        events: syntheticRun({ runId: `run-${ending}`, ending }),
        seedHex: SEED,
        context
      }
    })),
    {
      area: "evidence",
      name: "tampered-payload-byte",
      requirement: "N6-R14",
      description:
        "one byte changed in the payload of the LLM ledger statement: bad-signature at that statement",
      input: verify(changePayloadByte(built.text, 4))
    },
    {
      area: "evidence",
      name: "tampered-removed-statement",
      requirement: "N6-R16",
      description: "a gate-result statement removed: missing-statement at its index",
      input: verify(removeStatement(built.text, 2))
    },
    {
      area: "evidence",
      name: "tampered-removed-index",
      requirement: "N6-R16",
      description: "the index (last statement) removed: missing-statement after the last line",
      input: verify(removeStatement(built.text, lines(built.text).length - 1))
    },
    {
      area: "evidence",
      name: "tampered-reordered-events",
      requirement: "N6-R17",
      description: "two events of the stored log swapped: anchor-mismatch naming the first broken seq",
      input: verify(built.text, reorderEvents(completed, 5, 6))
    },
    {
      area: "evidence",
      name: "tampered-swapped-key",
      requirement: "N6-R15",
      description: "the bundle re-signed with another key than the trusted one: unknown-key",
      input: verify(bySwappedKey.text)
    },
    {
      area: "evidence",
      name: "untouched-with-events",
      requirement: "N6-R13",
      description: "an untouched bundle verifies with the public key and the stored events",
      input: verify(built.text, completed)
    }
  ]
  const redaction: Array<GoldenInput> = [
    {
      name: "detect-aws-access-key",
      requirement: "N6-R21",
      description: "an AWS access key id",
      input: { op: "detect", text: `key=${"AKIA"}IOSFODNN7EXAMPLE` }
    },
    {
      name: "detect-github-token",
      requirement: "N6-R21",
      description: "a classic GitHub token",
      input: { op: "detect", text: `token ${"ghp_"}aB3dE5gH7jK9mN1pQ3sT5vW7yZ9bC1dE3fG5` }
    },
    {
      name: "detect-email-and-phone",
      requirement: "N6-R21",
      description: "PII: an email and an E.164 number, with lines and columns",
      input: { op: "detect", text: "mail jane@example.org\ncall +14155552671" }
    },
    {
      name: "detect-nothing-in-digests",
      requirement: "N6-R21",
      description: "SHA-256 digests, commit ids and UUIDs are not secrets",
      input: {
        op: "detect",
        text: `sha256:${"ab".repeat(32)} 4b825dc642cb6eb9a060e54bf8d69288fbee4904 01936f3e-8a7b-7c3d-9e2f-123456789abc`
      }
    },
    {
      name: "redact-private-key",
      requirement: "N6-R20",
      description: "a PEM private key block becomes one placeholder",
      input: {
        op: "redact-text",
        text: `before\n-----BEGIN ${"PRIVATE"} KEY-----\nMIIEowIBAAKCAQEA1c7+9Ws3e9w0lP8m5Gx3D3kQ\n-----END ${"PRIVATE"} KEY-----\nafter`
      }
    },
    {
      name: "redact-generic-assignment",
      requirement: "N6-R20",
      description:
        "password= and api_key: values are replaced, names kept; variable references such as $VAR are not secrets",
      input: {
        op: "redact-text",
        text: `password=hunter22 api_key: s3cr3tValue DB_PASSWORD=${"$"}{DB_PASSWORD}`
      }
    },
    {
      name: "redact-idempotent",
      requirement: "N6-R23",
      description: "text already redacted is unchanged and yields no finding",
      input: { op: "redact-text", text: "token [REDACTED:github-token] and [REDACTED:email]" }
    },
    {
      name: "redact-json-secret-keys",
      requirement: "N6-R24",
      description: "strings under secret-named keys are replaced whole; findings carry JSON pointers",
      input: {
        op: "redact-json",
        value: {
          user: { email: "a@b.io", password: "pw" },
          notes: [`sk ${"sk-ant-"}api03-AbCdEfGh1234IjKlMnOp5678QrStUvWx`]
        }
      }
    }
  ].map((c) => ({ ...c, area: "redaction" as const }))
  return [...evidence, ...redaction]
})
