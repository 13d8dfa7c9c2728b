import type { FileChange } from "./changeSet.js"

/** Paths treated as tests when a count rule does not name its own `testGlobs`. */
export const DEFAULT_TEST_GLOBS: ReadonlyArray<string> = [
  "**/*.test.*",
  "**/*.spec.*",
  "**/test/**",
  "**/tests/**",
  "**/__tests__/**",
  "**/*_test.go",
  "**/test_*.py",
  "**/*_test.py",
  "**/*Test.java",
  "**/*Tests.cs"
]

/** A line that declares a test case or suite (JS/TS test runners, pytest, Go, JUnit, .NET). */
const TEST_DECLARATION =
  /^\s*(?:x?(?:it|test|describe|context|specify|suite)(?:\.(?:only|each|concurrent|sequential|skip|todo))?\s*[(`]|def test_|async def test_|func Test[A-Z0-9_]|@Test\b|\[(?:Fact|Test|TestMethod|Theory)\])/

/** A line that skips or disables a test. */
const TEST_SKIP =
  /(?:\b(?:it|test|describe|context|suite)\.(?:skip|todo)\b|\bx(?:it|test|describe|context)\s*\(|@(?:Disabled|Ignore)\b|@pytest\.mark\.(?:skip|xfail)\b|\bpytest\.skip\s*\(|\bt\.Skip(?:f|Now)?\s*\(|\[Ignore\]|\bthis\.skip\s*\()/

/**
 * Tests deleted by a change, per test file: a deleted test file counts as one, and in other test files each removed
 * test declaration not matched by an added one counts as one.
 */
export const deletedTestsOf = (file: FileChange): number => {
  if (file.status === "deleted") return 1
  const removed = file.removed.filter((line) => TEST_DECLARATION.test(line.text)).length
  const added = file.added.filter((line) => TEST_DECLARATION.test(line.text)).length
  return Math.max(0, removed - added)
}

/** Added lines of a test file that skip or disable a test. */
export const skippedTestLines = (file: FileChange): ReadonlyArray<FileChange["added"][number]> =>
  file.added.filter((line) => TEST_SKIP.test(line.text))
