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
    {
      file: "run-event.schema.json",
      schema: document(
        "RunEvent",
        "A sealed N3 event as stored and read back: envelope, payload and hash chain links.",
        RunEvent
      )
    },
    {
      file: "event-draft.schema.json",
      schema: document(
        "EventDraft",
        "An N3 event as a producer submits it, before the log assigns seq and hashes.",
        EventDraft
      )
    },
    {
      file: "failure-class.schema.json",
      schema: document("FailureClass", "The failure taxonomy: exactly one class per failure.", FailureClass)
    },
    {
      file: "failure.schema.json",
      schema: document("Failure", "A classified failure record with its fingerprint.", Failure)
    },
    {
      file: "workflow-definition.schema.json",
      schema: document(
        "WorkflowDefinition",
        "A governed workflow: family, phases (agent, gates, attempts, budget, skip rules) and the run budget (N2).",
        WorkflowDefinition
      )
    },
    {
      file: "dag-spec.schema.json",
      schema: document(
        "DagSpec",
        "A task DAG: nodes, dependencies, locks, file globs, priorities, retry policy, timeouts (N2).",
        DagSpec
      )
    },
    {
      file: "budget-limits.schema.json",
      schema: document("BudgetLimits", "Limits on tokens, cost, wall time and iterations (N2).", BudgetLimits)
    },
    {
      file: "budget-state.schema.json",
      schema: document(
        "BudgetState",
        "A run's durable budget: limits, spent and open reservations per scope.",
        BudgetState
      )
    },
    {
      file: "agent-script.schema.json",
      schema: document(
        "AgentScript",
        "A scripted agent's script: responses and failures per phase/task.",
        AgentScript
      )
    },
    {
      file: "gate-verdict.schema.json",
      schema: document("GateVerdict", "The verdict of one gate check (N2, N4).", GateVerdict)
    },
    {
      file: "violation.schema.json",
      schema: document("Violation", "One rule violation with location and remediation (N4).", Violation)
    },
    {
      file: "policy-pack.schema.json",
      schema: document("PolicyPack", "A policy pack manifest, pack.json (N4).", PolicyPack)
    },
    {
      file: "pack-test-case.schema.json",
      schema: document(
        "PackTestCase",
        "One case of a policy pack's own tests, tests/*.json (N4).",
        PackTestCase
      )
    },
    {
      file: "policy-result.schema.json",
      schema: document(
        "PolicyResult",
        "The result of evaluating policy packs over a change (N4).",
        PolicyResult
      )
    },
    {
      file: "pack-predicate.schema.json",
      schema: document("PackPredicate", "The in-toto predicate of a signed policy pack (N4).", PackPredicate)
    },
    {
      file: "dsse-envelope.schema.json",
      schema: document("DsseEnvelope", "A DSSE envelope (N4, N6).", DsseEnvelope)
    },
    {
      file: "in-toto-statement.schema.json",
      schema: document("Statement", "An in-toto Statement v1 (N4, N6).", Statement)
    },
    {
      file: "trust-root.schema.json",
      schema: document("TrustRoot", "The TUF-style trust root of publisher keys (N4).", TrustRoot)
    },
    {
      file: "model-catalog.schema.json",
      schema: document("ModelCatalog", "The model registry catalog (N7).", ModelCatalog)
    },
    {
      file: "routing-policy.schema.json",
      schema: document("RoutingPolicy", "The model routing policy as data (N7).", RoutingPolicy)
    },
    {
      file: "cassette-entry.schema.json",
      schema: document("CassetteEntry", "One recorded LLM call in a cassette file (N7).", CassetteEntry)
    },
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
