import { Clock, Effect } from "effect"

const ISO_UTC = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,9})?Z$/

/** The current time from Effect's `Clock` service as an ISO-8601 UTC string (TestClock-friendly). */
export const currentIsoTime: Effect.Effect<string> = Effect.map(Clock.currentTimeMillis, (ms) =>
  new Date(ms).toISOString()
)

/** True when the string is an ISO-8601 UTC timestamp (`…Z`). */
export const isIsoUtc = (value: string): boolean => ISO_UTC.test(value) && !Number.isNaN(Date.parse(value))
