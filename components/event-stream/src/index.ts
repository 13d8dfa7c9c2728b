/**
 * @module @gauntlet/event-stream
 * The N3 event stream contract: the envelope, the registry of event types, the hash chain and its streaming
 * verifier, the `EventLog` service and its typed errors. Stores implement `EventLog` in their own components.
 */

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
/** Typed errors of the event log. */
export { type AppendError, InvalidEvent, SeqConflict, StoreFailure, UnknownEventType } from "./internal/errors.js"
/** The EventLog service and its option/result types. */
export {
  type AppendOptions,
  EventLog,
  type EventLogShape,
  type RunHead,
  type RunSummary,
  type SubscribeFilter
} from "./internal/EventLog.js"
/** Sealing events and the chain verification result. */
export {
  type ChainBreak,
  type ChainVerification,
  type SealedEvent,
  type StoredChainRow,
  sealEvent,
  type UnsealedEvent
} from "./internal/chain.js"
/** The streaming chain verifier. */
export { type ChainVerifier, makeChainVerifier, verifyRows } from "./internal/verify.js"
