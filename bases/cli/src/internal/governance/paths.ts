import { dirname, join, resolve } from "node:path"
import { Option } from "effect"

/**
 * Where the CLI keeps governance files, next to the state store: `--db .gauntlet/state.db` (the default) puts
 * evidence bundles in `.gauntlet/evidence/` and the installation key in `.gauntlet/keys/`.
 */
const stateDirOf = (db: string): string => dirname(resolve(db))

/** The evidence directory: `--dir` when given, else `<state dir>/evidence`. */
export const evidenceDirOf = (db: string, dir: Option.Option<string> = Option.none()): string =>
  Option.match(dir, { onNone: () => join(stateDirOf(db), "evidence"), onSome: (d) => resolve(d) })

/** The installation key directory: `<state dir>/keys`. */
export const keyDirOf = (db: string): string => join(stateDirOf(db), "keys")
