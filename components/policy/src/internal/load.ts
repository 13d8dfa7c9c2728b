import { readdir, readFile } from "node:fs/promises"
import { isAbsolute, join, relative, resolve } from "node:path"
import { Effect, Either, ParseResult, Schema } from "effect"
import { build, type Plugin } from "esbuild"
import { InvalidPack, PackIoError } from "./errors.js"
import { type LoadedPack, PolicyPack } from "./pack.js"

const decodePack = Schema.decodeUnknownEither(PolicyPack, { onExcessProperty: "error" })

const pointerOf = (path: ReadonlyArray<PropertyKey>) =>
  path.map((key) => `/${String(key).replaceAll("~", "~0").replaceAll("/", "~1")}`).join("")

/** A module path inside a pack: relative, no `..`, no backslashes, a JS/TS extension. */
const MODULE_PATH = /^(?!\/)(?!.*(?:^|\/)\.\.(?:\/|$))[A-Za-z0-9._/-]+\.(?:ts|mts|js|mjs)$/

/**
 * Checks what the schema cannot: rule ids unique within the pack, every regex compiles (with its flags), check
 * module paths stay inside the pack. `pack` names the pack in errors.
 */
const validateRules = (pack: PolicyPack): Either.Either<PolicyPack, InvalidPack> => {
  const seen = new Set<string>()
  for (const [index, rule] of pack.rules.entries()) {
    const at = `/rules/${index}`
    const invalid = (pointer: string, reason: string) =>
      Either.left(new InvalidPack({ pack: pack.id, pointer: `${at}${pointer}`, reason }))
    if (seen.has(rule.id)) return invalid("/id", `rule id ${rule.id} is defined twice in this pack`)
    seen.add(rule.id)
    const detect = rule.detect
    const regex =
      "diffRegex" in detect
        ? (["diffRegex", detect.diffRegex] as const)
        : "contentRegex" in detect
          ? (["contentRegex", detect.contentRegex] as const)
          : undefined
    if (regex !== undefined) {
      try {
        new RegExp(regex[1].pattern, regex[1].flags ?? "")
      } catch (error) {
        return invalid(
          `/detect/${regex[0]}/pattern`,
          `the regex does not compile: ${(error as Error).message}`
        )
      }
    }
    if ("check" in detect && !MODULE_PATH.test(detect.check.module)) {
      return invalid(
        "/detect/check/module",
        "a check module must be a relative .ts/.mts/.js/.mjs path inside the pack, without .."
      )
    }
  }
  return Either.right(pack)
}

/**
 * Decodes a pack manifest (pack.json as JSON data): unknown members are refused, regexes must compile, rule ids
 * must be unique. The result carries no check modules (use `loadPack` for packs that have them).
 */
export const packFromJson = (json: unknown, name = "pack.json"): Either.Either<LoadedPack, InvalidPack> => {
  const decoded = decodePack(json)
  if (Either.isLeft(decoded)) {
    const issue = ParseResult.ArrayFormatter.formatErrorSync(decoded.left)[0]
    const id =
      typeof json === "object" && json !== null && typeof (json as { id?: unknown }).id === "string"
        ? (json as { id: string }).id
        : name
    return Either.left(
      new InvalidPack({
        pack: id,
        pointer: issue === undefined ? "" : pointerOf(issue.path),
        reason: issue?.message ?? "not a policy pack"
      })
    )
  }
  return Either.map(validateRules(decoded.right), (pack) => ({ pack, checks: {} }))
}

/** An esbuild plugin that refuses imports other than relative files inside the pack directory. */
const stayInside = (dir: string): Plugin => ({
  name: "gauntlet-pack-imports",
  setup(builder) {
    builder.onResolve({ filter: /.*/ }, (args) => {
      if (args.kind === "entry-point") return undefined
      if (!args.path.startsWith(".")) {
        return {
          errors: [
            { text: `check modules may import only relative files inside the pack, not "${args.path}"` }
          ]
        }
      }
      const target = resolve(args.resolveDir, args.path)
      const inside = relative(dir, target)
      if (inside.startsWith("..") || isAbsolute(inside)) {
        return { errors: [{ text: `"${args.path}" is outside the pack directory` }] }
      }
      return undefined
    })
  }
})

/** Compiles a check module (TypeScript or JavaScript, with its relative imports) into one self-contained script. */
const compileCheck = (dir: string, module: string, packId: string, pointer: string) =>
  Effect.tryPromise({
    try: () =>
      build({
        entryPoints: [join(dir, module)],
        absWorkingDir: dir,
        bundle: true,
        write: false,
        format: "cjs",
        platform: "neutral",
        target: "es2022",
        logLevel: "silent",
        plugins: [stayInside(dir)]
      }),
    catch: (error) => {
      const errors = (error as { errors?: ReadonlyArray<{ text: string }> }).errors
      const reason = errors?.map((e) => e.text).join("; ") ?? String(error)
      return new InvalidPack({ pack: packId, pointer, reason: `check module ${module}: ${reason}` })
    }
  }).pipe(Effect.map((result) => result.outputFiles[0]!.text))

/**
 * Loads a pack directory: reads and decodes `pack.json` (see `packFromJson`) and compiles every check module it
 * names into a self-contained script (TypeScript is stripped; only relative imports inside the pack are allowed).
 */
export const loadPack = Effect.fn("Policy.loadPack")(function* (dir: string) {
  const file = join(dir, "pack.json")
  const text = yield* Effect.tryPromise({
    try: () => readFile(file, "utf8"),
    catch: (error) => new PackIoError({ path: file, detail: (error as Error).message })
  })
  const json = yield* Effect.try({
    try: () => JSON.parse(text) as unknown,
    catch: (error) =>
      new InvalidPack({
        pack: dir,
        pointer: "",
        reason: `pack.json is not JSON: ${(error as Error).message}`
      })
  })
  const loaded = yield* packFromJson(json, dir)
  const checks: Record<string, string> = {}
  for (const [index, rule] of loaded.pack.rules.entries()) {
    if (!("check" in rule.detect)) continue
    const module = rule.detect.check.module
    if (checks[module] === undefined) {
      checks[module] = yield* compileCheck(
        resolve(dir),
        module,
        loaded.pack.id,
        `/rules/${index}/detect/check/module`
      )
    }
  }
  const result: LoadedPack = { pack: loaded.pack, dir, checks }
  return result
})

/** Loads every pack directory (a sub-directory holding `pack.json`) directly under `root`, sorted by name. */
export const loadPackDirectory = Effect.fn("Policy.loadPackDirectory")(function* (root: string) {
  const entries = yield* Effect.tryPromise({
    try: () => readdir(root, { withFileTypes: true }),
    catch: (error) => new PackIoError({ path: root, detail: (error as Error).message })
  })
  const dirs = entries
    .filter((entry) => entry.isDirectory())
    .map((entry) => entry.name)
    .sort()
  const packs: Array<LoadedPack> = []
  for (const name of dirs) {
    const has = yield* Effect.tryPromise({
      try: () => readdir(join(root, name)),
      catch: (error) => new PackIoError({ path: join(root, name), detail: (error as Error).message })
    })
    if (has.includes("pack.json")) packs.push(yield* loadPack(join(root, name)))
  }
  return packs as ReadonlyArray<LoadedPack>
})
