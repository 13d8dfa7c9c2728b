/**
 * @module @gauntlet/event-stream
 * The N3 event stream contract: the envelope, the registry of event types and the kernel catalogue, batch
 * validation and sealing (`prepareBatch`, shared by every store), the hash chain and its streaming verifier, the
 * live hub, the `EventLog` service and its typed errors. Stores implement `EventLog` in their own components.
 */

/** Payload building blocks of the catalogue (reusable by other domains' event types). */
export { AgentStatus, GateLayer, Severity, Violation } from "./internal/catalogue/fields.js"
/** The N3 kernel event catalogue. */
export {
  type CoreEventType,
  type CorePayload,
  coreEvents,
  coreEventTypes
} from "./internal/catalogue/index.js"
/** Sealing events, the event digest and the chain verification result. */
export {
  type ChainBreak,
  type ChainVerification,
  eventDigest,
  type SealedEvent,
  type StoredChainRow,
  sealEvent,
  type UnsealedEvent
} from "./internal/chain.js"
/** The EventLog service and its option/result types. */
export {
  type AppendOptions,
  EventLog,
  type EventLogShape,
  type RunHead,
  type RunSummary,
  type SubscribeFilter
} from "./internal/EventLog.js"
/** Envelope, draft and live-item schemas and types. */
export {
  EventDraft,
  EventType,
  HashString,
  IsoTime,
  type LiveItem,
  RunEvent,
  RunId,
  type StreamOverflow
} from "./internal/envelope.js"
/** Typed errors of the event log and of registry construction. */
export {
  type AppendError,
  InvalidEvent,
  InvalidEventTypeSpec,
  SeqConflict,
  StoreFailure,
  UnknownEventType
} from "./internal/errors.js"
/** The live hub behind `EventLog.subscribe`: bounded buffers, drop-oldest overflow with a notice. */
export {
  DEFAULT_LIVE_BUFFER,
  isStreamOverflow,
  type LiveHub,
  makeLiveHub,
  matchesFilter
} from "./internal/hub.js"
/** RFC 8785 text of a JSON value (undefined when it is not JSON) and where a value stops being JSON. */
export { canonicalJson, locateNonJson } from "./internal/json.js"
/** Validating and sealing a batch onto a run's chain (the append hot path every store shares). */
export { type PrepareBatchInput, type PrepareError, prepareBatch } from "./internal/prepare.js"
/** Event type specs, the registry and the `EventTypes` service. */
export {
  type AnyEventTypeSpec,
  defineEventType,
  type EventTypeRegistry,
  type EventTypeSpec,
  EventTypes,
  makeEventTypeRegistry,
  type RegisteredEventType
} from "./internal/registry.js"
/** The streaming chain verifier. */
export { type ChainVerifier, makeChainVerifier, verifyRows } from "./internal/verify.js"
