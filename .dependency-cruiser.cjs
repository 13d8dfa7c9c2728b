/**
 * Boundary rules for `npm run boundaries` (after scripts/poly-check.ts), run on `components bases projects`.
 * Polylith: bricks talk only through `@gauntlet/<name>` (its src/index.ts); no cycles; bases never import bases;
 * components never import bases; nothing imports a project.
 * @type {import('dependency-cruiser').IConfiguration}
 */
module.exports = {
  forbidden: [
    {
      name: "no-circular",
      comment:
        "A cycle between modules (and so possibly between bricks) makes layering and testing impossible.",
      severity: "error",
      from: {},
      to: { circular: true }
    },
    {
      name: "no-deep-internal",
      comment: "Another brick's src/internal is private: import it as @gauntlet/<name> (its src/index.ts).",
      severity: "error",
      from: { path: "^(components|bases|projects)/([^/]+)/" },
      to: { path: "^components/[^/]+/src/internal/", pathNot: "^$1/$2/" }
    },
    {
      name: "no-base-to-base",
      comment: "Bases are entry points; one base never depends on another.",
      severity: "error",
      from: { path: "^bases/([^/]+)/" },
      to: { path: "^bases/", pathNot: "^bases/$1/" }
    },
    {
      name: "no-component-to-base",
      comment: "Components are reusable building blocks; they never depend on an entry point.",
      severity: "error",
      from: { path: "^components/" },
      to: { path: "^bases/" }
    },
    {
      name: "no-import-from-project",
      comment: "Projects are deployable artifacts that compose bricks; nothing imports them.",
      severity: "error",
      from: { path: "^(components|bases)/" },
      to: { path: "^projects/" }
    },
    {
      name: "not-to-unresolvable",
      comment:
        "An import that does not resolve (e.g. a deep @gauntlet/<name>/… path the exports map refuses).",
      severity: "error",
      from: {},
      to: { couldNotResolve: true }
    }
  ],
  options: {
    doNotFollow: { path: "node_modules" },
    exclude: { path: "(^|/)(\\.tsbuild|dist|node_modules|coverage)/|\\.d\\.ts$" },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: "tsconfig.base.json" },
    enhancedResolveOptions: {
      exportsFields: ["exports"],
      conditionNames: ["import", "require", "node", "default", "types"],
      mainFields: ["module", "main", "types", "typings"],
      extensions: [".ts", ".tsx", ".mts", ".cts", ".js", ".mjs", ".cjs", ".json", ".d.ts"]
    },
    reporterOptions: { text: { highlightFocused: true } }
  }
}
