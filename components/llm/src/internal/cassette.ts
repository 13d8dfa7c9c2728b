import { FileSystem } from "@effect/platform"
import { canonicalize } from "@gauntlet/canonical"
import { Context, Effect, Either, Layer, ParseResult, Ref, Schema } from "effect"
import { CassetteCorrupt, CassetteMiss, CassetteUnavailable, type ClosestEntry } from "./errors.js"
import { LlmResponse } from "./messages.js"
import { requestDigestOf } from "./normalize.js"

/** One recorded call: the digest of the normalized request, the request itself and the provider's response. */
export const CassetteEntry = Schema.Struct({
  digest: Schema.String,
  request: Schema.Record({ key: Schema.String, value: Schema.Unknown }),
  response: LlmResponse
}).annotations({ identifier: "CassetteEntry" })
/** One recorded call. */
export type CassetteEntry = typeof CassetteEntry.Type

/** A loaded cassette entry and its line number. */
export interface LoadedEntry {
  readonly line: number
  readonly entry: CassetteEntry
}

const decodeEntry = Schema.decodeUnknownEither(Schema.parseJson(CassetteEntry))

/**
 * Parses a cassette's JSONL text. Blank lines are skipped; any other line that is not an entry, or whose digest
 * does not match its request, fails with `CassetteCorrupt` naming the file and the 1-based line.
 */
export const parseCassette = (
  file: string,
  text: string
): Either.Either<ReadonlyArray<LoadedEntry>, CassetteCorrupt> => {
  const entries: Array<LoadedEntry> = []
  const lines = text.split("\n")
  for (let index = 0; index < lines.length; index++) {
    const raw = lines[index] as string
    if (raw.trim() === "") continue
    const line = index + 1
    const decoded = decodeEntry(raw)
    if (Either.isLeft(decoded)) {
      const reason = ParseResult.TreeFormatter.formatErrorSync(decoded.left).split("\n").slice(0, 3).join(" ")
      return Either.left(new CassetteCorrupt({ file, line, reason }))
    }
    const actual = requestDigestOf(decoded.right.request)
    if (actual !== decoded.right.digest) {
      return Either.left(
        new CassetteCorrupt({
          file,
          line,
          reason: `digest ${decoded.right.digest} does not match its request (${actual}); the line was edited`
        })
      )
    }
    entries.push({ line, entry: decoded.right })
  }
  return Either.right(entries)
}

/** The request fields (top level, and `messages/<i>`) in which two normalized requests differ. */
const differencesOf = (a: Record<string, unknown>, b: Record<string, unknown>): ReadonlyArray<string> => {
  const out: Array<string> = []
  for (const key of [...new Set([...Object.keys(a), ...Object.keys(b)])].sort()) {
    const left = a[key]
    const right = b[key]
    if (key === "messages" && Array.isArray(left) && Array.isArray(right)) {
      const n = Math.max(left.length, right.length)
      for (let i = 0; i < n; i++) {
        if (canonicalize(left[i] ?? null) !== canonicalize(right[i] ?? null)) out.push(`/messages/${i}`)
      }
      continue
    }
    if (canonicalize(left ?? null) !== canonicalize(right ?? null)) out.push(`/${key}`)
  }
  return out
}

/** The recorded entry closest to a request: fewest differing fields, then the earliest line. */
export const closestEntry = (
  request: Record<string, unknown>,
  entries: ReadonlyArray<LoadedEntry>
): ClosestEntry | undefined => {
  let best: ClosestEntry | undefined
  for (const { line, entry } of entries) {
    const differences = differencesOf(request, entry.request)
    if (best === undefined || differences.length < best.differences.length) {
      best = { digest: entry.digest, line, differences }
    }
  }
  return best
}

/** How the chokepoint answers calls: `live` (providers), `record` (providers, each call appended), `replay`. */
export type LlmMode = "live" | "record" | "replay"

/** The cassette the chokepoint uses in `record` and `replay` modes. */
export interface CassetteShape {
  readonly mode: LlmMode
  readonly file: string | undefined
  /** The recorded response for a request (replay); the n-th identical request gets the n-th recording. */
  readonly replay: (
    digest: string,
    request: Record<string, unknown>,
    model: string
  ) => Effect.Effect<LlmResponse, CassetteMiss | CassetteCorrupt | CassetteUnavailable>
  /** Appends a call (record). */
  readonly record: (entry: CassetteEntry) => Effect.Effect<void, CassetteUnavailable>
}

interface ReplayIndex {
  readonly entries: ReadonlyArray<LoadedEntry>
  readonly byDigest: Map<string, Array<CassetteEntry>>
  readonly served: Map<string, number>
}

const indexOf = (entries: ReadonlyArray<LoadedEntry>): ReplayIndex => {
  const byDigest = new Map<string, Array<CassetteEntry>>()
  for (const { entry } of entries) {
    const list = byDigest.get(entry.digest)
    if (list === undefined) byDigest.set(entry.digest, [entry])
    else list.push(entry)
  }
  return { entries, byDigest, served: new Map() }
}

const unavailable = (file: string, operation: "read" | "write") => (error: unknown) =>
  new CassetteUnavailable({ file, operation, reason: error instanceof Error ? error.message : String(error) })

const makeReplay = (file: string, load: Effect.Effect<string, CassetteUnavailable>) =>
  Effect.gen(function* () {
    const cached = yield* Ref.make<ReplayIndex | undefined>(undefined)
    const index = Effect.flatMap(Ref.get(cached), (current) =>
      current !== undefined
        ? Effect.succeed(current)
        : load.pipe(
            Effect.flatMap((text) => parseCassette(file, text)),
            Effect.map(indexOf),
            Effect.tap((built) => Ref.set(cached, built))
          )
    )
    const replay: CassetteShape["replay"] = (digest, request, model) =>
      Effect.flatMap(index, (idx) => {
        const recorded = idx.byDigest.get(digest)
        if (recorded === undefined || recorded.length === 0) {
          const closest = closestEntry(request, idx.entries)
          return Effect.fail(
            new CassetteMiss({ file, digest, model, ...(closest === undefined ? {} : { closest }) })
          )
        }
        const n = idx.served.get(digest) ?? 0
        idx.served.set(digest, n + 1)
        return Effect.succeed((recorded[Math.min(n, recorded.length - 1)] as CassetteEntry).response)
      })
    return replay
  })

const noCassette = (mode: LlmMode) => (file: string | undefined) =>
  Effect.fail(
    new CassetteUnavailable({
      file: file ?? "(none)",
      operation: mode === "replay" ? "read" : "write",
      reason: `mode ${mode} has no cassette`
    })
  )

/** The cassette service. */
export class Cassette extends Context.Tag("@gauntlet/llm/Cassette")<Cassette, CassetteShape>() {
  /** Live mode: no cassette; every call goes to its provider. */
  static readonly live: Layer.Layer<Cassette> = Layer.succeed(Cassette, {
    mode: "live",
    file: undefined,
    replay: () => noCassette("live")(undefined),
    record: () => noCassette("live")(undefined)
  })

  /** Record mode: calls go to providers and each is appended to `file` as one JSON line (created if missing). */
  static readonly record = (file: string): Layer.Layer<Cassette, never, FileSystem.FileSystem> =>
    Layer.effect(
      Cassette,
      Effect.gen(function* () {
        const fs = yield* FileSystem.FileSystem
        return {
          mode: "record" as const,
          file,
          replay: () => noCassette("record")(file),
          record: (entry: CassetteEntry) =>
            fs
              .writeFileString(file, `${JSON.stringify(entry)}\n`, { flag: "a" })
              .pipe(Effect.mapError(unavailable(file, "write")))
        }
      })
    )

  /** Replay mode: calls are answered from `file` (read once, on first use); a miss fails, never calls out. */
  static readonly replay = (file: string): Layer.Layer<Cassette, never, FileSystem.FileSystem> =>
    Layer.effect(
      Cassette,
      Effect.gen(function* () {
        const fs = yield* FileSystem.FileSystem
        const replay = yield* makeReplay(
          file,
          fs.readFileString(file).pipe(Effect.mapError(unavailable(file, "read")))
        )
        return { mode: "replay" as const, file, replay, record: () => noCassette("replay")(file) }
      })
    )

  /** Replay from cassette text held in memory (`file` names it in errors); for tests and embedded examples. */
  static readonly replayText = (file: string, text: string): Layer.Layer<Cassette> =>
    Layer.effect(
      Cassette,
      Effect.map(makeReplay(file, Effect.succeed(text)), (replay) => ({
        mode: "replay" as const,
        file,
        replay,
        record: () => noCassette("replay")(file)
      }))
    )
}
