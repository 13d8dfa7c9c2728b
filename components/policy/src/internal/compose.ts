import { Either } from "effect"
import semver from "semver"
import { CompositionError } from "./errors.js"
import {
  ACTION_ORDER,
  type LoadedPack,
  type PolicyAction,
  packRef,
  type Rule,
  SEVERITY_ORDER
} from "./pack.js"

/** One definition of a rule, with the pack (id@version) that defines it. */
export interface RuleDefinition {
  readonly rule: Rule
  readonly pack: string
}

/**
 * A rule as evaluated after composition: the strictest severity and action of all its definitions, and every
 * distinct definition (detection, scope), each evaluated — a redefinition adds checks, it never removes one.
 */
export interface EffectiveRule {
  readonly id: string
  readonly layer: Rule["layer"]
  readonly severity: Rule["severity"]
  readonly action: PolicyAction
  readonly definitions: ReadonlyArray<RuleDefinition>
}

/** How a rule id defined by several packs was resolved (reported with every result). */
export interface RuleResolution {
  readonly ruleId: string
  readonly definedIn: ReadonlyArray<string>
  readonly severity: Rule["severity"]
  readonly severityFrom: string
  readonly action: PolicyAction
  readonly actionFrom: string
  readonly detections: number
}

/** Packs composed: every pack in order (parents before children), the effective rules and the resolutions. */
export interface ResolvedPolicy {
  readonly packs: ReadonlyArray<LoadedPack>
  readonly rules: ReadonlyArray<EffectiveRule>
  readonly resolutions: ReadonlyArray<RuleResolution>
}

const conflict = (
  reason: CompositionError["reason"],
  pack: string,
  chain: ReadonlyArray<string>,
  detail: string
) => new CompositionError({ reason, pack, chain: [...chain], detail })

const severityRank = (severity: Rule["severity"]) => SEVERITY_ORDER.indexOf(severity)
const actionRank = (action: PolicyAction) => ACTION_ORDER.indexOf(action)
const layerRank = (layer: Rule["layer"]) => Number(layer.slice(1))

const definitionKey = (rule: Rule) => JSON.stringify([rule.detect, rule.appliesTo ?? null])

const mergeRules = (packs: ReadonlyArray<LoadedPack>) => {
  const byId = new Map<string, Array<RuleDefinition>>()
  for (const loaded of packs) {
    for (const rule of loaded.pack.rules) {
      const list = byId.get(rule.id) ?? []
      list.push({ rule, pack: packRef(loaded.pack) })
      byId.set(rule.id, list)
    }
  }
  const rules: Array<EffectiveRule> = []
  const resolutions: Array<RuleResolution> = []
  for (const [id, all] of byId) {
    const strictestSeverity = all.reduce((a, b) =>
      severityRank(b.rule.severity) < severityRank(a.rule.severity) ? b : a
    )
    const strictestAction = all.reduce((a, b) =>
      actionRank(b.rule.action) < actionRank(a.rule.action) ? b : a
    )
    const lowestLayer = all.reduce((a, b) => (layerRank(b.rule.layer) < layerRank(a.rule.layer) ? b : a))
    const seen = new Set<string>()
    const definitions = all.filter((definition) => {
      const key = definitionKey(definition.rule)
      if (seen.has(key)) return false
      seen.add(key)
      return true
    })
    rules.push({
      id,
      layer: lowestLayer.rule.layer,
      severity: strictestSeverity.rule.severity,
      action: strictestAction.rule.action,
      definitions
    })
    if (all.length > 1) {
      resolutions.push({
        ruleId: id,
        definedIn: all.map((definition) => definition.pack),
        severity: strictestSeverity.rule.severity,
        severityFrom: strictestSeverity.pack,
        action: strictestAction.rule.action,
        actionFrom: strictestAction.pack,
        detections: definitions.length
      })
    }
  }
  return { rules, resolutions }
}

/**
 * Composes packs: resolves every `extends` entry against `roots` and `available` (the highest version satisfying
 * every range asked for that id; a root's own version is fixed), orders packs parents first, and merges rules —
 * a rule id defined more than once takes the strictest severity and action among its definitions, keeps every
 * distinct detection, and is reported in `resolutions`. Fails with `CompositionError` (missing parent, cycle,
 * version conflict, two different packs with one id@version).
 */
export const resolvePacks = (
  roots: ReadonlyArray<LoadedPack>,
  available: ReadonlyArray<LoadedPack> = []
): Either.Either<ResolvedPolicy, CompositionError> => {
  const pool = new Map<string, Map<string, LoadedPack>>()
  for (const loaded of [...roots, ...available]) {
    const versions = pool.get(loaded.pack.id) ?? new Map<string, LoadedPack>()
    const existing = versions.get(loaded.pack.version)
    if (existing !== undefined && JSON.stringify(existing.pack) !== JSON.stringify(loaded.pack)) {
      return Either.left(
        conflict("duplicate-pack", packRef(loaded.pack), [], "two different packs share this id and version")
      )
    }
    versions.set(loaded.pack.version, existing ?? loaded)
    pool.set(loaded.pack.id, versions)
  }
  const fixed = new Map<string, string>()
  for (const root of roots) {
    const other = fixed.get(root.pack.id)
    if (other !== undefined && other !== root.pack.version) {
      return Either.left(
        conflict(
          "version-conflict",
          root.pack.id,
          [],
          `given at two versions: ${other} and ${root.pack.version}`
        )
      )
    }
    fixed.set(root.pack.id, root.pack.version)
  }
  const constraints = new Map<string, Set<string>>()
  for (let attempt = 0; attempt < 32; attempt++) {
    const selected = new Map(fixed)
    const ordered: Array<LoadedPack> = []
    const done = new Set<string>()
    let restart = false
    const choose = (id: string, chain: ReadonlyArray<string>): Either.Either<string, CompositionError> => {
      const ranges = [...(constraints.get(id) ?? [])]
      const current = selected.get(id)
      if (current !== undefined && ranges.every((range) => semver.satisfies(current, range)))
        return Either.right(current)
      if (fixed.has(id)) {
        return Either.left(
          conflict(
            "version-conflict",
            id,
            chain,
            `${id}@${current} is given, but ${ranges.join(" and ")} is required`
          )
        )
      }
      const versions = [...(pool.get(id)?.keys() ?? [])]
      const best = semver.maxSatisfying(versions, ranges.join(" ") || "*")
      if (best === null) {
        const anySingle = ranges.some((range) => semver.maxSatisfying(versions, range) !== null)
        return Either.left(
          anySingle && ranges.length > 1
            ? conflict(
                "version-conflict",
                id,
                chain,
                `no version of ${id} satisfies all of ${ranges.join(", ")} (available: ${versions.join(", ") || "none"})`
              )
            : conflict(
                "missing-parent",
                id,
                chain,
                `no available version of ${id} satisfies ${ranges.join(" ")} (available: ${versions.join(", ") || "none"})`
              )
        )
      }
      if (current !== undefined) restart = true
      selected.set(id, best)
      return Either.right(best)
    }
    const visit = (loaded: LoadedPack, chain: ReadonlyArray<string>): CompositionError | undefined => {
      const here = packRef(loaded.pack)
      if (chain.includes(loaded.pack.id)) {
        return conflict(
          "cycle",
          loaded.pack.id,
          [...chain, loaded.pack.id],
          `packs extend each other: ${[...chain, loaded.pack.id].join(" → ")}`
        )
      }
      if (done.has(here)) return undefined
      for (const parent of loaded.pack.extends ?? []) {
        if (semver.validRange(parent.range) === null) {
          return conflict(
            "missing-parent",
            parent.id,
            [...chain, loaded.pack.id],
            `invalid semver range "${parent.range}" in ${here}`
          )
        }
        const ranges = constraints.get(parent.id) ?? new Set<string>()
        ranges.add(parent.range)
        constraints.set(parent.id, ranges)
        const version = choose(parent.id, [...chain, loaded.pack.id])
        if (Either.isLeft(version)) return version.left
        if (restart) return undefined
        const error = visit(pool.get(parent.id)!.get(version.right)!, [...chain, loaded.pack.id])
        if (error !== undefined || restart) return error
      }
      if (!done.has(here)) {
        done.add(here)
        ordered.push(loaded)
      }
      return undefined
    }
    for (const root of roots) {
      const error = visit(root, [])
      if (error !== undefined) return Either.left(error)
      if (restart) break
    }
    if (restart) continue
    const byId = new Map<string, LoadedPack>()
    for (const loaded of ordered) {
      const version = selected.get(loaded.pack.id)
      if (loaded.pack.version === version) byId.set(loaded.pack.id, loaded)
    }
    const packs = ordered.filter((loaded) => byId.get(loaded.pack.id) === loaded)
    return Either.right({ packs, ...mergeRules(packs) })
  }
  return Either.left(
    conflict("version-conflict", roots[0]?.pack.id ?? "", [], "version resolution did not settle")
  )
}
