// The CLI as users and CI run it: exit codes, the JSON contract, selection, sub-commands,
// and bad input that must be reported without stopping the run.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync, mkdirSync, chmodSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { REPO } from './support.js';

const BIN = path.join(REPO, 'bin', 'conn-lint');

function run(args: string[], cwd: string) {
  const r = spawnSync(process.execPath, [BIN, ...args], { cwd, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

function tempProject(files: Record<string, string | Buffer>): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'conn-lint-cli-'));
  for (const [name, content] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
    writeFileSync(path.join(dir, name), content);
  }
  return dir;
}

const HAZARD = 'import requests\n\nrequests.get("https://example.com")\n';

test('exit 0 with no findings, 1 with findings, 0 with --exit-zero', () => {
  const clean = tempProject({ 'ok.py': 'import requests\nrequests.get("u", timeout=3)\n' });
  assert.equal(run(['.', '--no-cache'], clean).code, 0);
  const dirty = tempProject({ 'bad.py': HAZARD });
  const r = run(['.', '--no-cache'], dirty);
  assert.equal(r.code, 1, r.stderr);
  assert.match(r.stdout, /^bad\.py:3:1: CL101 /m);
  assert.match(r.stdout, /Found 1 finding in 1 file \(CL101 ×1\)/);
  assert.equal(run(['.', '--exit-zero', '--no-cache'], dirty).code, 0);
});

test('exit 2 on usage errors, unknown selectors and unknown formats', () => {
  const dir = tempProject({ 'a.py': '' });
  for (const args of [['--no-such-flag'], ['--select', 'CL999x'], ['--format', 'xml'], ['rule', 'nope']]) {
    const r = run(args, dir);
    assert.equal(r.code, 2, `${args.join(' ')}: ${r.stdout}${r.stderr}`);
    assert.match(r.stderr, /error/);
  }
});

test('--format json follows the contract in DESIGN.md', () => {
  const dir = tempProject({ 'bad.py': HAZARD, 'broken.py': 'import requests\ndef f(:\n  pass\n' });
  const r = run(['--format', 'json', '--no-cache'], dir);
  assert.equal(r.code, 1, r.stderr);
  const out = JSON.parse(r.stdout);
  assert.deepEqual(Object.keys(out).sort(), ['diagnostics', 'errors']);
  const [d] = out.diagnostics;
  for (const key of ['path', 'line', 'column', 'endLine', 'endColumn', 'ruleId', 'name', 'category', 'severity', 'message', 'fix']) {
    assert.ok(key in d, `diagnostic lacks ${key}`);
  }
  assert.equal(d.path, 'bad.py');
  assert.deepEqual([d.line, d.column, d.endLine, d.endColumn], [3, 1, 3, 36]);
  assert.equal(d.ruleId, 'CL101');
  assert.equal(d.name, 'requests-without-timeout');
  assert.equal(d.category, 'timeout');
  assert.equal(d.fix.applicability, 'safe');
  assert.ok(Array.isArray(d.fix.edits) && d.fix.edits.length === 1);
  const broken = out.errors.find((e: { path: string }) => e.path === 'broken.py');
  assert.ok(broken, 'the syntax error is listed under errors');
  assert.equal(broken.kind, 'syntax');
  assert.equal(broken.line, 2);
});

test('--select and --ignore accept codes, names, prefixes and categories', () => {
  const dir = tempProject({ 'bad.py': HAZARD });
  assert.equal(run(['--ignore', 'CL101', '--no-cache'], dir).code, 0);
  assert.equal(run(['--ignore', 'requests-without-timeout', '--no-cache'], dir).code, 0);
  assert.equal(run(['--ignore', 'timeout', '--no-cache'], dir).code, 0);
  assert.equal(run(['--select', 'CL1', '--no-cache'], dir).code, 1);
  assert.equal(run(['--select', 'CL1', '--ignore', 'CL101', '--no-cache'], dir).code, 0);
});

test('rule and rules sub-commands show the docs', () => {
  const dir = tempProject({});
  const doc = run(['rule', 'requests-without-timeout'], dir);
  assert.equal(doc.code, 0);
  assert.match(doc.stdout, /^CL101 requests-without-timeout/);
  assert.match(doc.stdout, /Why is this bad\?/);
  assert.match(doc.stdout, /Use instead/);
  const table = run(['rules'], dir);
  assert.equal(table.code, 0);
  assert.match(table.stdout, /CL101\s+requests-without-timeout\s+timeout/);
});

test('the bundled CLI (bin/conn-lint) carries every rule of rules/python/', async () => {
  const table = run(['rules'], tempProject({}));
  const listed = [...table.stdout.matchAll(/^(CL\d{3})\s/gm)].map((m) => m[1]);
  const { loadRules } = await import('../src/engine/registry.js');
  assert.deepEqual(listed, (await loadRules()).map((r) => r.code));
});

test('bad input is reported under errors and never stops the run', () => {
  const big = Buffer.alloc(11 * 1024 * 1024, 0x23); // '#' * 11 MB: a comment over the size limit
  const dir = tempProject({
    'a_syntax.py': 'import requests\ndef broken(:\n    pass\nrequests.get("u")\n',
    'b_latin1.py': Buffer.from([0x78, 0x20, 0x3d, 0x20, 0x22, 0xe9, 0x22, 0x0a]),
    'c_declared_latin1.py': Buffer.concat([
      Buffer.from('# -*- coding: latin-1 -*-\nimport requests\nx = "'),
      Buffer.from([0xe9]),
      Buffer.from('"\nrequests.get("u")\n'),
    ]),
    'd_bom.py': Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(HAZARD)]),
    'e_crlf.py': HAZARD.replace(/\n/g, '\r\n'),
    'f_nul.py': Buffer.from('import requests\n\0\0\0'),
    'g_empty.py': '',
    'h_big.py': big,
    'z_last.py': HAZARD,
  });
  const r = run(['--format', 'json', '--no-cache'], dir);
  assert.equal(r.code, 1, r.stderr);
  const out = JSON.parse(r.stdout);
  const errors = Object.fromEntries(out.errors.map((e: { path: string; kind: string }) => [e.path, e.kind]));
  assert.equal(errors['a_syntax.py'], 'syntax');
  assert.equal(errors['b_latin1.py'], 'encoding');
  assert.equal(errors['f_nul.py'], 'binary');
  assert.equal(errors['h_big.py'], 'too-large');
  assert.equal(errors['c_declared_latin1.py'], undefined, 'a PEP 263 declaration is honoured');
  const hits = out.diagnostics.map((d: { path: string; line: number }) => `${d.path}:${d.line}`).sort();
  // The syntax error does not hide the finding after it; BOM and CRLF keep line numbers right.
  assert.deepEqual(hits, ['a_syntax.py:4', 'c_declared_latin1.py:4', 'd_bom.py:3', 'e_crlf.py:3', 'z_last.py:3']);
});

test('a path that does not exist is an error, the other paths are still linted', () => {
  const dir = tempProject({ 'bad.py': HAZARD });
  const r = run(['missing_dir', 'bad.py', '--format', 'json', '--no-cache'], dir);
  assert.equal(r.code, 1, r.stderr);
  const out = JSON.parse(r.stdout);
  assert.equal(out.diagnostics.length, 1);
  assert.ok(out.errors.some((e: { path: string; kind: string }) => e.path.includes('missing_dir') && e.kind === 'io'));
});

test('suppression comments: line noqa, own ignore form, file-level noqa', () => {
  const dir = tempProject({
    'a.py': 'import requests\nrequests.get("u")  # noqa: CL101\nrequests.get("u")  # conn-lint: ignore[requests-without-timeout]\nrequests.get("u")  # noqa: CL999\n',
    'b.py': '# conn-lint: noqa\nimport requests\nrequests.get("u")\n',
    'c.py': 'import requests\ns = "# noqa"; requests.get("u")\n',
  });
  const out = JSON.parse(run(['--format', 'json', '--no-cache'], dir).stdout);
  const hits = out.diagnostics.map((d: { path: string; line: number }) => `${d.path}:${d.line}`).sort();
  assert.deepEqual(hits, ['a.py:4', 'c.py:2']);
});

test('broken config exits 2 naming the file and key', () => {
  const dir = tempProject({ 'pyproject.toml': '[tool.conn-lint]\nselect = 3\n', 'a.py': HAZARD });
  const r = run(['.'], dir);
  assert.equal(r.code, 2);
  assert.match(r.stderr, /pyproject\.toml/);
  assert.match(r.stderr, /select/);
});

test('an unreadable file is an error, not a crash', () => {
  const dir = tempProject({ 'secret.py': HAZARD, 'bad.py': HAZARD });
  chmodSync(dir, 0o755);
  chmodSync(path.join(dir, 'bad.py'), 0o644);
  chmodSync(path.join(dir, 'secret.py'), 0o000);
  // Root reads any file: run as an unprivileged user then, so the permission check is real.
  const asUser = process.getuid?.() === 0 ? { uid: 65534, gid: 65534 } : {};
  const r = spawnSync(process.execPath, [BIN, '--format', 'json', '--no-cache'], {
    cwd: dir,
    encoding: 'utf8',
    env: { ...process.env, NO_COLOR: '1', HOME: dir },
    ...asUser,
  });
  assert.equal(r.status, 1, r.stderr);
  const out = JSON.parse(r.stdout);
  assert.ok(out.errors.some((e: { path: string; kind: string }) => e.path === 'secret.py' && e.kind === 'io'), r.stdout);
  assert.deepEqual(out.diagnostics.map((d: { path: string }) => d.path), ['bad.py']);
});

test('--select takes one value, so paths after it are still paths', () => {
  const dir = tempProject({ 'sub/bad.py': HAZARD });
  const r = run(['--select', 'CL101', 'sub', '--no-cache'], dir);
  assert.equal(r.code, 1, r.stderr);
  assert.match(r.stdout, /sub\/bad\.py:3:1: CL101/);
  assert.equal(run(['--select', 'CL101', '--select', 'CL5', 'sub', '--no-cache'], dir).code, 1);
});
