/** The exit codes of the governance errors (pure): verification reasons by class, missing inputs, key file refusals. */
import { EXIT_CODES } from "@gauntlet/failure"
import { PackIoError as ArchiveIoError, PackNotVerified } from "@gauntlet/pack-archive"
import { InvalidTrustRoot, KeyFileError, TrustRootFileError } from "@gauntlet/signing"
import { describe, expect, it } from "vitest"
import { CLI_EXIT_CODES, exitStatusOfError } from "../src/internal/exitStatus.js"
import {
  ChangeBlocked,
  InputNotFound,
  PackTestsFailed,
  VerificationRefused
} from "../src/internal/governance/errors.js"

describe("exit codes of verification refusals", () => {
  it.each([
    ["digest-mismatch", EXIT_CODES["data-integrity"]],
    ["bad-signature", EXIT_CODES["data-integrity"]],
    ["anchor-mismatch", EXIT_CODES["data-integrity"]],
    ["missing-statement", EXIT_CODES["data-integrity"]],
    ["unknown-key", EXIT_CODES.policy],
    ["revoked-key", EXIT_CODES.policy],
    ["expired-key", EXIT_CODES.policy],
    ["threshold-not-met", EXIT_CODES.policy],
    ["rollback", EXIT_CODES.policy],
    ["root-expired", EXIT_CODES.policy]
  ])("%s → %i", (reason, code) => {
    const status = exitStatusOfError(
      new VerificationRefused({ subject: "pack archive a.tar.gz", reason, detail: "d" })
    )
    expect(status).toEqual({
      message: `pack archive a.tar.gz does not verify (${reason}): d`,
      exitCode: code
    })
    // the library's own refusal of an install agrees on the two integrity reasons
    if (reason === "digest-mismatch" || reason === "bad-signature" || reason === "rollback")
      expect(exitStatusOfError(new PackNotVerified({ pack: "a", reason, detail: "d" })).exitCode).toBe(code)
  })
})

describe("exit codes of governance errors", () => {
  it.each<readonly [string, unknown, number, RegExp]>([
    [
      "missing input",
      new InputNotFound({ what: "diff file", path: "x.diff" }),
      CLI_EXIT_CODES.noInput,
      /^no diff file at x\.diff$/
    ],
    [
      "failing pack tests",
      new PackTestsFailed({ pack: "a/b@1.0.0", failed: 1, total: 2 }),
      EXIT_CODES.policy,
      /1 of 2 test case/
    ],
    [
      "pack without tests",
      new PackTestsFailed({ pack: "a/b@1.0.0", failed: 0, total: 0 }),
      EXIT_CODES.policy,
      /has no test cases/
    ],
    [
      "blocked change",
      new ChangeBlocked({ decision: "block", violations: 2, rules: ["r1", "r2"] }),
      EXIT_CODES.policy,
      /\(block\): 2 violation\(s\) of r1, r2$/
    ],
    [
      "archive not found",
      new ArchiveIoError({
        operation: "read",
        path: "a.tar.gz",
        detail: "ENOENT: no such file or directory"
      }),
      CLI_EXIT_CODES.noInput,
      /a\.tar\.gz/
    ],
    [
      "archive unreadable",
      new ArchiveIoError({ operation: "read", path: "a.tar.gz", detail: "EACCES: permission denied" }),
      EXIT_CODES["tool-error"],
      /EACCES/
    ],
    [
      "key file missing",
      new KeyFileError({ path: "k.key", reason: "io", detail: "NotFound: ENOENT" }),
      CLI_EXIT_CODES.noInput,
      /k\.key/
    ],
    [
      "key file readable by others",
      new KeyFileError({ path: "k.key", reason: "insecure-permissions", detail: "mode 0644" }),
      EXIT_CODES.policy,
      /insecure-permissions/
    ],
    [
      "key file malformed",
      new KeyFileError({ path: "k.key", reason: "malformed", detail: "not JSON" }),
      EXIT_CODES["data-integrity"],
      /malformed/
    ],
    [
      "trust root exists",
      new TrustRootFileError({ path: "root.json", reason: "exists", detail: "EEXIST" }),
      EXIT_CODES.policy,
      /root\.json/
    ],
    [
      "invalid trust root",
      new InvalidTrustRoot({ pointer: "/signed", reason: "bad" }),
      EXIT_CODES["data-integrity"],
      /bad/
    ]
  ])("%s", (_, error, code, message) => {
    const status = exitStatusOfError(error)
    expect(status.exitCode).toBe(code)
    expect(status.message).toMatch(message)
  })
})
