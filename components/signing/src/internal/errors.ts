import { Schema } from "effect"

/**
 * Key material cannot be used: `source` says what was being read (`seed-hex`, `public-hex`, `private-pem`,
 * `public-pem`, `descriptor`, `key-file`), `reason` what is wrong with it.
 */
export class InvalidKey extends Schema.TaggedError<InvalidKey>()("InvalidKey", {
  source: Schema.String,
  reason: Schema.String
}) {
  override get message() {
    return `invalid ${this.source} key: ${this.reason}`
  }
}

/** A DSSE envelope does not carry a decodable in-toto Statement v1; `field` names the offending part. */
export class InvalidStatement extends Schema.TaggedError<InvalidStatement>()("InvalidStatement", {
  field: Schema.String,
  reason: Schema.String
}) {
  override get message() {
    return `invalid in-toto statement at ${this.field}: ${this.reason}`
  }
}

/** A trust root document does not decode or is inconsistent; `pointer` is a JSON pointer into the document. */
export class InvalidTrustRoot extends Schema.TaggedError<InvalidTrustRoot>()("InvalidTrustRoot", {
  pointer: Schema.String,
  reason: Schema.String
}) {
  override get message() {
    return `invalid trust root at ${this.pointer || "/"}: ${this.reason}`
  }
}

/**
 * A key file cannot be used: `insecure-permissions` (a private key readable by group or others), `exists`
 * (refusing to overwrite a key), `io` (read/write failed), `malformed` (not a Gauntlet key file).
 */
export class KeyFileError extends Schema.TaggedError<KeyFileError>()("KeyFileError", {
  path: Schema.String,
  reason: Schema.Literal("insecure-permissions", "exists", "io", "malformed"),
  detail: Schema.String
}) {
  override get message() {
    return `key file ${this.path}: ${this.reason}: ${this.detail}`
  }
}

/** A trust root file cannot be read or written: `io` (read/write failed), `exists` (refusing to overwrite). */
export class TrustRootFileError extends Schema.TaggedError<TrustRootFileError>()("TrustRootFileError", {
  path: Schema.String,
  reason: Schema.Literal("io", "exists"),
  detail: Schema.String
}) {
  override get message() {
    return `trust root file ${this.path}: ${this.reason}: ${this.detail}`
  }
}
