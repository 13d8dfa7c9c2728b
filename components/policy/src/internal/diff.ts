import { Either } from "effect"
import type { ChangedLine, ChangeSet, FileChange, FileStatus } from "./changeSet.js"
import { InvalidDiff } from "./errors.js"

interface Draft {
  oldPath: string | undefined
  newPath: string | undefined
  status: FileStatus
  binary: boolean
  added: Array<ChangedLine>
  removed: Array<ChangedLine>
}

const HUNK = /^@@ -(\d+)(?:,(\d+))? \+(\d+)(?:,(\d+))? @@/
const ESCAPES: Record<string, string> = {
  n: "\n",
  t: "\t",
  '"': '"',
  "\\": "\\",
  a: "\x07",
  b: "\b",
  f: "\f",
  r: "\r",
  v: "\v"
}

/** Git quotes paths with unusual characters as C strings (octal escapes are UTF-8 bytes). */
const unquote = (raw: string): string => {
  if (!raw.startsWith('"') || !raw.endsWith('"') || raw.length < 2) return raw
  const bytes: Array<number> = []
  const body = raw.slice(1, -1)
  for (let i = 0; i < body.length; i++) {
    const char = body[i]!
    if (char !== "\\") {
      bytes.push(...new TextEncoder().encode(char))
      continue
    }
    const next = body[i + 1] ?? ""
    if (/[0-7]/.test(next)) {
      bytes.push(Number.parseInt(body.slice(i + 1, i + 4), 8))
      i += 3
    } else {
      bytes.push(...new TextEncoder().encode(ESCAPES[next] ?? next))
      i += 1
    }
  }
  return new TextDecoder().decode(new Uint8Array(bytes))
}

/** The path of a `---`/`+++` line: `undefined` for /dev/null; the `a/`/`b/` prefix dropped; a trailing tab-separated timestamp dropped. */
const markerPath = (rest: string, prefixed: boolean): string | undefined => {
  const withoutTime = rest.startsWith('"') ? rest : rest.split("\t")[0]!
  const path = unquote(withoutTime.trimEnd())
  if (path === "/dev/null") return undefined
  return prefixed && /^[ab]\//.test(path) ? path.slice(2) : path
}

/** `diff --git a/x b/y` → the two paths when they can be split unambiguously (same length or quoted). */
const gitHeaderPaths = (rest: string): readonly [string, string] | undefined => {
  const quoted = /^("(?:[^"\\]|\\.)*"|\S+) ("(?:[^"\\]|\\.)*"|\S+)$/.exec(rest)
  if (quoted !== null && (rest.includes('"') || !rest.slice(2).includes(" b/"))) {
    return [unquote(quoted[1]!).slice(2), unquote(quoted[2]!).slice(2)]
  }
  const half = (rest.length - 1) / 2
  if (Number.isInteger(half) && rest.startsWith("a/") && rest.slice(half + 1).startsWith("b/")) {
    const a = rest.slice(2, half)
    const b = rest.slice(half + 3)
    if (a === b) return [a, b]
  }
  const index = rest.indexOf(" b/")
  return index > 0 ? [rest.slice(2, index), rest.slice(index + 3)] : undefined
}

const finish = (draft: Draft): FileChange => {
  const path =
    draft.status === "deleted" ? (draft.oldPath ?? draft.newPath) : (draft.newPath ?? draft.oldPath)
  const renamed =
    draft.status === "renamed" || (draft.status === "modified" && draft.oldPath !== draft.newPath)
  return {
    path: path ?? "",
    status: renamed && draft.oldPath !== undefined && draft.newPath !== undefined ? "renamed" : draft.status,
    ...(renamed && draft.oldPath !== undefined && draft.oldPath !== path ? { oldPath: draft.oldPath } : {}),
    added: draft.added,
    removed: draft.removed,
    ...(draft.binary ? { binary: true } : {})
  }
}

/**
 * Parses a unified diff (`git diff`, `git show`, `diff -u`) into a `ChangeSet`: one entry per file with its status
 * (added, modified, deleted, renamed), its added lines numbered in the new file and its removed lines numbered in
 * the old file. Text before the first file (a commit message) is ignored; a malformed hunk is an `InvalidDiff`
 * naming the diff line. Binary files are listed with `binary: true` and no lines.
 */
export const parseUnifiedDiff = (text: string): Either.Either<ChangeSet, InvalidDiff> => {
  const lines = text.split(/\r?\n/)
  if (lines.at(-1) === "") lines.pop()
  const files: Array<FileChange> = []
  let draft: Draft | undefined
  let git = false
  let oldLine = 0
  let newLine = 0
  let oldLeft = 0
  let newLeft = 0
  const fail = (index: number, reason: string) => Either.left(new InvalidDiff({ line: index + 1, reason }))
  const close = () => {
    if (draft !== undefined && (draft.newPath !== undefined || draft.oldPath !== undefined))
      files.push(finish(draft))
    draft = undefined
  }
  const open = (): Draft => ({
    oldPath: undefined,
    newPath: undefined,
    status: "modified",
    binary: false,
    added: [],
    removed: []
  })
  for (let index = 0; index < lines.length; index++) {
    const line = lines[index]!
    if (oldLeft > 0 || newLeft > 0) {
      const mark = line[0]
      if (mark === "+" && newLeft > 0) {
        draft!.added.push({ line: newLine++, text: line.slice(1) })
        newLeft--
      } else if (mark === "-" && oldLeft > 0) {
        draft!.removed.push({ line: oldLine++, text: line.slice(1) })
        oldLeft--
      } else if ((mark === " " || line === "") && oldLeft > 0 && newLeft > 0) {
        oldLine++
        newLine++
        oldLeft--
        newLeft--
      } else if (mark === "\\") {
        // "\ No newline at end of file"
      } else {
        return fail(
          index,
          `hunk ended early: expected ${oldLeft} more old and ${newLeft} more new line(s), found "${line.slice(0, 40)}"`
        )
      }
      continue
    }
    if (line.startsWith("\\")) continue
    if (line.startsWith("diff --git ")) {
      close()
      git = true
      draft = open()
      const paths = gitHeaderPaths(line.slice("diff --git ".length))
      if (paths === undefined) return fail(index, "cannot read the paths of a diff --git header")
      draft.oldPath = paths[0]
      draft.newPath = paths[1]
      continue
    }
    if (draft !== undefined && draft.added.length === 0 && draft.removed.length === 0) {
      if (line.startsWith("new file mode")) {
        draft.status = "added"
        continue
      }
      if (line.startsWith("deleted file mode")) {
        draft.status = "deleted"
        continue
      }
      if (line.startsWith("rename from ") || line.startsWith("copy from ")) {
        draft.oldPath = unquote(line.slice(line.indexOf(" from ") + 6))
        draft.status = line.startsWith("rename") ? "renamed" : "added"
        continue
      }
      if (line.startsWith("rename to ") || line.startsWith("copy to ")) {
        draft.newPath = unquote(line.slice(line.indexOf(" to ") + 4))
        continue
      }
      if (line.startsWith("Binary files ") || line === "GIT binary patch") {
        draft.binary = true
        continue
      }
    }
    if (line.startsWith("--- ") && lines[index + 1]?.startsWith("+++ ")) {
      if (!git || draft === undefined || draft.added.length > 0 || draft.removed.length > 0) {
        close()
        draft = open()
        git = false
      }
      const prefixed = git || /^[ab]\//.test(line.slice(4))
      const oldPath = markerPath(line.slice(4), prefixed)
      const newPath = markerPath(lines[index + 1]!.slice(4), prefixed)
      if (oldPath === undefined && newPath === undefined)
        return fail(index, "both sides of the file are /dev/null")
      if (oldPath === undefined) draft.status = "added"
      if (newPath === undefined) draft.status = "deleted"
      draft.oldPath = oldPath ?? draft.oldPath
      draft.newPath = newPath ?? draft.newPath
      if (oldPath === undefined) draft.oldPath = undefined
      if (newPath === undefined) draft.newPath = undefined
      index++
      continue
    }
    if (line.startsWith("@@")) {
      const hunk = HUNK.exec(line)
      if (hunk === null) return fail(index, `malformed hunk header "${line.slice(0, 60)}"`)
      if (draft === undefined) return fail(index, "a hunk before any file header (--- / +++)")
      oldLine = Number(hunk[1])
      oldLeft = hunk[2] === undefined ? 1 : Number(hunk[2])
      newLine = Number(hunk[3])
      newLeft = hunk[4] === undefined ? 1 : Number(hunk[4])
      if (oldLeft === 0) oldLine++
      if (newLeft === 0) newLine++
    }
    if (line === "-- ") {
      // format-patch signature: the patch is over
      close()
      break
    }
    if (draft !== undefined && (line[0] === "+" || line[0] === "-" || line[0] === " ")) {
      return fail(
        index,
        "a changed line outside any hunk (the hunk header's line counts do not match its lines)"
      )
    }
    // Other header lines (index, mode, similarity) and text before the first file are ignored.
  }
  if (oldLeft > 0 || newLeft > 0) {
    return fail(
      lines.length,
      `the diff ends inside a hunk (${oldLeft} old and ${newLeft} new line(s) missing)`
    )
  }
  close()
  return Either.right({ files })
}
