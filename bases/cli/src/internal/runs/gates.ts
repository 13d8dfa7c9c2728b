import { type Gate, predicateGate, type Violation } from "@gauntlet/gate"

type Output = Readonly<Record<string, unknown>>

const objectOf = (output: unknown): Output | undefined =>
  typeof output === "object" && output !== null && !Array.isArray(output) ? (output as Output) : undefined

/** L0: the agent produced an output at all (not null). */
const outputPresent = predicateGate("output-present", "L0", (input) =>
  input.output === null
    ? [{ ruleId: "output/missing", severity: "critical", message: "the agent returned a null output" }]
    : []
)

/** L0: a plan is `{ tasks: [<non-empty string>, …] }` with at least one task. */
const planSchema = predicateGate("plan-schema", "L0", (input) => {
  const tasks = objectOf(input.output)?.tasks
  if (!Array.isArray(tasks) || tasks.length === 0)
    return [
      {
        ruleId: "plan/tasks",
        severity: "high",
        message: "the plan has no tasks: expected { tasks: [string, …] }",
        location: { pointer: "/tasks" },
        remediation: "list the plan's tasks as a non-empty array of strings under tasks"
      }
    ]
  return tasks.flatMap(
    (task, i): ReadonlyArray<Violation> =>
      typeof task === "string" && task.trim() !== ""
        ? []
        : [
            {
              ruleId: "plan/tasks",
              severity: "high",
              message: `task ${i} is not a non-empty string`,
              location: { pointer: `/tasks/${i}` }
            }
          ]
  )
})

/** L1: the output reports `testsFailed: 0`; otherwise one violation per entry of `failures`. */
const testsPass = predicateGate("tests-pass", "L1", (input) => {
  const output = objectOf(input.output)
  if (output?.testsFailed === 0) return []
  const failures = Array.isArray(output?.failures) ? output.failures : []
  const messages =
    failures.length > 0
      ? failures.map(String)
      : [
          typeof output?.testsFailed === "number"
            ? `${output.testsFailed} test(s) failed`
            : "the output does not report testsFailed"
        ]
  return messages.map(
    (message): Violation => ({
      ruleId: "tests/failing",
      severity: "high",
      message,
      remediation: "make the failing test pass without weakening it"
    })
  )
})

/** L4: the reviewer's output says `approved: true`. */
const reviewApproved = predicateGate("review-approved", "L4", (input) =>
  objectOf(input.output)?.approved === true
    ? []
    : [{ ruleId: "review/not-approved", severity: "critical", message: "the reviewer did not approve" }]
)

/**
 * The gates a workflow definition run from the CLI can name (`phases[].gates`). A definition naming any other gate
 * is refused before the run starts (`UnknownGate`). Documented in the base README.
 */
export const BUILTIN_GATES: ReadonlyArray<Gate> = [outputPresent, planSchema, testsPass, reviewApproved]
