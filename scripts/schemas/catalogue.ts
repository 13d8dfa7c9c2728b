import { AgentScript } from "@gauntlet/agent"
import { BudgetLimits, BudgetState } from "@gauntlet/budget"
import { goldenCaseJsonSchema } from "@gauntlet/conformance"
import { DagSpec } from "@gauntlet/dag"
import { coreEventTypes, EventDraft, RunEvent } from "@gauntlet/event-stream"
import { Failure, FailureClass } from "@gauntlet/failure"
import { GateVerdict, Violation } from "@gauntlet/gate"
import { CassetteEntry } from "@gauntlet/llm"
import { ModelCatalog, RoutingPolicy } from "@gauntlet/models"
import { PackPredicate } from "@gauntlet/pack-archive"
import { PackTestCase, PolicyPack, PolicyResult } from "@gauntlet/policy"
import { DsseEnvelope, Statement, TrustRoot } from "@gauntlet/signing"
import { WorkflowDefinition } from "@gauntlet/workflow"
import { JSONSchema, type Schema } from "effect"

/** One generated schema file: its path under `specs/schemas/` and its JSON Schema document. */
export interface SchemaFile {
  readonly file: string
  readonly schema: unknown
}

const TARGET = { target: "jsonSchema2020-12" } as const

/**
 * Effect marks `Schema.Unknown`/`Schema.Any` with placeholder ids (`"$id": "/schemas/unknown"`); several of them in
 * one document make ajv refuse it ("resolves to more than one schema"), so they are removed.
 */
const withoutPlaceholderIds = (value: unknown): unknown => {
  if (Array.isArray(value)) return value.map(withoutPlaceholderIds)
  if (typeof value !== "object" || value === null) return value
  const out: Record<string, unknown> = {}
  for (const [key, item] of Object.entries(value)) {
    if (key === "$id" && typeof item === "string" && item.startsWith("/schemas/")) continue
    out[key] = withoutPlaceholderIds(item)
  }
  return out
}

const document = (title: string, description: string, schema: Schema.Schema.All): unknown => ({
  ...(withoutPlaceholderIds(
    JSONSchema.make(schema as Schema.Schema<unknown, unknown, never>, TARGET)
  ) as object),
  title,
  description
})

/** The named kernel schemas: file under `specs/schemas/`, title, description, Effect Schema. */
const NAMED: ReadonlyArray<
  readonly [file: string, title: string, description: string, schema: Schema.Schema.All]
> = [
  [
    "run-event.schema.json",
    "RunEvent",
    "A sealed N3 event as stored and read back: envelope, payload and hash chain links.",
    RunEvent
  ],
  [
    "event-draft.schema.json",
    "EventDraft",
    "An N3 event as a producer submits it, before the log assigns seq and hashes.",
    EventDraft
  ],
  [
    "failure-class.schema.json",
    "FailureClass",
    "The failure taxonomy: exactly one class per failure.",
    FailureClass
  ],
  ["failure.schema.json", "Failure", "A classified failure record with its fingerprint.", Failure],
  [
    "workflow-definition.schema.json",
    "WorkflowDefinition",
    "A governed workflow: family, phases (agent, gates, attempts, budget, skip rules) and the run budget (N2).",
    WorkflowDefinition
  ],
  [
    "dag-spec.schema.json",
    "DagSpec",
    "A task DAG: nodes, dependencies, locks, file globs, priorities, retry policy, timeouts (N2).",
    DagSpec
  ],
  [
    "budget-limits.schema.json",
    "BudgetLimits",
    "Limits on tokens, cost, wall time and iterations (N2).",
    BudgetLimits
  ],
  [
    "budget-state.schema.json",
    "BudgetState",
    "A run's durable budget: limits, spent and open reservations per scope.",
    BudgetState
  ],
  [
    "agent-script.schema.json",
    "AgentScript",
    "A scripted agent's script: responses and failures per phase/task.",
    AgentScript
  ],
  ["gate-verdict.schema.json", "GateVerdict", "The verdict of one gate check (N2, N4).", GateVerdict],
  ["violation.schema.json", "Violation", "One rule violation with location and remediation (N4).", Violation],
  ["policy-pack.schema.json", "PolicyPack", "A policy pack manifest, pack.json (N4).", PolicyPack],
  [
    "pack-test-case.schema.json",
    "PackTestCase",
    "One case of a policy pack's own tests, tests/*.json (N4).",
    PackTestCase
  ],
  [
    "policy-result.schema.json",
    "PolicyResult",
    "The result of evaluating policy packs over a change (N4).",
    PolicyResult
  ],
  [
    "pack-predicate.schema.json",
    "PackPredicate",
    "The in-toto predicate of a signed policy pack (N4).",
    PackPredicate
  ],
  ["dsse-envelope.schema.json", "DsseEnvelope", "A DSSE envelope (N4, N6).", DsseEnvelope],
  ["in-toto-statement.schema.json", "Statement", "An in-toto Statement v1 (N4, N6).", Statement],
  ["trust-root.schema.json", "TrustRoot", "The TUF-style trust root of publisher keys (N4).", TrustRoot],
  ["model-catalog.schema.json", "ModelCatalog", "The model registry catalog (N7).", ModelCatalog],
  ["routing-policy.schema.json", "RoutingPolicy", "The model routing policy as data (N7).", RoutingPolicy],
  [
    "cassette-entry.schema.json",
    "CassetteEntry",
    "One recorded LLM call in a cassette file (N7).",
    CassetteEntry
  ]
]

/** File name of an event type's payload schema: `events/<domain>.<name>.v<version>.schema.json`. */
export const payloadFileOf = (type: string, version: number): string =>
  `events/${type.replace("/", ".")}.v${version}.schema.json`

/**
 * Every JSON Schema the kernel publishes, generated from its Effect Schemas (the schemas are the source of truth):
 * the golden case, the event envelope and draft, the failure class and record, and one payload schema per kernel
 * event type. Sorted by file name.
 */
export const kernelSchemaFiles = (): ReadonlyArray<SchemaFile> => {
  const files: Array<SchemaFile> = [
    { file: "golden-case.schema.json", schema: goldenCaseJsonSchema },
    ...NAMED.map(([file, title, description, schema]) => ({
      file,
      schema: document(title, description, schema)
    })),
    ...coreEventTypes.map((spec) => ({
      file: payloadFileOf(spec.type, spec.version),
      schema: document(
        `${spec.type} payload (v${spec.version})`,
        spec.description,
        spec.payload as unknown as Schema.Schema.All
      )
    }))
  ]
  return files.sort((a, b) => a.file.localeCompare(b.file))
}

/** The committed text of a schema file: 2-space JSON with a trailing newline. */
export const renderSchemaFile = (schema: unknown): string => `${JSON.stringify(schema, null, 2)}\n`
