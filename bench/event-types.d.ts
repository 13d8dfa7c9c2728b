import { Layer } from "effect"
/** A tool-output-like event with a ~300-byte payload once canonicalized. */
export declare const benchEventType: import("@gauntlet/event-stream").EventTypeSpec<
  "bench/observed",
  {
    readonly ok: boolean
    readonly step: number
    readonly tool: string
    readonly summary: string
    readonly tags: readonly string[]
  },
  {
    readonly ok: boolean
    readonly step: number
    readonly tool: string
    readonly summary: string
    readonly tags: readonly string[]
  }
>
/** A payload of ~300 bytes of RFC 8785 text. */
export declare const benchPayload: (step: number) => {
  step: number
  tool: string
  ok: boolean
  summary: string
  tags: string[]
}
/** `EventLog` over one SQLite file with the bench event type registered and live UUIDv7 ids. */
export declare const benchLogLayer: (
  filename: string
) => Layer.Layer<
  import("@gauntlet/event-stream").EventLog,
  import("@gauntlet/event-stream").StoreFailure | import("@gauntlet/event-stream").InvalidEventTypeSpec,
  never
>
