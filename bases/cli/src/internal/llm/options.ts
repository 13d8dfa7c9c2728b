import * as Options from "@effect/cli/Options"

/** `--mode live|record|replay` (else `GAUNTLET_LLM_MODE`; default live when a provider is configured). */
export const modeOption = Options.choice("mode", ["live", "record", "replay"]).pipe(
  Options.optional,
  Options.withDescription(
    "Model-call mode: live (call providers), record (call and append each call to --cassette), replay (answer from --cassette, never the network). Default: GAUNTLET_LLM_MODE, else live when a provider is configured, else replay when --cassette is given"
  )
)

/** `--cassette <file>`: the JSONL cassette recorded or replayed. */
export const cassetteOption = Options.file("cassette").pipe(
  Options.optional,
  Options.withDescription("JSONL cassette file: written by --mode record, read by --mode replay")
)

/** `--budget-usd <n>`: the run's model-spend limit in USD. */
export const budgetUsdOption = Options.float("budget-usd").pipe(
  Options.optional,
  Options.withDescription(
    "Model-spend limit of the run in USD (default 1). A call whose worst case does not fit is refused before any network traffic (exit 15, resource)"
  )
)
