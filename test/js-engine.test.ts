// JS/TS files in the engine: bad input never crashes, suppressions, per-file-ignores, a mixed run,
// and the compiler is never loaded by a Python-only run.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { writeFileSync } from 'node:fs';
import { lintText } from '../src/engine/run.js';
import { REPO, optionsFor, rules } from './support.js';
import { runCli, tempDir } from './integration-support.js';

const all = await rules();
const FETCH = 'const r = await fetch("https://api.example.com/items");\n';

const codes = (source: string, file = 'a.ts') => lintText(file, source, optionsFor(all)).diagnostics.map((d) => `${d.line}:${d.ruleId}`);

test('a syntax error is listed with its position and the rest of the file is still checked', () => {
  const r = lintText('broken.ts', `const x = ;\n${FETCH}`, optionsFor(all));
  const syntax = r.errors.find((e) => e.kind === 'syntax');
  assert.ok(syntax, 'the syntax error is reported');
  assert.deepEqual([syntax.line, syntax.column, syntax.message], [1, 11, 'syntax error: Expression expected.']);
  assert.ok(r.diagnostics.some((d) => d.ruleId === 'CL151'), 'a finding after the error is still reported');
});

test('JSX in .js, BOM-less CRLF, non-BMP characters: positions stay right', () => {
  assert.deepEqual(codes(`const el = <div>{x}</div>;\n${FETCH}`, 'view.js'), ['2:CL151']);
  assert.deepEqual(codes(`// 😀 ünïcode\r\nconst a = 1;\r\n${FETCH.replace('\n', '\r\n')}`), ['3:CL151']);
  const r = lintText('a.ts', `const s = "😀"; ${FETCH}`, optionsFor(all));
  assert.equal(r.diagnostics[0].column, 'const s = "😀"; const r = await '.length + 1, 'columns count UTF-16 code units');
});

test('suppressions: // noqa, // conn-lint: ignore[...], block comments, file level; strings never count', () => {
  const source = [
    'fetch("u"); // noqa: CL151',
    'fetch("u"); // conn-lint: ignore[fetch-without-timeout]',
    'fetch("u"); /* noqa */',
    'fetch("u"); // noqa: CL999',
    'const s = "// noqa"; fetch("u");',
    'const t = `// noqa`; fetch("u");',
    '',
  ].join('\n');
  assert.deepEqual(codes(source), ['4:CL151', '5:CL151', '6:CL151']);
  assert.deepEqual(codes(`// conn-lint: noqa\n${FETCH}`), []);
  assert.deepEqual(codes(`/* conn-lint: noqa: CL151 */\n${FETCH}`), []);
  assert.deepEqual(codes(`const s = \`\n// conn-lint: noqa\n\`;\n${FETCH}`), ['4:CL151'], 'a file-level comment inside a template is text');
});

test('bad input through the CLI: minified bundles skipped, non-UTF-8 and binary files reported, nothing crashes', () => {
  const dir = tempDir('js-input', {
    'app.ts': FETCH,
    'bundle.js': `var a=1;${'fetch("u");'.repeat(1000)}\n`,
    'vendor.min.js': 'fetch("u");\n',
    'types.d.ts': 'declare function fetch(u: string): Promise<unknown>;\nfetch("u");\n',
    'ok.mjs': 'export const x = 1;\n',
  });
  writeFileSync(path.join(dir, 'latin1.js'), Buffer.from([0x66, 0x65, 0x74, 0x63, 0x68, 0x28, 0x22, 0xe9, 0x22, 0x29, 0x0a]));
  writeFileSync(path.join(dir, 'binary.ts'), Buffer.from('fetch("u");\n\0\0\0'));
  const r = runCli(['--format', 'json', '--no-cache', '.'], dir);
  assert.equal(r.code, 1, r.stderr);
  const out = JSON.parse(r.stdout);
  assert.deepEqual(out.diagnostics.map((d: { path: string }) => d.path), ['app.ts']);
  const kinds = Object.fromEntries(out.errors.map((e: { path: string; kind: string }) => [e.path, e.kind]));
  assert.deepEqual(kinds, { 'binary.ts': 'binary', 'latin1.js': 'encoding' });
});

test('a mixed tree: Python and JS/TS findings in one run, one SARIF, per-file-ignores for both', () => {
  const dir = tempDir('mixed', {
    'svc/app.py': 'import requests\nrequests.get("https://example.com")\n',
    'web/api.ts': FETCH,
    'web/legacy/old.js': FETCH,
    'pyproject.toml': '[tool.conn-lint]\n[tool.conn-lint.per-file-ignores]\n"web/legacy/**" = ["CL151"]\n',
  });
  const r = runCli(['--format', 'json', '--no-cache', '.'], dir);
  const found = JSON.parse(r.stdout).diagnostics.map((d: { path: string; ruleId: string }) => `${d.path}:${d.ruleId}`);
  assert.deepEqual(found, ['svc/app.py:CL101', 'web/api.ts:CL151']);
  const sel = runCli(['--format', 'json', '--no-cache', '--select', 'CL151', '.'], dir);
  assert.deepEqual(JSON.parse(sel.stdout).diagnostics.map((d: { path: string }) => d.path), ['web/api.ts']);
});

test('a Python-only run never loads the TypeScript compiler; a JS file that needs it does', () => {
  const probe = (files: Record<string, string>) => {
    const dir = tempDir('lazy-ts', files);
    const script = [
      `import { lint } from ${JSON.stringify(path.join(REPO, 'dist', 'src', 'api.js'))};`,
      `import { typescriptLoaded } from ${JSON.stringify(path.join(REPO, 'dist', 'src', 'lang', 'js', 'typescript.js'))};`,
      `const r = await lint(['.'], { cwd: process.cwd(), workers: 0 });`,
      `console.log(JSON.stringify({ findings: r.diagnostics.length, loaded: typescriptLoaded() }));`,
    ].join('\n');
    const child = spawnSync(process.execPath, ['--input-type=module', '-e', script], { cwd: dir, encoding: 'utf8' });
    assert.equal(child.status, 0, child.stderr);
    return JSON.parse(child.stdout);
  };
  const py = 'import requests\nrequests.get("https://example.com")\n';
  // An empty .mjs: no JS rule's trigger occurs in it, so it is never parsed.
  assert.deepEqual(probe({ 'app.py': py, 'x.mjs': '' }), { findings: 1, loaded: false });
  assert.deepEqual(probe({ 'app.py': py, 'x.mjs': FETCH }), { findings: 2, loaded: true });
});
