/**
 * End-to-end tests of the governance commands of the bundled `gauntlet` executable, each a real subprocess in a
 * temp directory: `keys generate|show`, `trust init|next|sign|verify`, `pack init|test|build|sign|verify|install|
 * list|check`, `evidence show|verify|export` on the bundles written by run commands, and `models list`.
 */
import { execFileSync, spawnSync } from "node:child_process"
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join, resolve } from "node:path"
import { EXIT_CODES } from "@gauntlet/failure"
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest"

const root = resolve(import.meta.dirname, "../../..")
const bin = join(root, "projects/gauntlet/bin/gauntlet.mjs")

interface Result {
  readonly status: number | null
  readonly stdout: string
  readonly stderr: string
}

let work: string
let dir: string
let caseNo = 0

/** The environment of every run: no provider configured (models are listed as unavailable unless a test adds one). */
const baseEnv = (): NodeJS.ProcessEnv => {
  const env: NodeJS.ProcessEnv = { ...process.env, GAUNTLET_DEBUG: "" }
  for (const name of Object.keys(env))
    if (/API_KEY|_HOST$|BASE_URL/.test(name) && name !== "PATH") delete env[name]
  return env
}

const gauntlet = (args: ReadonlyArray<string>, extraEnv: NodeJS.ProcessEnv = {}, input?: string): Result => {
  const r = spawnSync(process.execPath, [bin, ...args], {
    cwd: dir,
    encoding: "utf8",
    ...(input === undefined ? {} : { input }),
    env: { ...baseEnv(), ...extraEnv },
    timeout: 60_000
  })
  return { status: r.status, stdout: r.stdout, stderr: r.stderr }
}

const lines = (text: string) => text.split("\n").filter((line) => line.length > 0)

/** Exactly one stderr line matching `text`, no stack trace. */
const expectOneErrorLine = (r: Result, text: RegExp) => {
  const err = lines(r.stderr)
  expect(err).toHaveLength(1)
  expect(err[0]).toMatch(text)
  expect(r.stderr).not.toMatch(/^\s+at /m)
}

/** Runs a command that must succeed and returns its stdout. */
const ok = (args: ReadonlyArray<string>): string => {
  const r = gauntlet(args)
  expect(r.stderr).toBe("")
  expect(r.status).toBe(0)
  return r.stdout
}

/** Flips one byte of a file at `offset` (from the end when negative). */
const flipByte = (file: string, offset: number) => {
  const bytes = readFileSync(file)
  const at = offset < 0 ? bytes.length + offset : offset
  bytes[at] = bytes[at]! ^ 0x01
  writeFileSync(file, bytes)
}

beforeAll(() => {
  work = mkdtempSync(join(tmpdir(), "gauntlet-gov-"))
}, 120_000)

afterAll(() => {
  rmSync(work, { recursive: true, force: true })
})

beforeEach(() => {
  caseNo++
  dir = join(work, `case-${caseNo}`)
  mkdirSync(dir, { recursive: true })
})

/** `keys generate --json` → the key id and the paths. */
const generateKey = (name: string) =>
  JSON.parse(ok(["keys", "generate", "--out", "keys", "--name", name, "--json"])) as {
    keyId: string
    privateKeyPath: string
    publicKeyPath: string
  }

/** A publisher key `alice` and a trust root granting it `root` and `packs/acme`. */
const publisherSetup = () => {
  const alice = generateKey("alice")
  ok([
    "trust",
    "init",
    "--out",
    "root.json",
    "--expires",
    "2099-01-01T00:00:00Z",
    "--key",
    "keys/alice.pub.json=root,packs/acme",
    "--sign",
    "keys/alice.key"
  ])
  return alice
}

/** init → test → build → sign a pack `acme/no-debugger`; returns the archive path. */
const signedPack = () => {
  ok(["pack", "init", "pack", "--id", "acme/no-debugger"])
  ok(["pack", "test", "pack"])
  const built = JSON.parse(ok(["pack", "build", "pack", "--out", "dist", "--json"])) as {
    archivePath: string
  }
  ok(["pack", "sign", built.archivePath, "--key", "keys/alice.key"])
  return built.archivePath
}

const DEBUGGER_DIFF = [
  "diff --git a/src/app.ts b/src/app.ts",
  "index 1111111..2222222 100644",
  "--- a/src/app.ts",
  "+++ b/src/app.ts",
  "@@ -1,2 +1,3 @@",
  " export const a = 1",
  "+debugger",
  " export const b = 2",
  ""
].join("\n")

describe("gauntlet keys", () => {
  it("generate writes a 0600 private key and a public key file and prints the key id; never overwrites", () => {
    const out = lines(ok(["keys", "generate", "--out", "keys", "--name", "alice"]))
    const keyId = out[0]!.match(/^key ([0-9a-f]{64})$/)?.[1]
    expect(keyId).toBeDefined()
    expect(statSync(join(dir, "keys/alice.key")).mode & 0o777).toBe(0o600)
    const pub = JSON.parse(readFileSync(join(dir, "keys/alice.pub.json"), "utf8")) as {
      keyId: string
      publicKey: { keytype: string; keyval: { public: string } }
    }
    expect(pub.keyId).toBe(keyId)
    expect(pub.publicKey.keytype).toBe("ed25519")
    expect(pub.publicKey.keyval.public).toMatch(/^[0-9a-f]{64}$/)
    // show: the same id from the private and the public file
    expect(lines(ok(["keys", "show", "keys/alice.key"]))[0]).toBe(`key ${keyId} (private key file, ed25519)`)
    expect(JSON.parse(ok(["keys", "show", "keys/alice.pub.json", "--json"]))).toMatchObject({
      kind: "public",
      keyId
    })
    // a second generate with the same name is refused and leaves the key alone
    const before = readFileSync(join(dir, "keys/alice.key"), "utf8")
    const again = gauntlet(["keys", "generate", "--out", "keys", "--name", "alice"])
    expect(again.status).toBe(EXIT_CODES.policy)
    expectOneErrorLine(again, /keys\/alice\.key/)
    expect(readFileSync(join(dir, "keys/alice.key"), "utf8")).toBe(before)
  })

  it("a private key readable by others is refused when signing (policy), naming the fix", () => {
    publisherSetup()
    ok(["pack", "init", "pack", "--id", "acme/no-debugger"])
    const built = JSON.parse(ok(["pack", "build", "pack", "--out", "dist", "--json"])) as {
      archivePath: string
    }
    execFileSync("chmod", ["644", join(dir, "keys/alice.key")])
    const r = gauntlet(["pack", "sign", built.archivePath, "--key", "keys/alice.key"])
    expect(r.status).toBe(EXIT_CODES.policy)
    expectOneErrorLine(r, /insecure-permissions.*chmod 600/)
    const missing = gauntlet(["pack", "sign", built.archivePath, "--key", "keys/nope.key"])
    expect(missing.status).toBe(66)
    expectOneErrorLine(missing, /nope\.key/)
  })
})

describe("gauntlet trust", () => {
  it("init verifies; an expired root is refused (root-expired, 14); a rotation signed by old and new keys verifies", () => {
    const alice = publisherSetup()
    expect(lines(ok(["trust", "verify", "root.json"]))).toEqual([
      `ok: trust root root.json version 1, signed by ${alice.keyId}`
    ])
    const expired = gauntlet(["trust", "verify", "root.json", "--now", "2100-01-01T00:00:00Z"])
    expect(expired.status).toBe(EXIT_CODES.policy)
    expect(lines(expired.stdout)).toEqual(["root-expired"])
    expectOneErrorLine(expired, /trust root root\.json does not verify \(root-expired\)/)
    // rotate: add bob as a root key, threshold 1; sign with alice (old) and bob (new)
    const bob = generateKey("bob")
    ok(["trust", "next", "--from", "root.json", "--out", "root2.json", "--key", "keys/bob.pub.json=root"])
    const unsigned = gauntlet(["trust", "verify", "root2.json", "--trusted", "root.json", "--json"])
    expect(unsigned.status).toBe(EXIT_CODES.policy)
    expect(JSON.parse(unsigned.stdout)).toMatchObject({ ok: false, reason: "threshold-not-met" })
    ok(["trust", "sign", "root2.json", "--key", "keys/alice.key", "--key", "keys/bob.key"])
    const rotated = JSON.parse(ok(["trust", "verify", "root2.json", "--trusted", "root.json", "--json"])) as {
      ok: boolean
      version: number
      signers: ReadonlyArray<string>
    }
    expect(rotated.ok).toBe(true)
    expect(rotated.version).toBe(2)
    expect([...rotated.signers].sort()).toEqual([alice.keyId, bob.keyId].sort())
    // a root that is not JSON: data-integrity
    writeFileSync(join(dir, "bad.json"), "{")
    const bad = gauntlet(["trust", "verify", "bad.json"])
    expect(bad.status).toBe(EXIT_CODES["data-integrity"])
    expectOneErrorLine(bad, /bad\.json is not JSON/)
  })
})

describe("gauntlet pack", () => {
  it("init → test → build → sign → verify → install → list", () => {
    const alice = publisherSetup()
    const created = lines(ok(["pack", "init", "pack", "--id", "acme/no-debugger"]))
    expect(created[0]).toMatch(/^pack acme\/no-debugger created in pack: .*pack\.json/)
    const tested = lines(ok(["pack", "test", "pack"]))
    expect(tested.at(-1)).toBe("pack acme/no-debugger@0.1.0: 2 passed, 0 failed")
    expect(tested.filter((l) => l.startsWith("pass  tests/"))).toHaveLength(2)
    const built = lines(ok(["pack", "build", "pack", "--out", "dist"]))
    expect(built[0]).toBe("built acme/no-debugger@0.1.0: dist/acme-no-debugger-0.1.0.tar.gz")
    const digest = built[1]!.match(/digest: (sha256:[0-9a-f]{64})$/)?.[1]
    expect(digest).toBeDefined()
    // deterministic: building again gives the same digest
    expect(lines(ok(["pack", "build", "pack", "--out", "dist2"]))[1]).toBe(built[1])
    const archive = "dist/acme-no-debugger-0.1.0.tar.gz"
    const signed = lines(ok(["pack", "sign", archive, "--key", "keys/alice.key"]))
    expect(signed[0]).toBe("signed acme/no-debugger@0.1.0: dist/acme-no-debugger-0.1.0.dsse.json")
    expect(lines(ok(["pack", "verify", archive, "--root", "root.json"]))).toEqual([
      `ok: acme/no-debugger@0.1.0 ${digest} signed by ${alice.keyId}`
    ])
    const installed = JSON.parse(ok(["pack", "install", archive, "--root", "root.json", "--json"])) as {
      id: string
      version: string
      digest: string
      path: string
    }
    expect(installed).toMatchObject({ id: "acme/no-debugger", version: "0.1.0", digest })
    expect(existsSync(join(dir, installed.path, "pack.json"))).toBe(true)
    const listed = lines(ok(["pack", "list", "--json"])).map(
      (l) => JSON.parse(l) as { id: string; digest: string }
    )
    expect(listed.map((p) => [p.id, p.digest])).toEqual([["acme/no-debugger", digest]])
    const table = lines(ok(["pack", "list"]))
    expect(table[0]).toMatch(/^PACK +VERSION +HIGHEST +DIGEST +INSTALLED$/)
    expect(table[1]).toMatch(/^acme\/no-debugger +0\.1\.0 +0\.1\.0 +sha256:/)
    expect(lines(ok(["pack", "list", "--dir", "elsewhere"]))).toEqual(["no packs installed in elsewhere"])
  })

  it("a tampered archive is refused with digest-mismatch (18); an unknown signer with unknown-key (14); nothing installed", () => {
    publisherSetup()
    const archive = signedPack()
    const tampered = join(dir, "dist/tampered.tar.gz")
    writeFileSync(tampered, readFileSync(join(dir, archive)))
    flipByte(tampered, 100)
    const envelope = "dist/acme-no-debugger-0.1.0.dsse.json"
    const r = gauntlet([
      "pack",
      "verify",
      "dist/tampered.tar.gz",
      "--envelope",
      envelope,
      "--root",
      "root.json"
    ])
    expect(r.status).toBe(EXIT_CODES["data-integrity"])
    expect(lines(r.stdout)).toEqual(["digest-mismatch"])
    expectOneErrorLine(r, /pack archive dist\/tampered\.tar\.gz does not verify \(digest-mismatch\)/)
    const asJson = gauntlet([
      "pack",
      "verify",
      "dist/tampered.tar.gz",
      "--envelope",
      envelope,
      "--root",
      "root.json",
      "--json"
    ])
    expect(JSON.parse(asJson.stdout)).toMatchObject({ ok: false, reason: "digest-mismatch" })
    const install = gauntlet([
      "pack",
      "install",
      "dist/tampered.tar.gz",
      "--envelope",
      envelope,
      "--root",
      "root.json"
    ])
    expect(install.status).toBe(EXIT_CODES["data-integrity"])
    expectOneErrorLine(install, /does not verify \(digest-mismatch\)/)
    expect(existsSync(join(dir, ".gauntlet/packs/acme"))).toBe(false)
    // signed by a key the root does not list
    generateKey("mallory")
    ok(["pack", "sign", archive, "--key", "keys/mallory.key", "--out", "mallory.dsse.json"])
    const unknown = gauntlet([
      "pack",
      "verify",
      archive,
      "--envelope",
      "mallory.dsse.json",
      "--root",
      "root.json"
    ])
    expect(unknown.status).toBe(EXIT_CODES.policy)
    expect(lines(unknown.stdout)).toEqual(["unknown-key"])
    // a missing archive: 66
    const missing = gauntlet(["pack", "verify", "dist/nope.tar.gz", "--root", "root.json"])
    expect(missing.status).toBe(66)
    expectOneErrorLine(missing, /nope\.tar\.gz/)
  })

  it("a version below the highest installed one is refused (rollback, 14), at verify and at install", () => {
    publisherSetup()
    const v1 = signedPack()
    const manifest = join(dir, "pack/pack.json")
    writeFileSync(
      manifest,
      readFileSync(manifest, "utf8").replace('"version": "0.1.0"', '"version": "0.2.0"')
    )
    const built = JSON.parse(ok(["pack", "build", "pack", "--out", "dist", "--json"])) as {
      archivePath: string
    }
    expect(built.archivePath).toBe("dist/acme-no-debugger-0.2.0.tar.gz")
    ok(["pack", "sign", built.archivePath, "--key", "keys/alice.key"])
    ok(["pack", "install", built.archivePath, "--root", "root.json"])
    const verify = gauntlet(["pack", "verify", v1, "--root", "root.json", "--installed-dir", ".gauntlet"])
    expect(verify.status).toBe(EXIT_CODES.policy)
    expect(lines(verify.stdout)).toEqual(["rollback"])
    const install = gauntlet(["pack", "install", v1, "--root", "root.json"])
    expect(install.status).toBe(EXIT_CODES.policy)
    expectOneErrorLine(install, /\(rollback\)/)
    // without the installed floor the old version still verifies
    expect(lines(ok(["pack", "verify", v1, "--root", "root.json"]))[0]).toMatch(
      /^ok: acme\/no-debugger@0\.1\.0 /
    )
  })

  it("the standard packs: a signed one verifies against the development root; foundations blocks an added AWS key", () => {
    const signedDir = join(root, "policy-packs/signed")
    const archive = join(signedDir, "gauntlet-foundations-1.0.0.tar.gz")
    const devRoot = join(root, "policy-packs/trust-root.dev.json")
    expect(lines(ok(["pack", "verify", archive, "--root", devRoot]))[0]).toMatch(
      /^ok: gauntlet\/foundations@1\.0\.0 sha256:[0-9a-f]{64} signed by [0-9a-f]{64}$/
    )
    writeFileSync(
      join(dir, "secret.diff"),
      DEBUGGER_DIFF.replace("+debugger", '+export const key = "AKIAIOSFODNN7EXAMPLE"')
    )
    const r = gauntlet(["pack", "check", join(root, "policy-packs/foundations"), "--diff", "secret.diff"])
    expect(r.status).toBe(EXIT_CODES.policy)
    expect(r.stdout).toMatch(/^\[CRITICAL\] Rule: \S+ \(gauntlet\/foundations@1\.0\.0\) → block$/m)
    expect(r.stdout).toMatch(/aws-access-key/)
    expect(r.stdout).not.toContain("AKIAIOSFODNN7EXAMPLE")
  })

  it("pack test reports a failing case and exits 14; build refuses the pack", () => {
    ok(["pack", "init", "pack", "--id", "acme/no-debugger"])
    const caseFile = join(dir, "pack/tests/blocks-debugger.json")
    const testCase = JSON.parse(readFileSync(caseFile, "utf8")) as { expected: { violations: Array<string> } }
    testCase.expected.violations = []
    writeFileSync(caseFile, JSON.stringify(testCase))
    const r = gauntlet(["pack", "test", "pack"])
    expect(r.status).toBe(EXIT_CODES.policy)
    expect(r.stdout).toMatch(/^FAIL {2}tests\/blocks-debugger\.json/m)
    expect(r.stdout).toMatch(/expected rules \[\], got \[no-debugger\]/)
    expectOneErrorLine(r, /pack acme\/no-debugger@0\.1\.0: 1 of 2 test case\(s\) failed/)
    const b = gauntlet(["pack", "build", "pack", "--out", "dist"])
    expect(b.status).toBe(EXIT_CODES.policy)
    expect(existsSync(join(dir, "dist"))).toBe(false)
    const bad = gauntlet(["pack", "init", "other", "--id", "NoSlash"])
    expect(bad.status).toBe(EXIT_CODES.policy)
    expectOneErrorLine(bad, /is not "namespace\/name"/)
  })

  it("pack check blocks a change with the explanation (14) and allows a clean one (0)", () => {
    ok(["pack", "init", "pack", "--id", "acme/no-debugger"])
    writeFileSync(join(dir, "change.diff"), DEBUGGER_DIFF)
    const r = gauntlet(["pack", "check", "pack", "--diff", "change.diff"])
    expect(r.status).toBe(EXIT_CODES.policy)
    expect(r.stdout).toContain("Rule: no-debugger (acme/no-debugger@0.1.0) → block")
    expect(r.stdout).toContain("Location: src/app.ts:2")
    expect(r.stdout).toMatch(/^How to fix: .+/m)
    expect(lines(r.stdout).at(-1)).toBe("decision: block (1 violation(s); packs acme/no-debugger@0.1.0)")
    expectOneErrorLine(r, /change refused by policy \(block\): 1 violation\(s\) of no-debugger/)
    // the diff from stdin (`git diff | gauntlet pack check … --diff -`)
    const piped = gauntlet(["pack", "check", "pack", "--diff", "-"], {}, DEBUGGER_DIFF)
    expect(piped.status).toBe(EXIT_CODES.policy)
    expect(piped.stdout).toBe(r.stdout)
    const json = gauntlet(["pack", "check", "pack", "--diff", "change.diff", "--json"])
    expect(JSON.parse(json.stdout)).toMatchObject({
      decision: "block",
      violations: [{ ruleId: "no-debugger" }]
    })
    writeFileSync(join(dir, "clean.diff"), DEBUGGER_DIFF.replace("+debugger", "+export const c = 3"))
    expect(lines(ok(["pack", "check", "pack", "--diff", "clean.diff"]))).toEqual([
      "decision: allow (0 violation(s); packs acme/no-debugger@0.1.0)"
    ])
    const missing = gauntlet(["pack", "check", "pack", "--diff", "nope.diff"])
    expect(missing.status).toBe(66)
    const intent = gauntlet(["pack", "check", "pack", "--diff", "clean.diff", "--intent", "explode"])
    expect(intent.status).toBe(EXIT_CODES.usage)
    expectOneErrorLine(intent, /invalid value for --intent: explode/)
  })
})

/** A governed workflow that completes, and its scripted agent. */
const setupRun = (steps: { readonly implement?: ReadonlyArray<unknown> } = {}) => {
  const definition = {
    id: "ship-it",
    version: "1",
    family: "software-factory",
    budget: { iterations: 50 },
    phases: [
      { name: "plan", agent: "bot", gates: ["output-present", "plan-schema"] },
      { name: "implement", agent: "bot", gates: ["tests-pass"], maxAttempts: 2 },
      { name: "verify", agent: "bot", gates: ["tests-pass"] },
      { name: "review", agent: "bot", gates: ["review-approved"] }
    ]
  }
  const pass = { respond: { output: { testsFailed: 0 } } }
  const script = {
    id: "bot",
    steps: {
      plan: [
        { respond: { output: { tasks: ["x"] }, usage: { inputTokens: 10, outputTokens: 2, costUsd: 0.001 } } }
      ],
      implement: steps.implement ?? [pass],
      verify: [pass],
      review: [{ respond: { output: { approved: true } } }]
    }
  }
  writeFileSync(join(dir, "workflow.json"), JSON.stringify(definition))
  writeFileSync(join(dir, "agent.json"), JSON.stringify(script))
}

const bundleOf = (runId: string) => join(dir, ".gauntlet/evidence", `${runId}.intoto.jsonl`)

describe("gauntlet evidence", () => {
  it("every terminal run leaves a bundle that verifies; a byte edited in it is caught (18)", () => {
    setupRun()
    const run = lines(ok(["workflow", "run", "workflow.json", "--agents", "agent.json", "--run-id", "r1"]))
    expect(run[0]).toBe("run r1: completed")
    expect(run[1]).toMatch(
      new RegExp(
        `^evidence: ${bundleOf("r1")} \\(verifies: \\d+ statements signed by [0-9a-f]{64}, anchored to \\d+ events\\)$`
      )
    )
    // the installation key was created next to the store, private half 0600
    expect(statSync(join(dir, ".gauntlet/keys/installation.key")).mode & 0o777).toBe(0o600)
    const verified = lines(ok(["evidence", "verify", "r1"]))
    expect(verified[0]).toMatch(
      /^ok: evidence .*r1\.intoto\.jsonl: \d+ statements signed by [0-9a-f]{64}; chain anchor \d+ events \(checked against the store\)$/
    )
    const verdict = JSON.parse(ok(["evidence", "verify", "r1", "--json"])) as {
      ok: boolean
      eventsChecked: boolean
    }
    expect(verdict).toMatchObject({ ok: true, eventsChecked: true })
    // show: the trace
    const shown = ok(["evidence", "show", "r1"])
    expect(shown).toMatch(/^outcome: {4}completed$/m)
    expect(shown).toMatch(/^ {2}implement +1 attempt\(s\) {2}agent bot$/m)
    expect(shown).toMatch(/gate tests-pass \(L1\) attempt 1: pass/)
    // export: md and html carry the verdict
    expect(ok(["evidence", "export", "r1", "--format", "md"])).toMatch(/^# Evidence for run r1/)
    ok(["evidence", "export", "r1", "--format", "html", "--out", "r1.html"])
    expect(readFileSync(join(dir, "r1.html"), "utf8")).toMatch(/<html/i)

    // one byte edited inside the first statement's payload
    const bundle = bundleOf("r1")
    const text = readFileSync(bundle, "utf8")
    flipByte(bundle, text.indexOf('"payload":"') + 40)
    const broken = gauntlet(["evidence", "verify", "r1"])
    expect(broken.status).toBe(EXIT_CODES["data-integrity"])
    expect(lines(broken.stdout)[0]).toMatch(/^BROKEN: evidence .*r1\.intoto\.jsonl: statement 0, /)
    expectOneErrorLine(broken, /evidence bundle .*r1\.intoto\.jsonl does not verify \(\S+\): statement 0/)
    const exported = gauntlet(["evidence", "export", "r1", "--format", "json"])
    expect(exported.status).toBe(EXIT_CODES["data-integrity"])
  })

  it("verifies against a trust root granting the installation key the evidence role", () => {
    setupRun()
    ok(["workflow", "run", "workflow.json", "--agents", "agent.json", "--run-id", "r6"])
    generateKey("alice")
    ok([
      "trust",
      "init",
      "--out",
      "root.json",
      "--expires",
      "2099-01-01T00:00:00Z",
      "--key",
      "keys/alice.pub.json=root",
      "--key",
      ".gauntlet/keys/installation.pub.json=evidence",
      "--sign",
      "keys/alice.key"
    ])
    expect(JSON.parse(ok(["evidence", "verify", "r6", "--root", "root.json", "--json"]))).toMatchObject({
      ok: true
    })
    // a root that does not grant the installation key the evidence role refuses the bundle (policy)
    ok([
      "trust",
      "init",
      "--out",
      "other.json",
      "--expires",
      "2099-01-01T00:00:00Z",
      "--key",
      "keys/alice.pub.json=root,evidence",
      "--sign",
      "keys/alice.key"
    ])
    const refused = gauntlet(["evidence", "verify", "r6", "--root", "other.json", "--json"])
    expect(refused.status).toBe(EXIT_CODES.policy)
    expect(JSON.parse(refused.stdout)).toMatchObject({ ok: false, index: 0, reason: "unknown-key" })
  })

  it("a bundle verified against another key is refused (unknown-key, 14); a missing bundle is 66", () => {
    setupRun()
    ok(["workflow", "run", "workflow.json", "--agents", "agent.json", "--run-id", "r2"])
    generateKey("other")
    const r = gauntlet(["evidence", "verify", "r2", "--key", "keys/other.pub.json", "--json"])
    expect(r.status).toBe(EXIT_CODES.policy)
    expect(JSON.parse(r.stdout)).toMatchObject({ ok: false, reason: "unknown-key" })
    const missing = gauntlet(["evidence", "verify", "nope"])
    expect(missing.status).toBe(66)
    expectOneErrorLine(missing, /no evidence bundle for run nope at .*nope\.intoto\.jsonl/)
  })

  it("a rejected run and a cancelled run leave verified bundles too", () => {
    const failing = { respond: { output: { testsFailed: 1, failures: ["t"] } } }
    setupRun({ implement: [failing, failing] })
    const esc = gauntlet(["workflow", "run", "workflow.json", "--agents", "agent.json", "--run-id", "r3"])
    expect(esc.status).toBe(75)
    expect(existsSync(bundleOf("r3"))).toBe(false) // awaiting approval is not terminal
    const rejected = gauntlet(["runs", "reject", "r3", "--by", "alice", "--reason", "no"])
    expect(rejected.status).toBe(EXIT_CODES.policy)
    expect(lines(rejected.stdout)[1]).toMatch(/^evidence: .*r3\.intoto\.jsonl \(verifies: /)
    expect(ok(["evidence", "show", "r3"])).toMatch(
      /^outcome: {4}rejected \(policy\): approval \S+ rejected by alice \(human\): no$/m
    )

    setupRun({ implement: [failing, failing] })
    expect(
      gauntlet(["workflow", "run", "workflow.json", "--agents", "agent.json", "--run-id", "r4"]).status
    ).toBe(75)
    const cancelled = lines(ok(["runs", "cancel", "r4", "--by", "ops"]))
    expect(cancelled[0]).toMatch(/^run r4: cancelled/)
    expect(cancelled[1]).toMatch(/^evidence: .*r4\.intoto\.jsonl \(verifies: /)
    expect(lines(ok(["evidence", "verify", "r4"]))[0]).toMatch(/^ok: /)
  })
})

describe("evidence that cannot be written", () => {
  it("never fails the run: the outcome on stdout (JSON intact, no evidence field), one warning line on stderr", () => {
    setupRun()
    mkdirSync(join(dir, ".gauntlet"))
    writeFileSync(join(dir, ".gauntlet/evidence"), "a file where the evidence directory should be")
    const r = gauntlet([
      "workflow",
      "run",
      "workflow.json",
      "--agents",
      "agent.json",
      "--run-id",
      "r5",
      "--json"
    ])
    expect(r.status).toBe(0)
    expect(JSON.parse(r.stdout)).toEqual({ runId: "r5", workflowId: "ship-it", status: "completed" })
    expectOneErrorLine(r, /^gauntlet: error: evidence bundle for run r5 not written: .*ENOTDIR/)
  })
})

describe("gauntlet models", () => {
  it("lists the catalog with availability computed from the environment", () => {
    const table = lines(ok(["models", "list"]))
    expect(table[0]).toMatch(/^MODEL +PROVIDER +TIER +CONTEXT +IN \$\/MTOK +OUT \$\/MTOK +AVAILABLE$/)
    expect(table.length).toBeGreaterThan(13)
    expect(table.at(-1)).toMatch(/^0 of \d+ models available; prices as of \d{4}-\d{2}-\d{2}$/)
    expect(table.find((l) => l.startsWith("openai/"))).toMatch(
      /no: provider openai is not configured \(set OPENAI_API_KEY\)/
    )
    const r = gauntlet(["models", "list", "--available", "--json"], { OPENAI_API_KEY: "sk-test" })
    expect(r.status).toBe(0)
    const models = lines(r.stdout).map((l) => JSON.parse(l) as { provider: string; available: boolean })
    expect(models.length).toBeGreaterThan(0)
    expect(models.every((m) => m.provider === "openai" && m.available)).toBe(true)
  })
})
