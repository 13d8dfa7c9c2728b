import * as Args from "@effect/cli/Args"
import * as Command from "@effect/cli/Command"
import * as Options from "@effect/cli/Options"
import { Effect } from "effect"
import { jsonOption } from "./eventsOptions.js"

/** The handlers (and @gauntlet/signing behind them) load only when a keys or trust command runs. */
const handlers = Effect.promise(() => import("./keysHandlers.js"))

/** `--now <iso>`: the verification time of `trust verify`, `pack verify|install`, `evidence verify` with a root. */
export const nowOption = Options.text("now").pipe(
  Options.optional,
  Options.withDescription("Verification time, ISO-8601 UTC (default: now)")
)

const generate = Command.make(
  "generate",
  {
    out: Options.text("out").pipe(
      Options.withDescription("Directory to write <name>.key (0600) and <name>.pub.json")
    ),
    name: Options.text("name").pipe(
      Options.withDefault("signing"),
      Options.withDescription("Key file name (default: signing)")
    ),
    json: jsonOption
  },
  (options) => Effect.flatMap(handlers, (h) => h.keysGenerate(options))
).pipe(
  Command.withDescription(
    "Generate an Ed25519 signing key: <out>/<name>.key (private, mode 0600) and <out>/<name>.pub.json (public key descriptor); prints the key id."
  )
)

const show = Command.make(
  "show",
  {
    file: Args.text({ name: "file" }).pipe(
      Args.withDescription("Private (.key) or public (.pub.json) key file")
    ),
    json: jsonOption
  },
  (options) => Effect.flatMap(handlers, (h) => h.keysShow(options))
).pipe(Command.withDescription("Print the key id and public key descriptor of a key file."))

/** `gauntlet keys …`: signing keys. */
export const keysCommand = Command.make("keys").pipe(
  Command.withDescription(
    "Ed25519 signing keys for policy packs, trust roots and evidence (N4 Signing and trust)."
  ),
  Command.withSubcommands([generate, show])
)

const grantOption = Options.text("key").pipe(
  Options.repeated,
  Options.withDescription(
    "<pub.json>=<role>[,<role>…]: grant a public key roles (root, packs/<namespace>, evidence)"
  )
)

const thresholdOption = Options.text("threshold").pipe(
  Options.repeated,
  Options.withDescription("<role>=<n>: signatures a role needs (default 1)")
)

const init = Command.make(
  "init",
  {
    out: Options.text("out").pipe(Options.withDescription("Trust root file to write (never overwritten)")),
    expires: Options.text("expires").pipe(
      Options.withDescription("Expiry, ISO-8601 UTC (e.g. 2027-12-31T00:00:00Z)")
    ),
    keys: grantOption,
    thresholds: thresholdOption,
    sign: Options.text("sign").pipe(
      Options.repeated,
      Options.withDescription("Private key file signing the root (repeat to reach the root threshold)")
    ),
    json: jsonOption
  },
  (options) => Effect.flatMap(handlers, (h) => h.trustInit(options))
).pipe(
  Command.withDescription(
    "Create a version-1 trust root granting keys roles, signed, verified before it is written."
  )
)

const next = Command.make(
  "next",
  {
    from: Options.text("from").pipe(Options.withDescription("The current trust root")),
    out: Options.text("out").pipe(Options.withDescription("Where to write the next version (unsigned)")),
    expires: Options.text("expires").pipe(
      Options.optional,
      Options.withDescription("New expiry, ISO-8601 UTC")
    ),
    keys: grantOption,
    revoke: Options.text("revoke").pipe(Options.repeated, Options.withDescription("Key id to mark revoked")),
    remove: Options.text("remove").pipe(Options.repeated, Options.withDescription("Key id to remove")),
    thresholds: thresholdOption,
    json: jsonOption
  },
  (options) => Effect.flatMap(handlers, (h) => h.trustNext(options))
).pipe(
  Command.withDescription(
    "Prepare the next trust root version (unsigned): sign it with `trust sign` by a threshold of the old and the new root keys."
  )
)

const sign = Command.make(
  "sign",
  {
    root: Args.text({ name: "root" }).pipe(
      Args.withDescription("Trust root file (rewritten with the signatures)")
    ),
    keys: Options.text("key").pipe(
      Options.repeated,
      Options.withDescription("Private key file (repeatable)")
    ),
    json: jsonOption
  },
  (options) => Effect.flatMap(handlers, (h) => h.trustSign(options))
).pipe(Command.withDescription("Add signatures to a trust root file."))

const verify = Command.make(
  "verify",
  {
    root: Args.text({ name: "root" }).pipe(Args.withDescription("Trust root file to verify")),
    trusted: Options.text("trusted").pipe(
      Options.optional,
      Options.withDescription(
        "The currently trusted root: check the rotation rule (old and new thresholds, version)"
      )
    ),
    now: nowOption,
    json: jsonOption
  },
  (options) => Effect.flatMap(handlers, (h) => h.trustVerify(options))
).pipe(
  Command.withDescription(
    "Verify a trust root (its own root threshold, expiry) or a rotation to it; prints `ok` or the reason code (exit 18/14)."
  )
)

/** `gauntlet trust …`: the TUF-style trust root. */
export const trustCommand = Command.make("trust").pipe(
  Command.withDescription(
    "The trust root: publisher keys, roles, thresholds, validity, revocations, rotation."
  ),
  Command.withSubcommands([init, next, sign, verify])
)
