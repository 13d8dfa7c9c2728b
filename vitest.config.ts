import { defineConfig } from "vitest/config"

export default defineConfig({
  test: {
    include: [
      "components/*/test/**/*.test.ts",
      "bases/*/test/**/*.test.ts",
      "projects/*/test/**/*.test.ts",
      "scripts/test/**/*.test.ts"
    ],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: "forks",
    globalSetup: ["scripts/test/build-cli.global.ts"],
    reporters: ["default"]
  }
})
