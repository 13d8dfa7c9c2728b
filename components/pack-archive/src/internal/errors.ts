import { type FailureClass, FailureClassId } from "@gauntlet/failure"
import { Schema } from "effect"

/**
 * Why an archive entry (or the archive as a whole, entry `<archive>`) is refused: the path escapes or is not portable,
 * the entry is a link or special file, or a size/count limit is exceeded.
 */
export const EntryRefusal = Schema.Literal(
  "absolute-path",
  "parent-traversal",
  "invalid-path",
  "symlink",
  "hard-link",
  "device",
  "fifo",
  "unsupported-type",
  "duplicate-entry",
  "oversize-entry",
  "oversize-total",
  "too-many-entries"
)
/** One refusal reason of {@link EntryRefusal}. */
export type EntryRefusal = typeof EntryRefusal.Type

/** An archive entry was refused while reading, extracting or building an archive. Nothing was written for it. */
export class ArchiveEntryRefused extends Schema.TaggedError<ArchiveEntryRefused>()("ArchiveEntryRefused", {
  entry: Schema.String,
  reason: EntryRefusal,
  detail: Schema.String
}) {
  /** Failure class `data-integrity`: the archive is unsafe as given. */
  get [FailureClassId](): FailureClass {
    return "data-integrity"
  }

  override get message() {
    return `archive entry "${this.entry}" refused (${this.reason}): ${this.detail}`
  }
}

/** The bytes are not a readable gzip-compressed tar archive. */
export class ArchiveCorrupt extends Schema.TaggedError<ArchiveCorrupt>()("ArchiveCorrupt", {
  detail: Schema.String
}) {
  /** Failure class `data-integrity`. */
  get [FailureClassId](): FailureClass {
    return "data-integrity"
  }

  override get message() {
    return `not a readable pack archive (gzip-compressed tar): ${this.detail}`
  }
}

/**
 * A pack directory cannot be built, scaffolded or installed: `pack.json` is missing or invalid, its tests do not pass,
 * a source file is a link, or the destination is in the way. `path` names the file or directory at fault.
 */
export class PackSourceInvalid extends Schema.TaggedError<PackSourceInvalid>()("PackSourceInvalid", {
  path: Schema.String,
  detail: Schema.String
}) {
  /** Failure class `policy`: the pack does not meet the rules for building, signing or installing. */
  get [FailureClassId](): FailureClass {
    return "policy"
  }

  override get message() {
    return `${this.path}: ${this.detail}`
  }
}

/** A file-system operation failed (`operation` is what was attempted, `path` where). */
export class PackIoError extends Schema.TaggedError<PackIoError>()("PackIoError", {
  operation: Schema.String,
  path: Schema.String,
  detail: Schema.String
}) {
  /** Failure class `tool-error`. */
  get [FailureClassId](): FailureClass {
    return "tool-error"
  }

  override get message() {
    return `${this.operation} ${this.path} failed: ${this.detail}`
  }
}

/** A pack was refused because it does not verify against the trust root; `reason` is the verification reason code. */
export class PackNotVerified extends Schema.TaggedError<PackNotVerified>()("PackNotVerified", {
  pack: Schema.String,
  reason: Schema.String,
  detail: Schema.String
}) {
  /** Failure class `data-integrity` when the bytes or signatures were altered, `policy` when trust is lacking. */
  get [FailureClassId](): FailureClass {
    return this.reason === "digest-mismatch" || this.reason === "bad-signature" ? "data-integrity" : "policy"
  }

  override get message() {
    return `pack ${this.pack} does not verify (${this.reason}): ${this.detail}`
  }
}
