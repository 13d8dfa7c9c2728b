import { Either, Schema } from "effect"
import {
  DEFAULT_MAX_ATTEMPTS,
  type PhaseDefinition,
  SOFTWARE_FACTORY_MANDATORY,
  WorkflowDefinition
} from "./definition.js"
import { InvalidWorkflow } from "./errors.js"
import { RUN_TRANSITIONS, type Transition } from "./machine.js"
import { firstIssue } from "./pointer.js"
import { checkSkipPredicate } from "./skip.js"

/** A phase with its defaults applied and its place in the workflow. */
export interface CompiledPhase extends PhaseDefinition {
  readonly index: number
  readonly maxAttempts: number
  /** True when the family forbids skipping it. */
  readonly mandatory: boolean
}

/** One row of the phase graph: after `from` succeeds the run goes to `to` (`null`: the run completes). */
export interface PhaseStep {
  readonly from: string
  readonly to: string | null
}

/** A definition compiled into an explicit machine: the lifecycle table and the phase order. */
export interface CompiledWorkflow {
  readonly definition: WorkflowDefinition
  readonly phases: ReadonlyArray<CompiledPhase>
  /** The run lifecycle transition table (N2-R24). */
  readonly transitions: ReadonlyArray<Transition>
  /** The phase graph as an explicit table, in order. */
  readonly phaseSteps: ReadonlyArray<PhaseStep>
}

const decodeDefinition = Schema.decodeUnknownEither(WorkflowDefinition, {
  onExcessProperty: "error",
  errors: "first"
})

const invalid = (pointer: string, reason: string, source?: string) =>
  new InvalidWorkflow({ pointer, reason, ...(source === undefined ? {} : { source }) })

/** The first malformed `skipIf` of an untrusted definition, checked precisely before the schema decode. */
const skipIfProblem = (input: unknown): { pointer: string; reason: string } | undefined => {
  if (typeof input !== "object" || input === null) return undefined
  const phases = (input as { phases?: unknown }).phases
  if (!Array.isArray(phases)) return undefined
  for (const [index, phase] of phases.entries()) {
    if (typeof phase !== "object" || phase === null || !("skipIf" in phase)) continue
    const problem = checkSkipPredicate((phase as { skipIf: unknown }).skipIf, `/phases/${index}/skipIf`)
    if (problem !== undefined) return problem
  }
  return undefined
}

const familyRule = (def: WorkflowDefinition): { pointer: string; reason: string } | undefined => {
  if (def.family !== "software-factory") return undefined
  let previous = -1
  for (const name of SOFTWARE_FACTORY_MANDATORY) {
    const index = def.phases.findIndex((p) => p.name === name)
    if (index < 0) {
      return { pointer: "/phases", reason: `software-factory workflows must have a "${name}" phase` }
    }
    const phase = def.phases[index] as PhaseDefinition
    if (phase.optional === true) {
      return {
        pointer: `/phases/${index}/optional`,
        reason: `phase "${name}" is mandatory in software-factory workflows and can never be optional`
      }
    }
    if (phase.skipIf !== undefined) {
      return {
        pointer: `/phases/${index}/skipIf`,
        reason: `phase "${name}" is mandatory in software-factory workflows and can never be skipped`
      }
    }
    if (index < previous) {
      return {
        pointer: `/phases/${index}/name`,
        reason: `software-factory phases run in the order ${SOFTWARE_FACTORY_MANDATORY.join(", ")}; "${name}" comes too early`
      }
    }
    previous = index
  }
  return undefined
}

const phaseRules = (def: WorkflowDefinition): { pointer: string; reason: string } | undefined => {
  const seen = new Map<string, number>()
  for (const [index, phase] of def.phases.entries()) {
    const earlier = seen.get(phase.name)
    if (earlier !== undefined) {
      return {
        pointer: `/phases/${index}/name`,
        reason: `duplicate phase "${phase.name}" (also /phases/${earlier})`
      }
    }
    seen.set(phase.name, index)
    const gates = new Set<string>()
    for (const [g, gate] of phase.gates.entries()) {
      if (gates.has(gate))
        return { pointer: `/phases/${index}/gates/${g}`, reason: `duplicate gate "${gate}"` }
      gates.add(gate)
    }
    if (phase.skipIf !== undefined && phase.optional !== true) {
      return {
        pointer: `/phases/${index}/skipIf`,
        reason: `phase "${phase.name}" has skipIf but is not optional: only optional phases may be skipped`
      }
    }
  }
  return undefined
}

/**
 * Decodes and compiles a workflow definition (unknown input: fields are checked, unknown fields refused). Errors
 * name the JSON pointer: schema errors first, then duplicate phases/gates and `skipIf` on a non-optional phase,
 * then the family rules (software-factory: plan, implement, verify, review present, in order, never optional or
 * skippable).
 */
export const compileWorkflow = (
  input: unknown,
  options: { readonly source?: string } = {}
): Either.Either<CompiledWorkflow, InvalidWorkflow> => {
  const skipProblem = skipIfProblem(input)
  if (skipProblem !== undefined)
    return Either.left(invalid(skipProblem.pointer, skipProblem.reason, options.source))
  const decoded = decodeDefinition(input)
  if (Either.isLeft(decoded)) {
    const issue = firstIssue(decoded.left)
    return Either.left(invalid(issue.pointer, issue.reason, options.source))
  }
  const definition = decoded.right
  const broken = phaseRules(definition) ?? familyRule(definition)
  if (broken !== undefined) return Either.left(invalid(broken.pointer, broken.reason, options.source))
  const mandatory = new Set<string>(
    definition.family === "software-factory" ? SOFTWARE_FACTORY_MANDATORY : []
  )
  const phases = definition.phases.map(
    (phase, index): CompiledPhase => ({
      ...phase,
      index,
      maxAttempts: phase.maxAttempts ?? DEFAULT_MAX_ATTEMPTS,
      mandatory: mandatory.has(phase.name)
    })
  )
  const phaseSteps = phases.map((phase, i) => ({ from: phase.name, to: phases[i + 1]?.name ?? null }))
  return Either.right({ definition, phases, transitions: RUN_TRANSITIONS, phaseSteps })
}
