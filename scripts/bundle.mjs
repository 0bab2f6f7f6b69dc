// Bundles the CLI and the worker into two files, dist/conn-lint.mjs and dist/worker.mjs, with
// every rule and the pure-JS dependencies inside (esbuild). Why: a run used to load ~140 ES
// modules one by one, and that module loading was most of a one-file (pre-commit) run. The tests
// import the separate files tsc writes to dist/src and dist/rules; bin/conn-lint runs the bundle.
//   node scripts/bundle.mjs
import { build } from 'esbuild';
import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
const ruleFiles = ['python', 'js'].flatMap((language) => {
  const dir = path.join(root, 'rules', language);
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((f) => f.endsWith('.ts') && !f.startsWith('_'))
    .sort()
    .map((f) => `${language}/${f}`);
});

// A module that hands the rules to the registry and tells the engine where the worker bundle
// and the files to fingerprint for the result cache are. Imported first by both entries, so it
// runs before any module that asks for the rules.
const SETUP = 'conn-lint:bundle-setup';
const setupSource = [
  ...ruleFiles.map((f, i) => `import rule${i} from ${JSON.stringify(`./rules/${f}`)};`),
  `import { provideRules } from './src/engine/registry.ts';`,
  `import { useWorkerFile } from './src/engine/pool.ts';`,
  `import { useBuildFiles } from './src/cache/store.ts';`,
  `import { fileURLToPath } from 'node:url';`,
  `provideRules([${ruleFiles.map((f, i) => `{ file: ${JSON.stringify(f)}, rule: rule${i} }`).join(', ')}]);`,
  `const here = (f) => new URL(f, import.meta.url);`,
  `useWorkerFile(here('./worker.mjs').href);`,
  `useBuildFiles([fileURLToPath(here('./conn-lint.mjs')), fileURLToPath(here('./worker.mjs'))]);`,
].join('\n');

const setupPlugin = {
  name: 'bundle-setup',
  setup(b) {
    b.onResolve({ filter: /^conn-lint:bundle-setup$/ }, () => ({ path: SETUP, namespace: 'conn-lint' }));
    b.onLoad({ filter: /.*/, namespace: 'conn-lint' }, () => ({ contents: setupSource, loader: 'ts', resolveDir: root }));
  },
};

const entry = (body) => ({ contents: `import '${SETUP}';\n${body}`, loader: 'ts', resolveDir: root, sourcefile: 'entry.ts' });

const common = {
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  logLevel: 'warning',
  // Native addons, piscina (which starts workers from files of its own) and the TypeScript compiler
  // (9 MB, loaded only when a JS/TS file is linted) stay in node_modules.
  external: ['tree-sitter', 'tree-sitter-python', 'piscina', '@ts-morph/common', 'ts-morph', 'typescript', 'jscodeshift'],
  // CommonJS dependencies bundled into an ES module still call require() for Node's built-ins and
  // read __filename / __dirname (write-file-atomic names its temp files after __filename).
  banner: {
    js: [
      "import { createRequire as __connLintRequire } from 'node:module';",
      "import { fileURLToPath as __connLintPath } from 'node:url';",
      'const require = __connLintRequire(import.meta.url);',
      'const __connLintFilename = __connLintPath(import.meta.url);',
      "const __connLintDirname = __connLintPath(new URL('.', import.meta.url));",
    ].join(' '),
  },
  // Only free uses are replaced: a module that declares its own __dirname keeps it.
  define: { __filename: '__connLintFilename', __dirname: '__connLintDirname' },
  plugins: [setupPlugin],
  legalComments: 'none',
};

await Promise.all([
  build({ ...common, stdin: entry(`export { run } from './src/cli.ts';`), outfile: path.join(root, 'dist', 'conn-lint.mjs') }),
  build({ ...common, stdin: entry(`export { default } from './src/engine/worker.ts';`), outfile: path.join(root, 'dist', 'worker.mjs') }),
]);
