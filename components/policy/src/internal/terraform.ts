import { Either, Predicate } from "effect"
import type { ChangeSet, ResourceAction, ResourceChange } from "./changeSet.js"
import { InvalidTerraformPlan } from "./errors.js"

const fail = (pointer: string, reason: string) => Either.left(new InvalidTerraformPlan({ pointer, reason }))

const actionOf = (actions: ReadonlyArray<string>, importing: boolean): ResourceAction | undefined => {
  const key = [...actions].sort().join(",")
  switch (key) {
    case "create":
      return "create"
    case "update":
      return importing ? "import" : "update"
    case "delete":
      return "destroy"
    case "create,delete":
      return "replace"
    case "no-op":
      return importing ? "import" : "no-op"
    case "read":
      return "read"
    default:
      return undefined
  }
}

/**
 * Reads a Terraform plan JSON (`terraform show -json plan`) into a `ChangeSet` of resource changes:
 * `resource_changes[].change.actions` `["create"]` → create, `["update"]` → update, `["delete"]` → destroy,
 * `["delete","create"]` / `["create","delete"]` → replace (counts as a create and a destroy), `["no-op"]` → no-op,
 * `["read"]` → read; a change with `importing` set is an import. The change set has no files.
 */
export const changeSetFromTerraformPlan = (plan: unknown): Either.Either<ChangeSet, InvalidTerraformPlan> => {
  if (!Predicate.isRecord(plan)) return fail("", "a Terraform plan JSON object is expected")
  const changes = plan.resource_changes ?? []
  if (!Array.isArray(changes)) return fail("/resource_changes", "an array is expected")
  const resources: Array<ResourceChange> = []
  for (const [index, entry] of changes.entries()) {
    const at = `/resource_changes/${index}`
    if (!Predicate.isRecord(entry)) return fail(at, "an object is expected")
    if (typeof entry.address !== "string" || entry.address === "")
      return fail(`${at}/address`, "a resource address is expected")
    if (typeof entry.type !== "string" || entry.type === "")
      return fail(`${at}/type`, "a resource type is expected")
    const change = entry.change
    if (!Predicate.isRecord(change)) return fail(`${at}/change`, "an object is expected")
    const actions = change.actions
    if (!Array.isArray(actions) || !actions.every((a): a is string => typeof a === "string")) {
      return fail(`${at}/change/actions`, "an array of action names is expected")
    }
    const action = actionOf(actions, change.importing !== undefined && change.importing !== null)
    if (action === undefined) {
      return fail(`${at}/change/actions`, `unknown action combination [${actions.join(", ")}]`)
    }
    resources.push({ address: entry.address, type: entry.type, action })
  }
  return Either.right({ files: [], resources })
}
