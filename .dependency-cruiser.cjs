/**
 * The layer map of src/, checked on every `npm test` (`npm run layers`). A folder may import only the
 * folders on lower levels; inside a folder, files import each other directly; from outside, a folder is
 * entered through its index.ts (its public face; each provider adapter under providers/ has its own). No
 * import cycles, except the mutual recursion of the schema aligners in recovery/coerce/.
 * docs/ARCHITECTURE.md draws the same map: change both together.
 */
const LEVELS = {
  core: 0, // shared vocabulary: the provider contract, results, events, error kinds, JSON pointers, similarity
  errors: 1,
  schema: 2,
  recovery: 3,
  prompt: 3,
  simulator: 3,
  providers: 4,
  observe: 5,
  guard: 5,
  cascade: 6,
  stream: 7,
  client: 8,
  patterns: 9,
  batch: 9,
  redis: 9,
  "(entry)": 10, // src/index.ts, the `ballast` entry
  ui: 10,
  demo: 11,
  cli: 12,
};

const folderPattern = (name) => (name === "(entry)" ? "^src/index\\.ts$" : `^src/${name}/`);
const layerRules = Object.entries(LEVELS).map(([name, level]) => {
  const allowed = Object.entries(LEVELS)
    .filter(([other, l]) => l < level || other === name)
    .map(([other]) => folderPattern(other));
  return {
    name: `layer-${name}`,
    comment: `${name} (level ${level}) may import only lower levels: ${allowed.join(", ")}`,
    severity: "error",
    from: { path: folderPattern(name) },
    to: { path: "^src/", pathNot: allowed },
  };
});

module.exports = {
  forbidden: [
    ...layerRules,
    {
      name: "unknown-folder",
      comment: "every folder of src/ has a level in .dependency-cruiser.cjs",
      severity: "error",
      from: { path: "^src/", pathNot: Object.keys(LEVELS).map(folderPattern) },
      to: {},
    },
    {
      name: "enter-through-index",
      comment: "from another folder, import the folder's index.ts (or a provider adapter's index.ts)",
      severity: "error",
      from: { path: "^src/([^/]+)/" },
      to: {
        path: "^src/",
        pathNot: ["^src/$1/", "^src/index\\.ts$", "^src/[^/]+/index\\.ts$", "^src/providers/[^/]+/index\\.ts$"],
        // a lazily loaded module (`await import(...)`) is named directly: loading the whole face would defeat it
        dependencyTypesNot: ["dynamic-import"],
      },
    },
    {
      name: "entry-through-index",
      comment: "the package entry re-exports folders through their index.ts",
      severity: "error",
      from: { path: "^src/index\\.ts$" },
      to: { path: "^src/", pathNot: ["^src/[^/]+/index\\.ts$", "^src/providers/[^/]+/index\\.ts$"] },
    },
    {
      name: "no-cycles",
      comment: "no import cycles (type-only included); the schema aligners in recovery/coerce/ recurse into each other by design",
      severity: "error",
      from: { path: "^src/", pathNot: "^src/recovery/coerce/" },
      to: { circular: true },
    },
  ],
  options: {
    doNotFollow: { path: "node_modules" },
    exclude: { path: "\\.test\\.ts$" },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: "tsconfig.json" },
    enhancedResolveOptions: { extensions: [".ts", ".js"] },
  },
};
// The table itself, for the test that compares it with docs/ARCHITECTURE.md (not enumerable: the config
// schema allows no extra keys).
Object.defineProperty(module.exports, "LEVELS", { value: LEVELS, enumerable: false });
