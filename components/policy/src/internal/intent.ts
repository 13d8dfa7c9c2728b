import { Schema } from "effect"
import type { ChangeSet, ResourceChange } from "./changeSet.js"

/** A declared intent (N4 "Semantic intent"): what a change means to do to infrastructure resources. */
export const Intent = Schema.Literal(
  "import",
  "create",
  "update",
  "destroy",
  "refactor",
  "migrate"
).annotations({
  identifier: "Intent"
})

/** A declared intent. */
export type Intent = typeof Intent.Type

/** An inferred intent: a declared intent, or `mixed` when the counts fit no row of the table. */
export type InferredIntent = Intent | "mixed"

/** Resource counts: creates, updates, destroys (a replace counts as a create and a destroy), imports. */
export interface IntentCounts {
  readonly creates: number
  readonly updates: number
  readonly destroys: number
  readonly imports: number
}

const RESOURCE_HEADER = /^\s*resource\s+"([^"\s]+)"\s+"([^"\s]+)"/
const IMPORT_BLOCK = /^\s*import\s*\{/

/**
 * The resource changes of a change set: its `resources` when it has them (a Terraform plan), otherwise the ones a
 * diff of Terraform files shows — a `resource "type" "name"` header added → create, removed → destroy, both → update;
 * other changed lines in a `.tf` file without a header change → one update of `file:<path>`.
 */
export const resourceChangesOf = (change: ChangeSet): ReadonlyArray<ResourceChange> => {
  if (change.resources !== undefined && change.resources.length > 0) return change.resources
  const result: Array<ResourceChange> = []
  for (const file of change.files) {
    if (!file.path.endsWith(".tf")) continue
    const added = new Map<string, string>()
    const removed = new Map<string, string>()
    let imports = 0
    for (const { text } of file.added) {
      const header = RESOURCE_HEADER.exec(text)
      if (header !== null) added.set(`${header[1]}.${header[2]}`, header[1]!)
      else if (IMPORT_BLOCK.test(text)) imports++
    }
    for (const { text } of file.removed) {
      const header = RESOURCE_HEADER.exec(text)
      if (header !== null) removed.set(`${header[1]}.${header[2]}`, header[1]!)
    }
    for (const [address, type] of added) {
      result.push({ address, type, action: removed.has(address) ? "update" : "create" })
    }
    for (const [address, type] of removed)
      if (!added.has(address)) result.push({ address, type, action: "destroy" })
    for (let i = 0; i < imports; i++)
      result.push({ address: `import:${file.path}#${i + 1}`, type: "import", action: "import" })
    const touched = file.added.length + file.removed.length > 0
    if (touched && added.size === 0 && removed.size === 0 && imports === 0 && file.status === "modified") {
      result.push({ address: `file:${file.path}`, type: "terraform-file", action: "update" })
    }
  }
  return result
}

/** Counts the resource changes of a change set (see `resourceChangesOf`). */
export const intentCounts = (change: ChangeSet): IntentCounts => {
  let creates = 0
  let updates = 0
  let destroys = 0
  let imports = 0
  for (const resource of resourceChangesOf(change)) {
    if (resource.action === "create") creates++
    else if (resource.action === "update") updates++
    else if (resource.action === "destroy") destroys++
    else if (resource.action === "replace") {
      creates++
      destroys++
    } else if (resource.action === "import") imports++
  }
  return { creates, updates, destroys, imports }
}

/**
 * The intent table (N4): for each declared intent, whether the counts fit it.
 * import 0/0/0 (state only); create >0/any/0; update 0/>0/0; destroy 0/0/>0; refactor 0/0/0 and no
 * import; migrate >0/0/>0.
 */
export const intentAllows = (intent: Intent, counts: IntentCounts): boolean => {
  const { creates: c, updates: u, destroys: d } = counts
  switch (intent) {
    case "import":
      return c === 0 && u === 0 && d === 0
    case "create":
      return c > 0 && d === 0
    case "update":
      return c === 0 && u > 0 && d === 0
    case "destroy":
      return c === 0 && u === 0 && d > 0
    case "refactor":
      return c === 0 && u === 0 && d === 0 && counts.imports === 0
    case "migrate":
      return c > 0 && u === 0 && d > 0
  }
}

/**
 * Infers the intent from counts, consistently with the table: nothing → `refactor` (or `import` when there are
 * imports); creates without destroys → `create` (updates allowed, as the table's create row allows them); updates
 * only → `update`; destroys only → `destroy`; creates and destroys without updates → `migrate`; anything else →
 * `mixed`. Every inferred intent other than `mixed` is allowed by `intentAllows` for the same counts.
 */
export const inferIntentFromCounts = (counts: IntentCounts): InferredIntent => {
  const { creates: c, updates: u, destroys: d } = counts
  if (c === 0 && u === 0 && d === 0) return counts.imports > 0 ? "import" : "refactor"
  if (c > 0 && d === 0) return "create"
  if (c === 0 && u > 0 && d === 0) return "update"
  if (c === 0 && u === 0 && d > 0) return "destroy"
  if (c > 0 && u === 0 && d > 0) return "migrate"
  return "mixed"
}

/** Infers the intent of a change set (files of a diff, or a Terraform plan's resources). */
export const inferIntent = (
  change: ChangeSet
): { readonly intent: InferredIntent; readonly counts: IntentCounts } => {
  const counts = intentCounts(change)
  return { intent: inferIntentFromCounts(counts), counts }
}
