/**
 * Check module of gauntlet/typescript: the repository's own typecheck, lint and test commands must pass where the
 * repository configures them. It reads the verification results the workflow put in the context (`verify`); it
 * does not run anything itself.
 */

interface VerifyResult {
  readonly name: string
  readonly command?: string
  readonly status: "passed" | "failed" | "not-configured" | "not-run"
  readonly exitCode?: number
  readonly summary?: string
}

interface Violation {
  readonly message: string
  readonly location?: { readonly pointer?: string }
  readonly remediation?: string
}

const REQUIRED = ["typecheck", "lint", "test"] as const

export default function check(
  _change: unknown,
  context: { readonly verify?: ReadonlyArray<VerifyResult> }
): Array<Violation> {
  if (context.verify === undefined) {
    return [
      {
        message: "no verification results were provided, so typecheck, lint and test cannot be confirmed",
        remediation:
          "Run the verify phase (typecheck, lint, test) and pass its results in the policy context (verify)."
      }
    ]
  }
  const violations: Array<Violation> = []
  for (const name of REQUIRED) {
    const index = context.verify.findIndex((result) => result.name === name)
    const result = context.verify[index]
    if (result === undefined) {
      violations.push({
        message: `no ${name} result: say whether ${name} is configured (status not-configured) or what it returned`,
        location: { pointer: "/verify" }
      })
      continue
    }
    const command = result.command === undefined ? name : `${name} (${result.command})`
    if (result.status === "failed") {
      const exit = result.exitCode === undefined ? "" : ` with exit code ${result.exitCode}`
      const summary = result.summary === undefined ? "" : `: ${result.summary.slice(0, 200)}`
      violations.push({
        message: `${command} failed${exit}${summary}`,
        location: { pointer: `/verify/${index}` }
      })
    } else if (result.status === "not-run") {
      violations.push({
        message: `${command} is configured but was not run`,
        location: { pointer: `/verify/${index}` }
      })
    }
  }
  return violations
}
