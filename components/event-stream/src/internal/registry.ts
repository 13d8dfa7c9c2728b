import type { ParseResult } from "effect"
import { Context, Effect, Either, Layer, Schema, type SchemaAST } from "effect"
import { InvalidEventTypeSpec } from "./errors.js"

/** One event type: its name, payload schema version, meaning and payload schema (pure JSON in, JSON stored). */
export interface EventTypeSpec<T extends string = string, A = unknown, I = unknown> {
  /** `<domain>/<name>`, e.g. `workflow/started`. */
  readonly type: T
  /** Payload schema version (a positive integer); bump it when the payload changes compatibly. */
  readonly version: number
  /** One sentence: what happened when this event is written. */
  readonly description: string
  /** The payload schema. Stores keep the payload as written (its encoded JSON form). */
  readonly payload: Schema.Schema<A, I, never>
}

/** Any event type spec, whatever its payload type (what registries hold). */
export interface AnyEventTypeSpec {
  readonly type: string
  readonly version: number
  readonly description: string
  readonly payload: Schema.Schema.AnyNoContext
}

/** A registered type with its payload decoders, compiled once when the registry is built. */
export interface RegisteredEventType {
  readonly spec: AnyEventTypeSpec
  /**
   * True when the schema has no transformations or declarations, so a default-options decode that keeps the
   * value's shape proves the exact decode succeeds (the hot path); false means every payload takes `decodeExact`.
   */
  readonly fast: boolean
  /** Decoder with default options (excess properties ignored); used on the hot path with a shape comparison. */
  readonly decode: (payload: unknown) => Either.Either<unknown, ParseResult.ParseError>
  /** Decoder that rejects excess properties: the authority on whether a payload is valid, and its error. */
  readonly decodeExact: (payload: unknown) => Either.Either<unknown, ParseResult.ParseError>
  /**
   * A plain predicate compiled from the payload schema's AST (absent when the schema uses a node it does not
   * cover). `true` proves `decodeExact` succeeds and returns a value of the same shape (no transformation, no excess
   * or missing property): the append hot path then skips the decoders. `false` proves nothing: take the decoders.
   */
  readonly check?: (payload: unknown) => boolean
}

/** The event types a log accepts, by name. */
export interface EventTypeRegistry {
  /** Registered type names, sorted. */
  readonly types: ReadonlyArray<string>
  /** The registered type, or undefined when the name is unknown. */
  readonly get: (type: string) => RegisteredEventType | undefined
  /** The specs, in registration order (for catalogues and docs). */
  readonly specs: ReadonlyArray<AnyEventTypeSpec>
}

const TYPE_NAME = /^[a-z][a-z0-9.-]*\/[a-z][a-z0-9.-]*$/

/** Declares an event type; the payload schema's type flows to readers that decode with it. */
export const defineEventType = <const T extends string, A, I>(
  spec: EventTypeSpec<T, A, I>
): EventTypeSpec<T, A, I> => spec

/** True when the AST only checks JSON shapes (no transformation, declaration, bigint or symbol nodes). */
const isShapeOnly = (ast: SchemaAST.AST, seen: Set<SchemaAST.AST> = new Set()): boolean => {
  if (seen.has(ast)) return true
  seen.add(ast)
  switch (ast._tag) {
    case "Transformation":
    case "Declaration":
    case "BigIntKeyword":
    case "SymbolKeyword":
    case "UniqueSymbol":
      return false
    case "Refinement":
      return isShapeOnly(ast.from, seen)
    case "Suspend":
      return isShapeOnly(ast.f(), seen)
    case "Union":
      return ast.types.every((member) => isShapeOnly(member, seen))
    case "TupleType":
      return (
        ast.elements.every((element) => isShapeOnly(element.type, seen)) &&
        ast.rest.every((rest) => isShapeOnly(rest.type, seen))
      )
    case "TypeLiteral":
      return (
        ast.propertySignatures.every(
          (property) => typeof property.name === "string" && isShapeOnly(property.type, seen)
        ) && ast.indexSignatures.every((index) => isShapeOnly(index.type, seen))
      )
    default:
      return true
  }
}

type Check = (u: unknown) => boolean

const EXACT: SchemaAST.ParseOptions = { onExcessProperty: "error" }

const isPlainRecord = (u: unknown): u is Readonly<Record<string, unknown>> =>
  typeof u === "object" && u !== null && !Array.isArray(u)

/**
 * Compiles a conservative validity predicate from a shape-only AST (see `RegisteredEventType.check`), or returns
 * undefined for a node it does not cover. Conservative: a required property that is absent, an index signature,
 * an optional tuple element or anything exotic yields `false` or no predicate, and the decoders decide.
 */
const compileCheck = (ast: SchemaAST.AST, seen: Map<SchemaAST.AST, Check> = new Map()): Check | undefined => {
  const known = seen.get(ast)
  if (known !== undefined) return known
  switch (ast._tag) {
    case "Literal": {
      const literal = ast.literal
      return (u) => u === literal
    }
    case "StringKeyword":
      return (u) => typeof u === "string"
    case "NumberKeyword":
      return (u) => typeof u === "number"
    case "BooleanKeyword":
      return (u) => typeof u === "boolean"
    case "UndefinedKeyword":
      return (u) => u === undefined
    case "UnknownKeyword":
    case "AnyKeyword":
      return () => true
    case "Enums": {
      const values = new Set<unknown>(ast.enums.map(([, value]) => value))
      return (u) => values.has(u)
    }
    case "Refinement": {
      const from = compileCheck(ast.from, seen)
      if (from === undefined) return undefined
      const refinement = ast
      return (u) => from(u) && refinement.filter(u, EXACT, refinement)._tag === "None"
    }
    case "Suspend": {
      // Recursive schemas: register a forwarding predicate before compiling the body.
      let body: Check | undefined
      const forward: Check = (u) => body?.(u) === true
      seen.set(ast, forward)
      body = compileCheck(ast.f(), seen)
      return body === undefined ? undefined : forward
    }
    case "Union": {
      const members: Array<Check> = []
      for (const member of ast.types) {
        const check = compileCheck(member, seen)
        if (check === undefined) return undefined
        members.push(check)
      }
      return (u) => members.some((check) => check(u))
    }
    case "TupleType": {
      if (ast.elements.some((element) => element.isOptional) || ast.rest.length > 1) return undefined
      const elements: Array<Check> = []
      for (const element of ast.elements) {
        const check = compileCheck(element.type, seen)
        if (check === undefined) return undefined
        elements.push(check)
      }
      const rest =
        ast.rest.length === 0 ? undefined : compileCheck((ast.rest[0] as SchemaAST.Type).type, seen)
      if (ast.rest.length === 1 && rest === undefined) return undefined
      return (u) => {
        if (!Array.isArray(u)) return false
        if (rest === undefined ? u.length !== elements.length : u.length < elements.length) return false
        for (let i = 0; i < elements.length; i++) if (!(elements[i] as Check)(u[i])) return false
        if (rest !== undefined) for (let i = elements.length; i < u.length; i++) if (!rest(u[i])) return false
        return true
      }
    }
    case "TypeLiteral": {
      if (ast.indexSignatures.length > 0 || ast.propertySignatures.length === 0) return undefined
      const properties: Array<{ readonly name: string; readonly optional: boolean; readonly check: Check }> =
        []
      for (const property of ast.propertySignatures) {
        if (typeof property.name !== "string") return undefined
        const check = compileCheck(property.type, seen)
        if (check === undefined) return undefined
        properties.push({ name: property.name, optional: property.isOptional, check })
      }
      const names = new Set(properties.map((property) => property.name))
      return (u) => {
        if (!isPlainRecord(u)) return false
        let present = 0
        for (const { name, optional, check } of properties) {
          if (!Object.hasOwn(u, name)) {
            if (optional) continue
            return false
          }
          present++
          if (!check(u[name])) return false
        }
        // Excess properties: more own keys than the declared ones present, or a key that is not declared.
        const keys = Object.keys(u)
        if (keys.length !== present) return false
        for (const key of keys) if (!names.has(key)) return false
        return true
      }
    }
    default:
      return undefined
  }
}

const register = (spec: AnyEventTypeSpec): RegisteredEventType => {
  const fast = isShapeOnly(spec.payload.ast)
  const check = fast ? compileCheck(spec.payload.ast) : undefined
  return {
    spec,
    fast,
    decode: Schema.decodeUnknownEither(spec.payload),
    decodeExact: Schema.decodeUnknownEither(spec.payload, { onExcessProperty: "error" }),
    ...(check === undefined ? {} : { check })
  }
}

/**
 * Builds a registry from specs, compiling each payload decoder once. Fails with `InvalidEventTypeSpec` on a
 * duplicate type, a malformed type name or a version that is not a positive integer.
 */
export const makeEventTypeRegistry = (
  specs: ReadonlyArray<AnyEventTypeSpec>
): Either.Either<EventTypeRegistry, InvalidEventTypeSpec> => {
  const byType = new Map<string, RegisteredEventType>()
  for (const spec of specs) {
    if (!TYPE_NAME.test(spec.type) || spec.type.startsWith("stream/")) {
      return Either.left(
        new InvalidEventTypeSpec({
          type: spec.type,
          reason: "bad-type",
          detail:
            "a type is <domain>/<name>: lowercase letters, digits, '.' and '-', starting with a letter; the stream/ domain is reserved for live notices"
        })
      )
    }
    if (!Number.isSafeInteger(spec.version) || spec.version < 1) {
      return Either.left(
        new InvalidEventTypeSpec({
          type: spec.type,
          reason: "bad-version",
          detail: `version must be a positive integer, got ${spec.version}`
        })
      )
    }
    const existing = byType.get(spec.type)
    if (existing) {
      return Either.left(
        new InvalidEventTypeSpec({
          type: spec.type,
          reason: "duplicate",
          detail: `registered twice (versions ${existing.spec.version} and ${spec.version})`
        })
      )
    }
    byType.set(spec.type, register(spec))
  }
  return Either.right({
    types: [...byType.keys()].sort(),
    get: (type) => byType.get(type),
    specs: [...specs]
  })
}

/** The event types the log validates appends against. */
export class EventTypes extends Context.Tag("@gauntlet/event-stream/EventTypes")<
  EventTypes,
  EventTypeRegistry
>() {
  /** A registry of exactly these specs (e.g. `[...coreEventTypes, ...myTypes]`). */
  static readonly layer = (
    specs: ReadonlyArray<AnyEventTypeSpec>
  ): Layer.Layer<EventTypes, InvalidEventTypeSpec> =>
    Layer.effect(
      EventTypes,
      Effect.suspend(() => makeEventTypeRegistry(specs))
    )
}
