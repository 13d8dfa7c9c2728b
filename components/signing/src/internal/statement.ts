import { canonicalBytes, sha256Hex } from "@gauntlet/canonical"
import { Effect, Either, ParseResult, Schema } from "effect"
import { type DsseEnvelope, decodeBase64, signEnvelope } from "./dsse.js"
import { type InvalidKey, InvalidStatement } from "./errors.js"
import type { SigningKey } from "./keys.js"

/** DSSE payload type of in-toto attestations. */
export const IN_TOTO_PAYLOAD_TYPE = "application/vnd.in-toto+json"

/** `_type` of an in-toto Statement v1. */
export const STATEMENT_TYPE = "https://in-toto.io/Statement/v1"

/** An in-toto DigestSet: algorithm → lowercase hex (`sha256`, `gitCommit`, …); at least one entry. */
export const DigestSet = Schema.Record({ key: Schema.String, value: Schema.String }).pipe(
  Schema.filter((set) => Object.keys(set).length > 0 || "a digest set needs at least one algorithm")
)
/** An in-toto DigestSet. */
export type DigestSet = typeof DigestSet.Type

/** A Statement subject: a name and the digests it is matched by. */
export const Subject = Schema.Struct({ name: Schema.String, digest: DigestSet })
/** A Statement subject. */
export type Subject = typeof Subject.Type

/** An in-toto Statement v1: `{ _type, subject, predicateType, predicate }`. */
export const Statement = Schema.Struct({
  _type: Schema.Literal(STATEMENT_TYPE),
  subject: Schema.NonEmptyArray(Subject),
  predicateType: Schema.String,
  predicate: Schema.Unknown
})
/** An in-toto Statement v1. */
export type Statement = typeof Statement.Type

/** A Statement v1 about `subject` with the given predicate. */
export const makeStatement = (options: {
  readonly subject: readonly [Subject, ...ReadonlyArray<Subject>]
  readonly predicateType: string
  readonly predicate: unknown
}): Statement => ({
  _type: STATEMENT_TYPE,
  subject: [...options.subject],
  predicateType: options.predicateType,
  predicate: options.predicate
})

/** The DSSE envelope (payload type in-toto) of a statement serialized as RFC 8785 JSON, signed by every key. */
export const signStatement = (
  statement: Statement,
  keys: ReadonlyArray<SigningKey>
): Effect.Effect<DsseEnvelope, InvalidKey> =>
  signEnvelope({ payloadType: IN_TOTO_PAYLOAD_TYPE, body: canonicalBytes(statement), keys })

const decodeStatement = Schema.decodeUnknownEither(Statement)

const utf8 = new TextDecoder("utf-8", { fatal: true })

const parseJson = (bytes: Uint8Array): Either.Either<unknown, string> => {
  try {
    return Either.right(JSON.parse(utf8.decode(bytes)) as unknown)
  } catch (cause) {
    return Either.left(String(cause))
  }
}

/** The Statement an envelope carries, as an Either (the synchronous form of `openStatement`). */
export const statementOf = (envelope: DsseEnvelope): Either.Either<Statement, InvalidStatement> => {
  if (envelope.payloadType !== IN_TOTO_PAYLOAD_TYPE) {
    return Either.left(
      new InvalidStatement({
        field: "payloadType",
        reason: `expected ${IN_TOTO_PAYLOAD_TYPE}, got ${JSON.stringify(envelope.payloadType)}`
      })
    )
  }
  const body = decodeBase64(envelope.payload)
  if (body === undefined) return Either.left(new InvalidStatement({ field: "payload", reason: "not base64" }))
  const json = parseJson(body)
  if (Either.isLeft(json)) {
    return Either.left(new InvalidStatement({ field: "payload", reason: `not UTF-8 JSON: ${json.left}` }))
  }
  return Either.mapLeft(
    decodeStatement(json.right),
    (error) =>
      new InvalidStatement({ field: "payload", reason: ParseResult.TreeFormatter.formatErrorSync(error) })
  )
}

/**
 * The Statement an envelope carries. Checks the payload type, base64, JSON and the Statement v1 schema; it does NOT
 * verify signatures (use `verifyEnvelopeSignatures` or `verifyWithRoot` first).
 */
export const openStatement = (envelope: DsseEnvelope): Effect.Effect<Statement, InvalidStatement> =>
  Either.match(statementOf(envelope), { onLeft: Effect.fail, onRight: Effect.succeed })

/** Result of matching an artifact against a statement's subjects. */
export type SubjectDigestCheck =
  | { readonly ok: true; readonly subject: Subject }
  | { readonly ok: false; readonly reason: "digest-mismatch"; readonly detail: string }

/**
 * Checks that the statement names `name` with a `sha256` digest equal to the SHA-256 of `bytes`; otherwise
 * `digest-mismatch` saying whether the subject is missing, has no sha256, or has a different digest.
 */
export const checkSubjectDigest = (
  statement: Statement,
  name: string,
  bytes: Uint8Array
): SubjectDigestCheck => {
  const subject = statement.subject.find((candidate) => candidate.name === name)
  if (subject === undefined) {
    return { ok: false, reason: "digest-mismatch", detail: `no subject named ${JSON.stringify(name)}` }
  }
  const expected = subject.digest.sha256
  if (expected === undefined) {
    return {
      ok: false,
      reason: "digest-mismatch",
      detail: `subject ${JSON.stringify(name)} has no sha256 digest`
    }
  }
  const actual = sha256Hex(bytes)
  return expected === actual
    ? { ok: true, subject }
    : {
        ok: false,
        reason: "digest-mismatch",
        detail: `subject ${JSON.stringify(name)}: statement says sha256 ${expected}, artifact is ${actual}`
      }
}
