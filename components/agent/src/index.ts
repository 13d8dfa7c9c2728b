/**
 * @module @gauntlet/agent
 * The agent contract of the workflow engine (spec N2 "Agents and gates"): what an agent is asked (`PhaseContext`),
 * what it returns (`AgentOutput`), how it fails (`AgentFailure`, declaring its failure class), the `Agents`
 * registry, and the scripted agent — a deterministic agent driven by a JSON or YAML script, with invocation
 * counters in memory and in a file, for tests, examples and conformance runs.
 */

/** The agent interface, the `Agents` registry service and its constructor. */
export { type Agent, Agents, type AgentsShape, makeAgents } from "./internal/Agent.js"
/** What an agent is asked to do: phase context, feedback items and attempt strategies. */
export { Feedback, PhaseContext, Strategy } from "./internal/context.js"
/** Invocation records and counters (in a file, readable from another process). */
export {
  fileInvocationCounter,
  Invocation,
  type InvocationCounter,
  invocationLine,
  readInvocations
} from "./internal/counter.js"
/** Typed errors: agent failures, registry errors and invalid scripts. */
export { AgentFailure, DuplicateAgent, InvalidAgentScript, UnknownAgent } from "./internal/errors.js"
/** What an agent returns: output, artifacts and usage. */
export { AgentOutput, AgentUsage, Artifact, ArtifactDigest } from "./internal/output.js"
/** The script format of the scripted agent (publish `AgentScript` as JSON Schema) and its decoder. */
export {
  AgentScript,
  decodeAgentScript,
  FailStep,
  RespondStep,
  ScriptedArtifact,
  ScriptedUsage,
  type ScriptIssue,
  ScriptStep
} from "./internal/script.js"
/** The scripted agent. */
export {
  type LoadScriptedAgentOptions,
  loadScriptedAgent,
  makeScriptedAgent,
  SCRIPTED_MODEL,
  type ScriptedAgent,
  type ScriptedAgentOptions,
  type UnconsumedSteps
} from "./internal/scripted.js"
/** Reading script files: JSON or YAML, errors with file, JSON pointer and line. */
export { loadAgentScript, parseAgentScript, type ScriptSyntax, syntaxOf } from "./internal/scriptFile.js"
