import { Either } from "effect"
import { type LoadedPack, packFromJson } from "../src/index.js"

type RuleJson = Record<string, unknown>

/** A rule with defaults: a diffRegex on `pattern`, L2, high, block. */
export const rule = (id: string, overrides: RuleJson = {}): RuleJson => ({
  id,
  layer: "L2",
  severity: "high",
  action: "block",
  detect: { diffRegex: { pattern: id } },
  message: `rule ${id} fired`,
  remediation: `fix ${id}`,
  ...overrides
})

/** A pack decoded from JSON (throws on an invalid fixture). */
export const pack = (
  id: string,
  version: string,
  rules: ReadonlyArray<RuleJson>,
  parents: ReadonlyArray<{ id: string; range: string }> = []
): LoadedPack =>
  Either.getOrThrow(
    packFromJson({
      id,
      version,
      description: `${id} ${version}`,
      ...(parents.length > 0 ? { extends: parents } : {}),
      rules
    })
  )
