import type { GoldenAdapter } from "@gauntlet/conformance"
import { adapter as budget } from "./areas/budget.js"
import { adapter as dag } from "./areas/dag.js"
import { adapter as eventStream } from "./areas/event-stream.js"
import { adapter as evidence } from "./areas/evidence.js"
import { adapter as failure } from "./areas/failure.js"
import { adapter as jcs } from "./areas/jcs.js"
import { adapter as models } from "./areas/models.js"
import { adapter as packArchive } from "./areas/pack-archive.js"
import { adapter as policy } from "./areas/policy.js"
import { adapter as redaction } from "./areas/redaction.js"
import { adapter as signing } from "./areas/signing.js"
import { adapter as workflow } from "./areas/workflow.js"

/** Every golden area the kernel answers for: `gauntlet conformance run` and the golden test use this list. */
export const kernelAdapters: ReadonlyArray<GoldenAdapter> = [
  jcs,
  failure,
  eventStream,
  budget,
  workflow,
  dag,
  evidence,
  redaction,
  signing,
  packArchive,
  policy,
  models
]
