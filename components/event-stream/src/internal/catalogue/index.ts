import {
  agentCompleted,
  agentFailed,
  agentStarted,
  agentStatus,
  llmRequest,
  llmResponse,
  modelRouted,
  toolCompleted,
  toolInvoked
} from "./agents.js"
import {
  approvalGranted,
  approvalRejected,
  approvalRequested,
  phaseCompleted,
  phaseFailed,
  phaseSkipped,
  phaseStarted,
  runPaused,
  runResumed,
  workflowCancelled,
  workflowCompleted,
  workflowFailed,
  workflowStarted
} from "./lifecycle.js"
import {
  gateFailed,
  gatePassed,
  gateStarted,
  taskFailed,
  taskReady,
  taskRetried,
  taskSkipped,
  taskStarted,
  taskSucceeded
} from "./work.js"

/** The kernel event specs by name, for typed payload decoding (`Schema.decodeUnknown(coreEvents.gateFailed.payload)`). */
export const coreEvents = {
  workflowStarted,
  workflowCompleted,
  workflowFailed,
  workflowCancelled,
  phaseStarted,
  phaseCompleted,
  phaseFailed,
  phaseSkipped,
  agentStarted,
  agentCompleted,
  agentFailed,
  agentStatus,
  taskReady,
  taskStarted,
  taskSucceeded,
  taskFailed,
  taskSkipped,
  taskRetried,
  gateStarted,
  gatePassed,
  gateFailed,
  llmRequest,
  llmResponse,
  modelRouted,
  toolInvoked,
  toolCompleted,
  approvalRequested,
  approvalGranted,
  approvalRejected,
  runPaused,
  runResumed
} as const

/** The N3 kernel catalogue: every event type the kernel itself writes (N3-R14), in catalogue order. */
export const coreEventTypes: ReadonlyArray<(typeof coreEvents)[keyof typeof coreEvents]> =
  Object.values(coreEvents)

/** The name of a kernel event type. */
export type CoreEventType = (typeof coreEventTypes)[number]["type"]

/** The payload (as written and stored) of a kernel event type. */
export type CorePayload<T extends CoreEventType> = Extract<
  (typeof coreEventTypes)[number],
  { type: T }
>["payload"]["Encoded"]
