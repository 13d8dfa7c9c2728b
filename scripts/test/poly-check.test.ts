import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { dirname, join } from "node:path"
import { afterAll, describe, expect, it } from "vitest"
import { findCycles } from "../poly-check/cycles.js"
import { importsOf } from "../poly-check/imports.js"
import { type Brick, formatFinding, type Workspace } from "../poly-check/model.js"
import { readWorkspace } from "../poly-check/read.js"
import { checkWorkspace } from "../poly-check/rules.js"

const INDEX = '/** @module x */\n\n/** The thing. */\nexport { thing } from "./internal/thing.js"\n'

const component = (
  name: string,
  deps: Record<string, string> = {},
  files: Record<string, string> = {}
): Brick => ({
  kind: "component",
  dir: `components/${name}`,
  manifest: { name: `@gauntlet/${name}`, dependencies: deps, exports: { ".": "./src/index.ts" } },
  references: Object.keys(deps)
    .filter((d) => d.startsWith("@gauntlet/"))
    .map((d) => `components/${d.slice("@gauntlet/".length)}`),
  files: Object.entries({
    "src/index.ts": INDEX,
    "src/internal/thing.ts": "export const thing = 1\n",
    ...files
  }).map(([path, text]) => ({
    path: `components/${name}/${path}`,
    area: path.startsWith("test/") ? "test" : "src",
    text
  }))
})

const clean: Workspace = {
  rootDevDependencies: ["vitest", "@effect/vitest", "fast-check"],
  bricks: [
    component(
      "alpha",
      { effect: "3" },
      { "src/internal/thing.ts": 'import { Effect } from "effect"\nexport const thing = Effect.void\n' }
    ),
    component(
      "beta",
      { "@gauntlet/alpha": "0.1.0" },
      {
        "src/internal/thing.ts":
          'import { thing as a } from "@gauntlet/alpha"\nimport { createHash } from "node:crypto"\nexport const thing = [a, createHash]\n',
        "test/thing.test.ts":
          'import { it } from "vitest"\nimport fc from "fast-check"\nimport { thing } from "../src/index.js"\nit("x", () => void [fc, thing])\n'
      }
    )
  ]
}

describe("checkWorkspace", () => {
  it("passes a clean workspace", () => {
    expect(checkWorkspace(clean)).toEqual([])
  })

  it("reports a deep import into another brick and a cycle between bricks, in order", () => {
    const findings = checkWorkspace({
      rootDevDependencies: [],
      bricks: [
        component(
          "alpha",
          { "@gauntlet/beta": "0.1.0" },
          {
            "src/internal/thing.ts":
              '\nimport { x } from "@gauntlet/beta/src/internal/thing.js"\nexport const thing = x\n'
          }
        ),
        component(
          "beta",
          { "@gauntlet/gamma": "0.1.0" },
          { "src/internal/thing.ts": 'export { thing } from "@gauntlet/gamma"\n' }
        ),
        component(
          "gamma",
          { "@gauntlet/alpha": "0.1.0" },
          { "src/internal/thing.ts": 'export { thing } from "@gauntlet/alpha"\n' }
        )
      ]
    })
    expect(findings.map(formatFinding)).toEqual([
      "components/alpha/package.json: [cycle] dependency cycle between bricks: components/alpha → components/beta → components/gamma → components/alpha",
      'components/alpha/src/internal/thing.ts:2: [deep-import] deep import "@gauntlet/beta/src/internal/thing.js": import "@gauntlet/beta" (its src/index.ts) instead'
    ])
  })

  it("reports relative escapes, undeclared packages, dev dependencies in src and missing references", () => {
    const alpha = component("alpha")
    const beta: Brick = {
      ...component(
        "beta",
        { "@gauntlet/alpha": "0.1.0" },
        {
          "src/internal/thing.ts": [
            'import { thing } from "../../../alpha/src/internal/thing.js"',
            'import { v7 } from "uuid"',
            'import { it } from "vitest"',
            'import { readFileSync } from "fs"',
            'import { other } from "@gauntlet/alpha"',
            "export const thing = 1"
          ].join("\n")
        }
      ),
      references: []
    }
    const lines = checkWorkspace({ rootDevDependencies: ["vitest"], bricks: [alpha, beta] }).map(
      formatFinding
    )
    expect(lines).toEqual([
      'components/beta/src/internal/thing.ts:1: [relative-escape] relative import "../../../alpha/src/internal/thing.js" leaves components/beta into brick components/alpha; import bricks by package name',
      'components/beta/src/internal/thing.ts:2: [undeclared-dependency] "uuid" is used but not in components/beta/package.json "dependencies"',
      'components/beta/src/internal/thing.ts:3: [dev-dependency-in-src] "vitest" is a root devDependency: allowed in test/ only',
      'components/beta/src/internal/thing.ts:4: [undeclared-dependency] "fs" is used but not in components/beta/package.json "dependencies" (for the Node builtin write "node:fs")',
      'components/beta/src/internal/thing.ts:5: [missing-reference] uses components/alpha but components/beta/tsconfig.json "references" lacks { "path": "../alpha" }'
    ])
  })

  it("reports forbidden directions: component→base, base→base and imports of projects", () => {
    const base = (name: string, deps: Record<string, string>, text: string): Brick => ({
      kind: "base",
      dir: `bases/${name}`,
      manifest: { name: `@gauntlet/${name}`, dependencies: deps, exports: { ".": "./src/index.ts" } },
      references: Object.keys(deps).map((d) => `bases/${d.slice("@gauntlet/".length)}`),
      files: [
        { path: `bases/${name}/src/index.ts`, area: "src", text: INDEX },
        { path: `bases/${name}/src/internal/thing.ts`, area: "src", text }
      ]
    })
    const project: Brick = {
      kind: "project",
      dir: "projects/app",
      manifest: { name: "app" },
      references: undefined,
      files: []
    }
    const lines = checkWorkspace({
      rootDevDependencies: [],
      bricks: [
        {
          ...component(
            "alpha",
            { "@gauntlet/cli": "0.1.0" },
            { "src/internal/thing.ts": 'export { thing } from "@gauntlet/cli"\n' }
          ),
          references: ["bases/cli"]
        },
        base("cli", {}, 'import "../../../../projects/app/bin/app.mjs"\nexport const thing = 1\n'),
        base("api", { "@gauntlet/cli": "0.1.0" }, 'export { thing } from "@gauntlet/cli"\n'),
        project
      ]
    }).map(formatFinding)
    expect(lines).toEqual([
      "bases/api/src/internal/thing.ts:1: [base-imports-base] base imports base bases/cli",
      'bases/cli/src/internal/thing.ts:1: [imports-project] relative import "../../../../projects/app/bin/app.mjs" leaves bases/cli into brick projects/app; import bricks by package name',
      "components/alpha/src/internal/thing.ts:1: [component-imports-base] component imports base bases/cli"
    ])
  })

  it("reports index files with code, non-standard exports, wrong names and unknown bricks", () => {
    const odd: Brick = {
      ...component(
        "odd",
        {},
        {
          "src/index.ts":
            '/** @module odd */\nimport { x } from "./internal/thing.js"\nexport const y = x\nexport * from "./internal/thing.js"\n',
          "src/internal/thing.ts": 'export { nothing } from "@gauntlet/missing"\n'
        }
      ),
      manifest: {
        name: "@gauntlet/other",
        exports: { ".": "./src/index.ts", "./internal": "./src/internal/thing.ts" }
      }
    }
    const lines = checkWorkspace({ rootDevDependencies: [], bricks: [odd] }).map(formatFinding)
    expect(lines).toEqual([
      'components/odd/package.json: [bad-exports] "exports" must be exactly { ".": "./src/index.ts" }, found {".":"./src/index.ts","./internal":"./src/internal/thing.ts"}',
      'components/odd/package.json: [bad-package-name] package name is "@gauntlet/other", expected "@gauntlet/odd"',
      'components/odd/src/index.ts:2: [index-not-reexport-only] src/index.ts may only re-export (export … from "./internal/…"), found: import { x } from "./internal/thing.js"',
      'components/odd/src/index.ts:3: [index-not-reexport-only] src/index.ts may only re-export (export … from "./internal/…"), found: export const y = x',
      'components/odd/src/internal/thing.ts:1: [unknown-brick] "@gauntlet/missing" is not a brick of this workspace'
    ])
  })
})

describe("findCycles", () => {
  it("finds one ordered cycle per strongly connected component, including self-loops", () => {
    const graph = new Map<string, Set<string>>([
      ["a", new Set(["b"])],
      ["b", new Set(["a", "c"])],
      ["c", new Set(["d"])],
      ["d", new Set(["e"])],
      ["e", new Set(["c"])],
      ["f", new Set(["f"])],
      ["g", new Set(["a"])]
    ])
    expect(findCycles(graph)).toEqual([
      ["a", "b", "a"],
      ["c", "d", "e", "c"],
      ["f", "f"]
    ])
  })

  it("finds nothing in a DAG", () => {
    expect(
      findCycles(
        new Map([
          ["a", new Set(["b"])],
          ["b", new Set<string>()]
        ])
      )
    ).toEqual([])
  })
})

describe("importsOf", () => {
  it("finds static, type-only, re-export and dynamic imports with their lines", () => {
    const text =
      'import type { A } from "a"\nexport * from "./b.js"\n\nconst c = await import("c")\nimport "d"\n'
    expect(importsOf(text)).toEqual([
      { specifier: "a", line: 1 },
      { specifier: "./b.js", line: 2 },
      { specifier: "c", line: 4 },
      { specifier: "d", line: 5 }
    ])
  })
})

describe("readWorkspace (temp dir fixture)", () => {
  const root = mkdtempSync(join(tmpdir(), "poly-check-"))
  afterAll(() => rmSync(root, { recursive: true, force: true }))
  const write = (path: string, text: string) => {
    mkdirSync(dirname(join(root, path)), { recursive: true })
    writeFileSync(join(root, path), text)
  }

  it("reads bricks, tsconfig references (with comments) and sources, and finds a deep import and a cycle", () => {
    write("package.json", JSON.stringify({ name: "ws", devDependencies: { vitest: "3" } }))
    for (const [name, other] of [
      ["alpha", "beta"],
      ["beta", "alpha"]
    ] as const) {
      write(
        `components/${name}/package.json`,
        JSON.stringify({
          name: `@gauntlet/${name}`,
          exports: { ".": "./src/index.ts" },
          dependencies: { [`@gauntlet/${other}`]: "0.1.0" }
        })
      )
      write(
        `components/${name}/tsconfig.json`,
        `{\n  // comment\n  "references": [{ "path": "../${other}" }]\n}\n`
      )
      write(`components/${name}/src/index.ts`, INDEX)
    }
    write(
      "components/alpha/src/internal/thing.ts",
      'export { thing } from "@gauntlet/beta/src/internal/thing.js"\n'
    )
    write("components/beta/src/internal/thing.ts", 'export { thing } from "@gauntlet/alpha"\n')
    write("components/beta/test/fixtures/ignored.ts", 'import "nowhere"\n')
    write("components/beta/test/thing.test.ts", 'import { it } from "vitest"\nit("x", () => undefined)\n')

    const workspace = readWorkspace(root)
    expect(
      workspace.bricks.map((b) => [b.dir, b.references, b.files.map((f) => `${f.area}:${f.path}`)])
    ).toEqual([
      [
        "components/alpha",
        ["components/beta"],
        ["src:components/alpha/src/index.ts", "src:components/alpha/src/internal/thing.ts"]
      ],
      [
        "components/beta",
        ["components/alpha"],
        [
          "src:components/beta/src/index.ts",
          "src:components/beta/src/internal/thing.ts",
          "test:components/beta/test/thing.test.ts"
        ]
      ]
    ])
    expect(checkWorkspace(workspace).map((f) => f.rule)).toEqual(["cycle", "deep-import"])
  })
})
