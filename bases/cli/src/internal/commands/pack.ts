import * as Args from "@effect/cli/Args"
import * as Command from "@effect/cli/Command"
import * as Options from "@effect/cli/Options"
import { Effect } from "effect"
import { jsonOption } from "./eventsOptions.js"
import { nowOption } from "./keys.js"

/** The handlers (policy, pack archives, signing) load only when a pack command runs. */
const handlers = Effect.promise(() => import("./packHandlers.js"))

const dirArg = Args.text({ name: "dir" }).pipe(
  Args.withDescription("Pack directory (holding pack.json and tests/)")
)
const archiveArg = Args.text({ name: "archive" }).pipe(Args.withDescription("Pack archive (.tar.gz)"))

const envelopeOption = Options.text("envelope").pipe(
  Options.optional,
  Options.withDescription("DSSE envelope (default: <archive without .tar.gz>.dsse.json)")
)
const rootOption = Options.text("root").pipe(Options.withDescription("Trust root file (trust-root.json)"))
const installDirOption = Options.text("dir").pipe(
  Options.withDefault(".gauntlet"),
  Options.withDescription("Installation directory (default: .gauntlet; packs go under <dir>/packs)")
)

const init = Command.make(
  "init",
  {
    dir: dirArg,
    id: Options.text("id").pipe(Options.withDescription("Pack id, namespace/name")),
    json: jsonOption
  },
  (options) => Effect.flatMap(handlers, (h) => h.packInit(options))
).pipe(
  Command.withDescription("Create a new pack directory: pack.json with one rule, passing tests, a README.")
)

const test = Command.make("test", { dir: dirArg, json: jsonOption }, (options) =>
  Effect.flatMap(handlers, (h) => h.packTest(options))
).pipe(
  Command.withDescription(
    "Run the pack's tests/*.json cases (each twice); exit 14 when one fails or there are none."
  )
)

const build = Command.make(
  "build",
  {
    dir: dirArg,
    out: Options.text("out").pipe(
      Options.withDefault("."),
      Options.withDescription("Directory for <namespace>-<name>-<version>.tar.gz (default: .)")
    ),
    json: jsonOption
  },
  (options) => Effect.flatMap(handlers, (h) => h.packBuild(options))
).pipe(
  Command.withDescription("Build the deterministic archive of a pack whose tests pass; prints its sha256.")
)

const sign = Command.make(
  "sign",
  {
    archive: archiveArg,
    keys: Options.text("key").pipe(
      Options.repeated,
      Options.withDescription("Private key file (repeatable)")
    ),
    out: Options.text("out").pipe(
      Options.optional,
      Options.withDescription("Envelope file (default: <archive without .tar.gz>.dsse.json)")
    ),
    json: jsonOption
  },
  (options) => Effect.flatMap(handlers, (h) => h.packSign(options))
).pipe(
  Command.withDescription(
    "Sign a pack archive: an in-toto Statement of its digest in a DSSE envelope (Ed25519)."
  )
)

const verify = Command.make(
  "verify",
  {
    archive: archiveArg,
    envelope: envelopeOption,
    root: rootOption,
    installedDir: Options.text("installed-dir").pipe(
      Options.optional,
      Options.withDescription("Installation directory whose highest installed version is the rollback floor")
    ),
    now: nowOption,
    json: jsonOption
  },
  (options) => Effect.flatMap(handlers, (h) => h.packVerify(options))
).pipe(
  Command.withDescription(
    "Verify a signed pack offline against a trust root; prints `ok` or the reason code (digest-mismatch, bad-signature → 18; unknown-key, revoked-key, expired-key, threshold-not-met, rollback, root-expired → 14)."
  )
)

const install = Command.make(
  "install",
  {
    archive: archiveArg,
    envelope: envelopeOption,
    root: rootOption,
    dir: installDirOption,
    now: nowOption,
    json: jsonOption
  },
  (options) => Effect.flatMap(handlers, (h) => h.packInstall(options))
).pipe(
  Command.withDescription(
    "Verify, then install a signed pack under <dir>/packs (refuses rollbacks and tampered packs)."
  )
)

const list = Command.make("list", { dir: installDirOption, json: jsonOption }, (options) =>
  Effect.flatMap(handlers, (h) => h.packList(options))
).pipe(Command.withDescription("List the installed packs: id, version, digest, signers, installed at."))

const check = Command.make(
  "check",
  {
    packs: Args.text({ name: "pack-dir" }).pipe(
      Args.atLeast(1),
      Args.withDescription("Pack directories to apply (parents named by `extends` must be among them)")
    ),
    diff: Options.text("diff").pipe(
      Options.withDescription("Unified diff file (git diff output); - for stdin")
    ),
    phase: Options.text("phase").pipe(
      Options.withDefault("implement"),
      Options.withDescription("Workflow phase the change belongs to (default: implement)")
    ),
    scope: Options.text("scope").pipe(
      Options.repeated,
      Options.withDescription("Declared scope glob (repeatable): paths outside it are flagged by scope rules")
    ),
    intent: Options.text("intent").pipe(
      Options.optional,
      Options.withDescription("Declared intent: import|create|update|destroy|refactor|migrate")
    ),
    json: jsonOption
  },
  (options) => Effect.flatMap(handlers, (h) => h.packCheck(options))
).pipe(
  Command.withDescription(
    "Evaluate policy packs on a diff: every violation with its rule, pack@version, location and how to fix it; exit 14 when the decision is block or require-approval."
  )
)

/** `gauntlet pack …`: policy packs. */
export const packCommand = Command.make("pack").pipe(
  Command.withDescription(
    "Policy packs (N4): author, test, build, sign, verify, install, list, check a change."
  ),
  Command.withSubcommands([init, test, build, sign, verify, install, list, check])
)
