import { Schema } from "effect"

const Text = Schema.String.pipe(Schema.minLength(1))
const LineNumber = Schema.Int.pipe(Schema.greaterThanOrEqualTo(1))

/** One line of a change: its 1-based number (in the new file for added lines, the old file for removed ones) and text. */
export const ChangedLine = Schema.Struct({ line: LineNumber, text: Schema.String }).annotations({
  identifier: "ChangedLine"
})

/** One line of a change. */
export type ChangedLine = typeof ChangedLine.Type

/** How a file changed. */
export const FileStatus = Schema.Literal("added", "modified", "deleted", "renamed").annotations({
  identifier: "FileStatus"
})

/** How a file changed. */
export type FileStatus = typeof FileStatus.Type

/** One changed file: its path (the new path; the old one for a deletion), how it changed, and its added and removed lines. */
export const FileChange = Schema.Struct({
  path: Text,
  status: FileStatus,
  oldPath: Schema.optional(Text),
  added: Schema.Array(ChangedLine),
  removed: Schema.Array(ChangedLine),
  binary: Schema.optional(Schema.Boolean)
}).annotations({ identifier: "FileChange" })

/** One changed file. */
export type FileChange = typeof FileChange.Type

/**
 * What an infrastructure resource change does (Terraform `resource_changes[].change.actions`): `replace` is a
 * delete-and-create (either order) and counts as both a create and a destroy; `import` changes state only.
 */
export const ResourceAction = Schema.Literal(
  "create",
  "update",
  "destroy",
  "replace",
  "import",
  "no-op",
  "read"
)

/** What an infrastructure resource change does. */
export type ResourceAction = typeof ResourceAction.Type

/** One infrastructure resource change: its address (`aws_s3_bucket.logs`), type and what happens to it. */
export const ResourceChange = Schema.Struct({
  address: Text,
  type: Text,
  action: ResourceAction
}).annotations({ identifier: "ResourceChange" })

/** One infrastructure resource change. */
export type ResourceChange = typeof ResourceChange.Type

/**
 * A change to check: changed files (from a git diff or built by hand) and, for infrastructure plans, resource
 * changes (from a Terraform plan). Either list may be empty.
 */
export const ChangeSet = Schema.Struct({
  files: Schema.Array(FileChange),
  resources: Schema.optional(Schema.Array(ResourceChange))
}).annotations({ identifier: "ChangeSet" })

/** A change to check. */
export type ChangeSet = typeof ChangeSet.Type

/** The number of changed files and of added and removed lines. */
export const changeSize = (
  change: ChangeSet
): { readonly files: number; readonly linesAdded: number; readonly linesRemoved: number } => {
  let linesAdded = 0
  let linesRemoved = 0
  for (const file of change.files) {
    linesAdded += file.added.length
    linesRemoved += file.removed.length
  }
  return { files: change.files.length, linesAdded, linesRemoved }
}
