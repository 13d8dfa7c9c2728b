/**
 * @module @gauntlet/provider-scripted
 * A deterministic `LlmProvider` for tests, examples and conformance runs: it answers from a script (text, JSON,
 * tool calls, classified errors, cut streams) and labels every answer as scripted (model `scripted/<name>`,
 * `scripted: true`), so its output is never mistaken for a model's.
 */

/** The scripted provider, its catalog entries and its file loader. */
export {
  loadScriptedProvider,
  makeScriptedProvider,
  SCRIPTED_PROVIDER,
  type ScriptedProvider,
  scriptedModelEntry
} from "./internal/ScriptedProvider.js"
/** The script format, its decoder and its error. */
export { decodeLlmScript, InvalidLlmScript, LlmScript, ScriptStepLlm, StepMatch } from "./internal/script.js"
