import {
  createTrustRootFile,
  describeKeyFile,
  generateKeyFiles,
  type KeyFileGrant,
  prepareNextRootFile,
  type RootVerificationResult,
  signTrustRootFile,
  verifyTrustRootFile
} from "@gauntlet/signing"
import { Effect, Option } from "effect"
import { InvalidOptionValue } from "../errors.js"
import { VerificationRefused } from "../governance/errors.js"
import { writeLines } from "../output.js"

const json = (value: unknown) => JSON.stringify(value)

/** `gauntlet keys generate --out <dir> [--name <n>]`. */
export const keysGenerate = (options: {
  readonly out: string
  readonly name: string
  readonly json: boolean
}) =>
  Effect.gen(function* () {
    const made = yield* generateKeyFiles({ outDir: options.out, name: options.name })
    yield* writeLines(
      options.json
        ? [json(made)]
        : [
            `key ${made.keyId}`,
            `  private: ${made.privateKeyPath} (mode 0600; keep it secret)`,
            `  public:  ${made.publicKeyPath}`
          ]
    )
  })

/** `gauntlet keys show <file>`. */
export const keysShow = (options: { readonly file: string; readonly json: boolean }) =>
  Effect.gen(function* () {
    const key = yield* describeKeyFile(options.file)
    yield* writeLines(
      options.json
        ? [json(key)]
        : [`key ${key.keyId} (${key.kind} key file, ed25519)`, `  public: ${key.publicKey.keyval.public}`]
    )
  })

/** Parses `--key <pub.json>=<role>[,<role>…]`. */
const grantsOf = (values: ReadonlyArray<string>) =>
  Effect.forEach(values, (value) => {
    const at = value.lastIndexOf("=")
    const file = value.slice(0, at)
    const roles = value
      .slice(at + 1)
      .split(",")
      .filter((role) => role.length > 0)
    return at <= 0 || roles.length === 0
      ? Effect.fail(
          new InvalidOptionValue({ option: "--key", value, reason: "expected <pub.json>=<role>[,<role>…]" })
        )
      : Effect.succeed<KeyFileGrant>({ publicKeyFile: file, roles })
  })

/** Parses `--threshold <role>=<n>`. */
const thresholdsOf = (values: ReadonlyArray<string>) =>
  Effect.map(
    Effect.forEach(values, (value) => {
      const at = value.lastIndexOf("=")
      const count = Number(value.slice(at + 1))
      return at <= 0 || !Number.isSafeInteger(count) || count < 1
        ? Effect.fail(
            new InvalidOptionValue({ option: "--threshold", value, reason: "expected <role>=<n> with n ≥ 1" })
          )
        : Effect.succeed([value.slice(0, at), count] as const)
    }),
    (entries) => (entries.length === 0 ? undefined : Object.fromEntries(entries))
  )

/** `--now` or the current time, as ISO-8601 UTC. */
export const nowOf = (now: Option.Option<string>) =>
  Option.match(now, {
    onNone: () => Effect.succeed(new Date().toISOString()),
    onSome: (value) =>
      Number.isNaN(Date.parse(value))
        ? Effect.fail(new InvalidOptionValue({ option: "--now", value, reason: "not an ISO-8601 time" }))
        : Effect.succeed(value)
  })

/** Prints a root verdict (`ok: …` or the reason code) and fails with `VerificationRefused` when it is refused. */
const reportRoot = (subject: string, verdict: RootVerificationResult, asJson: boolean) =>
  Effect.gen(function* () {
    if (verdict.ok) {
      yield* writeLines(
        asJson
          ? [json({ ok: true, version: verdict.root.signed.version, signers: verdict.signers })]
          : [`ok: ${subject} version ${verdict.root.signed.version}, signed by ${verdict.signers.join(", ")}`]
      )
      return
    }
    yield* writeLines(asJson ? [json(verdict)] : [verdict.reason])
    return yield* new VerificationRefused({ subject, reason: verdict.reason, detail: verdict.detail })
  })

/** `gauntlet trust init`. */
export const trustInit = (options: {
  readonly out: string
  readonly expires: string
  readonly keys: ReadonlyArray<string>
  readonly thresholds: ReadonlyArray<string>
  readonly sign: ReadonlyArray<string>
  readonly json: boolean
}) =>
  Effect.gen(function* () {
    const keys = yield* grantsOf(options.keys)
    const thresholds = yield* thresholdsOf(options.thresholds)
    const verdict = yield* createTrustRootFile({
      out: options.out,
      expires: options.expires,
      keys,
      ...(thresholds === undefined ? {} : { thresholds }),
      signWith: options.sign,
      now: new Date()
    })
    yield* reportRoot(`trust root ${options.out}`, verdict, options.json)
  })

/** `gauntlet trust next`. */
export const trustNext = (options: {
  readonly from: string
  readonly out: string
  readonly expires: Option.Option<string>
  readonly keys: ReadonlyArray<string>
  readonly revoke: ReadonlyArray<string>
  readonly remove: ReadonlyArray<string>
  readonly thresholds: ReadonlyArray<string>
  readonly json: boolean
}) =>
  Effect.gen(function* () {
    const add = yield* grantsOf(options.keys)
    const thresholds = yield* thresholdsOf(options.thresholds)
    const root = yield* prepareNextRootFile({
      from: options.from,
      out: options.out,
      add,
      revoke: options.revoke,
      remove: options.remove,
      ...(Option.isSome(options.expires) ? { expires: options.expires.value } : {}),
      ...(thresholds === undefined ? {} : { thresholds })
    })
    yield* writeLines(
      options.json
        ? [json({ out: options.out, version: root.signed.version, expires: root.signed.expires })]
        : [
            `trust root version ${root.signed.version} written to ${options.out} (unsigned)`,
            `  sign it with: gauntlet trust sign ${options.out} --key <old root key> --key <new root key>`
          ]
    )
  })

/** `gauntlet trust sign <root> --key <file>…`. */
export const trustSign = (options: {
  readonly root: string
  readonly keys: ReadonlyArray<string>
  readonly json: boolean
}) =>
  Effect.gen(function* () {
    if (options.keys.length === 0)
      return yield* new InvalidOptionValue({
        option: "--key",
        value: "",
        reason: "at least one private key file"
      })
    const root = yield* signTrustRootFile({ rootFile: options.root, keyFiles: options.keys })
    const keyids = root.signatures.map((s) => s.keyid)
    yield* writeLines(
      options.json
        ? [json({ root: options.root, version: root.signed.version, signatures: keyids })]
        : [
            `trust root ${options.root} version ${root.signed.version}: ${keyids.length} signature(s): ${keyids.join(", ")}`
          ]
    )
  })

/** `gauntlet trust verify <root> [--trusted <current>] [--now <iso>]`. */
export const trustVerify = (options: {
  readonly root: string
  readonly trusted: Option.Option<string>
  readonly now: Option.Option<string>
  readonly json: boolean
}) =>
  Effect.gen(function* () {
    const now = yield* nowOf(options.now)
    const verdict = yield* verifyTrustRootFile({
      rootFile: options.root,
      now,
      ...(Option.isSome(options.trusted) ? { trustedFile: options.trusted.value } : {})
    })
    yield* reportRoot(`trust root ${options.root}`, verdict, options.json)
  })
