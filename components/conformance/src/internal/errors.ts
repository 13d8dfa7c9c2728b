import { Schema } from "effect"

/** One problem found in one golden file: which file, where in it (JSON pointer, "" = the whole file) and what. */
export const GoldenFileIssue = Schema.Struct({
  file: Schema.String,
  pointer: Schema.String,
  message: Schema.String
})

/** The type of a golden file issue. */
export type GoldenFileIssue = typeof GoldenFileIssue.Type

/** Golden files that are not valid JSON or do not match the golden case schema. Lists every problem found. */
export class InvalidGoldenCase extends Schema.TaggedError<InvalidGoldenCase>()("InvalidGoldenCase", {
  issues: Schema.Array(GoldenFileIssue)
}) {
  override get message(): string {
    const lines = this.issues.map(
      (i) => `  ${i.file}${i.pointer === "" ? "" : ` at ${i.pointer}`}: ${i.message}`
    )
    return `${this.issues.length} invalid golden case file(s):\n${lines.join("\n")}`
  }
}

/** The golden directory (or one of its files) could not be read or written. */
export class GoldenIoError extends Schema.TaggedError<GoldenIoError>()("GoldenIoError", {
  path: Schema.String,
  operation: Schema.Literal("list", "read", "write"),
  reason: Schema.String
}) {
  override get message(): string {
    return `cannot ${this.operation} golden path ${this.path}: ${this.reason}`
  }
}

/** `update` (UPDATE_GOLDEN=1) was asked for while the CI environment variable is set: goldens never change in CI. */
export class GoldenUpdateRefused extends Schema.TaggedError<GoldenUpdateRefused>()("GoldenUpdateRefused", {
  ci: Schema.String
}) {
  override get message(): string {
    return `refusing to rewrite golden expectations in CI (CI=${JSON.stringify(this.ci)}); run UPDATE_GOLDEN=1 locally and commit the result`
  }
}

/** Two adapters claim the same area, so the runner cannot tell which one a case belongs to. */
export class DuplicateAdapter extends Schema.TaggedError<DuplicateAdapter>()("DuplicateAdapter", {
  area: Schema.String
}) {
  override get message(): string {
    return `more than one golden adapter registered for area "${this.area}"`
  }
}

/** Every error the golden runner can fail with. */
export type GoldenError = InvalidGoldenCase | GoldenIoError | GoldenUpdateRefused | DuplicateAdapter
