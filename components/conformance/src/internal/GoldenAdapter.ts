import type { Effect } from "effect"

/**
 * Runs the golden cases of one area (`golden/<area>/`): the runner calls `run(case.input)` and compares the
 * returned value with `case.expected`, exactly. An adapter whose subject is expected to reject the input returns a
 * JSON description of the error (e.g. `{ "error": "SeqConflict", … }`); a failing `run` fails the case.
 */
export interface GoldenAdapter {
  /** The area this adapter answers for: the directory name under `golden/`. */
  readonly area: string
  /** Runs the subject under test on one case's input and returns its JSON output. */
  readonly run: (input: unknown) => Effect.Effect<unknown, unknown>
}
